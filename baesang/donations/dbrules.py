"""References of the donations received checked once per statement instead of per row.

An import of a bank statement inserts a million donations in one statement; their four
foreign keys (donor, pledge, ledger transfer, the user who recorded it) were checked row by
row at the commit, where PostgreSQL spent more time than on the inserts. The same rules are
enforced set-wise by the triggers of :mod:`baesang.core.dbreferences`, as the payment tables
do (:mod:`baesang.cases.dbrules`):

- every inserted donation names an existing donor, ledger transfer and (when given) pledge
  and user;
- those references never change (a donation is append-only as well);
- a donor, pledge, transfer or user a donation names is never deleted nor renumbered, except
  under a purge permit (:mod:`baesang.core.db`).

:func:`install` (re)creates everything, the append-only triggers of ``donations_donation``
included (SQLite drops a table's triggers when a migration rebuilds it), and is idempotent.
"""

from __future__ import annotations

from baesang.core import dbreferences
from baesang.core.db import drop_append_only, make_append_only

REFERENCED = "is referenced by a donation and cannot be deleted or renumbered"

#: child table → [(column, parent table, nullable)]
REFERENCES: dict[str, list[tuple[str, str, bool]]] = {
    "donations_donation": [
        ("donor_id", "donations_donor", False), ("pledge_id", "donations_pledge", True),
        ("transfer_id", "ledger_transfer", False), ("created_by_id", "auth_user", True),
    ],
}
RULES = dbreferences.References(tables=REFERENCES, label="donation", referenced=REFERENCED)


def install(schema_editor) -> None:
    """(Re)create the reference checks of the donations and their append-only triggers."""
    drop_append_only(schema_editor, "donations_donation")
    make_append_only(schema_editor, "donations_donation")
    dbreferences.install(schema_editor, RULES)


def uninstall(schema_editor) -> None:
    """Drop them (a migration undone restores the foreign keys)."""
    dbreferences.uninstall(schema_editor, RULES)


def pattern_indexes_drop(apps, schema_editor) -> None:
    """Drop the ``varchar_pattern_ops`` ("_like") indexes PostgreSQL got for a donation's bank
    reference and transfer id: they serve ``LIKE 'prefix%'`` only, which nothing asks of these
    columns, and cost every inserted donation two more index entries (the unique indexes stay)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'donations_donation' "
                       "AND indexdef LIKE '%%varchar_pattern_ops%%'")
        names = [row[0] for row in cursor.fetchall()]
    for name in names:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"', None)
