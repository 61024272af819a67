"""Database rules of the ledger beyond the shared append-only triggers.

Referential integrity between transfers and accounts is enforced by triggers instead of
foreign-key constraints, because a foreign key checks each inserted row on its own (on
PostgreSQL about 9 µs a row and account, more than all the indexes of the table together),
while the rule can be checked once per statement:

- every inserted transfer names existing debit and credit accounts (PostgreSQL: one
  statement-level check over the inserted rows; SQLite: a row trigger);
- accounts are never deleted (except under a purge permit, see :mod:`baesang.core.db`) and
  their ids never change, so no transfer can lose its account later;
- the transfer a transfer resolves (``pending_id``) and the user who booked it (``user_id``)
  are checked the same way, set-wise, by the triggers of :mod:`baesang.core.dbreferences`
  (:data:`REFERENCES`): they exist when it is inserted, and such a transfer or user is never
  deleted nor renumbered (a journal of a million transfers queued a million per-row checks of
  its user for the commit).

:func:`install` (re)creates everything and is idempotent; a migration that makes SQLite
rebuild ``ledger_transfer`` or ``ledger_account`` must call it again (SQLite drops a table's
triggers with the table).
"""

from __future__ import annotations

from baesang.core import dbreferences
from baesang.core.db import PURGE_PERMIT_TABLE, drop_append_only, make_append_only

MISSING_ACCOUNT = "ledger_transfer: a transfer names an account that does not exist"
ACCOUNT_KEPT = "ledger_account rows are never deleted and their ids never change"

#: child table → [(column, parent table, nullable)]: the references other than the accounts.
REFERENCES: dict[str, list[tuple[str, str, bool]]] = {
    "ledger_transfer": [("pending_id", "ledger_transfer", True), ("user_id", "auth_user", True)],
}
RULES = dbreferences.References(tables=REFERENCES, label="transfer",
                                referenced="is referenced by a ledger transfer and cannot be deleted or renumbered")

_POSTGRES = [
    "DROP TRIGGER IF EXISTS ledger_transfer_accounts_exist ON ledger_transfer",
    "DROP TRIGGER IF EXISTS ledger_account_kept ON ledger_account",
    f"""
    CREATE OR REPLACE FUNCTION ledger_transfer_accounts_exist() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (
            SELECT 1 FROM new_transfers n
            WHERE NOT EXISTS (SELECT 1 FROM ledger_account a WHERE a.id = n.debit_account_id)
               OR NOT EXISTS (SELECT 1 FROM ledger_account a WHERE a.id = n.credit_account_id)
        ) THEN
            RAISE EXCEPTION '{MISSING_ACCOUNT}' USING ERRCODE = 'foreign_key_violation';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER ledger_transfer_accounts_exist AFTER INSERT ON ledger_transfer "
    "REFERENCING NEW TABLE AS new_transfers FOR EACH STATEMENT EXECUTE FUNCTION ledger_transfer_accounts_exist()",
    f"""
    CREATE OR REPLACE FUNCTION ledger_account_kept() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            IF EXISTS (SELECT 1 FROM {PURGE_PERMIT_TABLE}) THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION '{ACCOUNT_KEPT}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        IF NEW.id <> OLD.id THEN
            RAISE EXCEPTION '{ACCOUNT_KEPT}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
    END;
    $$ LANGUAGE plpgsql
    """,
    "CREATE TRIGGER ledger_account_kept BEFORE DELETE OR UPDATE OF id ON ledger_account "
    "FOR EACH ROW EXECUTE FUNCTION ledger_account_kept()",
]

_SQLITE = [
    "DROP TRIGGER IF EXISTS ledger_transfer_accounts_exist",
    "DROP TRIGGER IF EXISTS ledger_account_no_delete",
    "DROP TRIGGER IF EXISTS ledger_account_no_renumber",
    "CREATE TRIGGER ledger_transfer_accounts_exist BEFORE INSERT ON ledger_transfer "
    "WHEN NOT EXISTS (SELECT 1 FROM ledger_account WHERE id = NEW.debit_account_id) "
    "OR NOT EXISTS (SELECT 1 FROM ledger_account WHERE id = NEW.credit_account_id) "
    f"BEGIN SELECT RAISE(ABORT, '{MISSING_ACCOUNT}'); END",
    "CREATE TRIGGER ledger_account_no_delete BEFORE DELETE ON ledger_account "
    f"WHEN NOT EXISTS (SELECT 1 FROM {PURGE_PERMIT_TABLE}) BEGIN SELECT RAISE(ABORT, '{ACCOUNT_KEPT}'); END",
    "CREATE TRIGGER ledger_account_no_renumber BEFORE UPDATE OF id ON ledger_account "
    f"WHEN NEW.id <> OLD.id BEGIN SELECT RAISE(ABORT, '{ACCOUNT_KEPT}'); END",
]


def install(schema_editor) -> None:
    """(Re)create the append-only triggers of ``ledger_transfer`` and the rules above."""
    drop_append_only(schema_editor, "ledger_transfer")
    make_append_only(schema_editor, "ledger_transfer")
    statements = _POSTGRES if schema_editor.connection.vendor == "postgresql" else _SQLITE
    for sql in statements:
        schema_editor.execute(sql, None)


def references_install(schema_editor) -> None:
    """(Re)create the checks of :data:`REFERENCES` (a transfer's pending transfer and user)."""
    dbreferences.install(schema_editor, RULES)
