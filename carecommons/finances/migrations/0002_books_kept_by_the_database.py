"""The ledger's rules, held by the database itself so no code path (or hand-written SQL) can break them:

- entries are added only to a transaction not yet posted, and only on that group's accounts;
- a transaction is born unposted and can be posted only when it has two or more entries that sum
  to zero within each fund;
- posting adds the transaction's entries to each account's `Balance`, in the same statement;
- posted transactions, and every entry, can never be changed or deleted: reverse them instead.
"""

from django.db import migrations

from carecommons.lib.sql import by_vendor

SQLITE = [
    "CREATE TRIGGER finances_entry_no_update BEFORE UPDATE ON finances_entry "
    "BEGIN SELECT RAISE(ABORT, 'ledger entries cannot be changed; reverse the transaction'); END;",
    "CREATE TRIGGER finances_entry_no_delete BEFORE DELETE ON finances_entry "
    "BEGIN SELECT RAISE(ABORT, 'ledger entries cannot be deleted; reverse the transaction'); END;",
    """CREATE TRIGGER finances_entry_before_posting BEFORE INSERT ON finances_entry
    WHEN (SELECT posted FROM finances_transaction WHERE id = NEW.transaction_id) <> 0
    BEGIN SELECT RAISE(ABORT, 'a posted transaction cannot be added to'); END;""",
    """CREATE TRIGGER finances_entry_same_group BEFORE INSERT ON finances_entry
    WHEN (SELECT group_id FROM finances_account WHERE id = NEW.account_id)
      IS NOT (SELECT group_id FROM finances_transaction WHERE id = NEW.transaction_id)
    BEGIN SELECT RAISE(ABORT, 'an entry must use an account of the same group'); END;""",
    "CREATE TRIGGER finances_transaction_born_unposted BEFORE INSERT ON finances_transaction "
    "WHEN NEW.posted <> 0 "
    "BEGIN SELECT RAISE(ABORT, 'a transaction is posted after its entries are added'); END;",
    "CREATE TRIGGER finances_transaction_no_delete BEFORE DELETE ON finances_transaction "
    "BEGIN SELECT RAISE(ABORT, 'transactions cannot be deleted; reverse them'); END;",
    "CREATE TRIGGER finances_transaction_posted_is_final BEFORE UPDATE ON finances_transaction "
    "WHEN OLD.posted <> 0 "
    "BEGIN SELECT RAISE(ABORT, 'a posted transaction cannot be changed; reverse it'); END;",
    """CREATE TRIGGER finances_transaction_post_balanced BEFORE UPDATE ON finances_transaction
    WHEN NEW.posted <> 0 AND OLD.posted = 0 AND (
        (SELECT COUNT(*) FROM finances_entry WHERE transaction_id = NEW.id) < 2
        OR EXISTS (SELECT 1 FROM finances_entry WHERE transaction_id = NEW.id
                   GROUP BY fund_id HAVING SUM(amount_pence) <> 0))
    BEGIN SELECT RAISE(ABORT, 'a transaction must balance before it is posted'); END;""",
    """CREATE TRIGGER finances_transaction_posting_balances AFTER UPDATE ON finances_transaction
    WHEN NEW.posted <> 0 AND OLD.posted = 0
    BEGIN
        INSERT INTO finances_balance (account_id, pence)
        SELECT account_id, SUM(amount_pence) FROM finances_entry WHERE transaction_id = NEW.id
        GROUP BY account_id
        ON CONFLICT (account_id) DO UPDATE SET pence = finances_balance.pence + excluded.pence;
    END;""",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "finances_entry_no_update",
        "finances_entry_no_delete",
        "finances_entry_before_posting",
        "finances_entry_same_group",
        "finances_transaction_born_unposted",
        "finances_transaction_no_delete",
        "finances_transaction_posted_is_final",
        "finances_transaction_post_balanced",
        "finances_transaction_posting_balances",
    )
]
POSTGRES = [
    """
    CREATE FUNCTION finances_entry_refuse_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'ledger entries cannot be changed or deleted; reverse the transaction';
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER finances_entry_no_change BEFORE UPDATE OR DELETE ON finances_entry "
    "FOR EACH ROW EXECUTE FUNCTION finances_entry_refuse_change();",
    """
    CREATE FUNCTION finances_entry_check() RETURNS trigger AS $$
    BEGIN
        IF (SELECT posted FROM finances_transaction WHERE id = NEW.transaction_id) THEN
            RAISE EXCEPTION 'a posted transaction cannot be added to';
        END IF;
        IF (SELECT group_id FROM finances_account WHERE id = NEW.account_id)
           IS DISTINCT FROM (SELECT group_id FROM finances_transaction WHERE id = NEW.transaction_id) THEN
            RAISE EXCEPTION 'an entry must use an account of the same group';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER finances_entry_check BEFORE INSERT ON finances_entry "
    "FOR EACH ROW EXECUTE FUNCTION finances_entry_check();",
    """
    CREATE FUNCTION finances_transaction_check() RETURNS trigger AS $$
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
            RAISE EXCEPTION 'a posted transaction cannot be changed; reverse it';
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
    """,
    "CREATE TRIGGER finances_transaction_check BEFORE INSERT OR UPDATE OR DELETE ON finances_transaction "
    "FOR EACH ROW EXECUTE FUNCTION finances_transaction_check();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS finances_transaction_check ON finances_transaction;",
    "DROP FUNCTION IF EXISTS finances_transaction_check();",
    "DROP TRIGGER IF EXISTS finances_entry_check ON finances_entry;",
    "DROP FUNCTION IF EXISTS finances_entry_check();",
    "DROP TRIGGER IF EXISTS finances_entry_no_change ON finances_entry;",
    "DROP FUNCTION IF EXISTS finances_entry_refuse_change();",
]


class Migration(migrations.Migration):
    dependencies = [("finances", "0001_initial")]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
