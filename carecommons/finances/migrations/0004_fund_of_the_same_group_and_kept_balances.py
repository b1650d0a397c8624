"""Two more rules for the database to hold (decision 0010):

- an entry's restricted fund belongs to the same group as its transaction;
- on PostgreSQL, `Balance` rows are written only by the posting trigger: a direct INSERT, UPDATE or
  DELETE is refused (`pg_trigger_depth()` tells the two apart). SQLite cannot tell them apart, so
  there `carecommons check_books` compares every balance with its entries instead.
"""

from django.db import migrations

from carecommons.lib.sql import by_vendor

SQLITE = [
    """CREATE TRIGGER finances_entry_fund_same_group BEFORE INSERT ON finances_entry
    WHEN NEW.fund_id IS NOT NULL AND (SELECT group_id FROM finances_fund WHERE id = NEW.fund_id)
      IS NOT (SELECT group_id FROM finances_transaction WHERE id = NEW.transaction_id)
    BEGIN SELECT RAISE(ABORT, 'an entry must use a fund of the same group'); END;""",
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS finances_entry_fund_same_group;"]
ENTRY_CHECK = """
    CREATE OR REPLACE FUNCTION finances_entry_check() RETURNS trigger AS $$
    BEGIN
        IF (SELECT posted FROM finances_transaction WHERE id = NEW.transaction_id) THEN
            RAISE EXCEPTION 'a posted transaction cannot be added to';
        END IF;
        IF (SELECT group_id FROM finances_account WHERE id = NEW.account_id)
           IS DISTINCT FROM (SELECT group_id FROM finances_transaction WHERE id = NEW.transaction_id) THEN
            RAISE EXCEPTION 'an entry must use an account of the same group';
        END IF;
        {fund_check}
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
"""
FUND_CHECK = """IF NEW.fund_id IS NOT NULL AND (SELECT group_id FROM finances_fund WHERE id = NEW.fund_id)
           IS DISTINCT FROM (SELECT group_id FROM finances_transaction WHERE id = NEW.transaction_id) THEN
            RAISE EXCEPTION 'an entry must use a fund of the same group';
        END IF;"""
POSTGRES = [
    ENTRY_CHECK.replace("{fund_check}", FUND_CHECK),
    """
    CREATE FUNCTION finances_balance_kept_by_posting() RETURNS trigger AS $$
    BEGIN
        IF pg_trigger_depth() < 2 THEN
            RAISE EXCEPTION 'balances are kept by posting transactions, never written directly';
        END IF;
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql;
    """,
    "CREATE TRIGGER finances_balance_kept_by_posting BEFORE INSERT OR UPDATE OR DELETE ON finances_balance "
    "FOR EACH ROW EXECUTE FUNCTION finances_balance_kept_by_posting();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS finances_balance_kept_by_posting ON finances_balance;",
    "DROP FUNCTION IF EXISTS finances_balance_kept_by_posting();",
    ENTRY_CHECK.replace("{fund_check}", ""),
]


class Migration(migrations.Migration):
    dependencies = [("finances", "0003_budgets")]

    operations = [
        migrations.RunPython(
            by_vendor({"sqlite": SQLITE, "postgresql": POSTGRES}),
            by_vendor({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
