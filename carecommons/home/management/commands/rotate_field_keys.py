"""`carecommons rotate_field_keys [--check]`: rewrite every encrypted value under the newest key.

Run it after putting a new key first in FIELD_ENCRYPTION_KEYS and restarting the web servers and the
worker. It reads and writes the stored tokens directly (no decrypting into Python objects, no
`updated_at` change), in batches, each batch one transaction, so it can be stopped and run again.
`--check` only counts the values the newest key cannot open yet: when it says 0, the old key can
leave the list (keep it with the backups made before the rotation).
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from carecommons.audit.services import record_event
from carecommons.lib import encrypted
from carecommons.lib.words import plural

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field under the newest FIELD_ENCRYPTION_KEYS key (or --check)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="Only count values still under old keys.")

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        total_old = total_rotated = 0
        for model, field in encrypted.encrypted_fields():
            table, column, pk = model._meta.db_table, field.column, model._meta.pk.column  # type: ignore[union-attr]
            quote = connection.ops.quote_name
            select = (
                f"SELECT {quote(pk)}, {quote(column)} FROM {quote(table)} "  # noqa: S608 (names from the model)
                f"WHERE {quote(pk)} > %s AND {quote(column)} <> '' ORDER BY {quote(pk)} LIMIT {BATCH}"
            )
            update = f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE {quote(pk)} = %s"  # noqa: S608
            last: Any = 0
            while True:
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(select, [last])
                    rows = cursor.fetchall()
                    if not rows:
                        break
                    last = rows[-1][0]
                    old = [(token, key) for key, token in rows if not encrypted.opens_with_newest_key(token)]
                    total_old += len(old)
                    if not check and old:
                        cursor.executemany(update, [(encrypted.rotate(token), key) for token, key in old])
                        total_rotated += len(old)
        if check:
            self.stdout.write(f"{plural(total_old, 'encrypted value')} still under older keys.")
            return
        record_event(
            actor=None, action="encryption.keys_rotated", target=None, detail={"values": total_rotated}
        )
        self.stdout.write(f"Rewrote {plural(total_rotated, 'encrypted value')} under the newest key.")
