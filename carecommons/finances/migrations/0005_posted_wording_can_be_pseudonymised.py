"""A posted transaction stays final in everything but its wording: its description and
counterparty may be rewritten, so that erasing a person can replace their name with a pseudonym
(people/erasure.py through finances/redaction.py). Every other column (amounts live in entries,
which stay wholly immutable; date, kind, group, posting, reversal, who recorded it) is still
refused, on both databases (decision 0010)."""

from django.db import migrations

from carecommons.lib.sql import by_vendor

REFUSE = "SELECT RAISE(ABORT, 'a posted transaction cannot be changed; reverse it');"
# Every column but description and counterparty; the test in finances/tests/test_redaction.py
# holds this list to the model's columns.
FINAL_COLUMNS = (
    "id",
    "group_id",
    "uuid",
    "kind",
    "occurred_on",
    "counterparty_public",
    "reverses_id",
    "posted",
    "recorded_by_id",
    "created_at",
)
CHANGED = " OR ".join(f"NEW.{column} IS NOT OLD.{column}" for column in FINAL_COLUMNS)
SQLITE = [
    "DROP TRIGGER IF EXISTS finances_transaction_posted_is_final;",
    "CREATE TRIGGER finances_transaction_posted_is_final BEFORE UPDATE ON finances_transaction "
    f"WHEN OLD.posted <> 0 AND ({CHANGED}) BEGIN {REFUSE} END;",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS finances_transaction_posted_is_final;",
    "CREATE TRIGGER finances_transaction_posted_is_final BEFORE UPDATE ON finances_transaction "
    f"WHEN OLD.posted <> 0 BEGIN {REFUSE} END;",
]
TRANSACTION_CHECK = """
    CREATE OR REPLACE FUNCTION finances_transaction_check() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            RAISE EXCEPTION 'transactions cannot be deleted; reverse them';
        END IF;
        IF TG_OP = 'INSERT' THEN
            IF NEW.posted THEN
                RAISE EXCEPTION 'a transaction is posted after its entries are added';
            END IF;
            RETURN NEW;
        END IF;
        IF OLD.posted THEN
            {posted_update}
        END IF;
        IF NEW.posted THEN
            IF (SELECT COUNT(*) FROM finances_entry WHERE transaction_id = NEW.id) < 2
               OR EXISTS (SELECT 1 FROM finances_entry WHERE transaction_id = NEW.id
                          GROUP BY fund_id HAVING SUM(amount_pence) <> 0) THEN
                RAISE EXCEPTION 'a transaction must balance before it is posted';
            END IF;
            INSERT INTO finances_balance (account_id, pence)
            SELECT account_id, SUM(amount_pence) FROM finances_entry WHERE transaction_id = NEW.id
            GROUP BY account_id
            ON CONFLICT (account_id) DO UPDATE SET pence = finances_balance.pence + EXCLUDED.pence;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
"""
# Compared as whole rows less the two wording columns, so a column added later is final too.
WORDING_ONLY = """
            IF (to_jsonb(NEW) - 'description' - 'counterparty')
               IS DISTINCT FROM (to_jsonb(OLD) - 'description' - 'counterparty') THEN
                RAISE EXCEPTION 'a posted transaction cannot be changed; reverse it';
            END IF;
            RETURN NEW;"""
POSTGRES = [TRANSACTION_CHECK.replace("{posted_update}", WORDING_ONLY)]
POSTGRES_REVERSE = [
    TRANSACTION_CHECK.replace(
        "{posted_update}", "RAISE EXCEPTION 'a posted transaction cannot be changed; reverse it';"
    )
]


class Migration(migrations.Migration):
    dependencies = [("finances", "0004_fund_of_the_same_group_and_kept_balances")]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
