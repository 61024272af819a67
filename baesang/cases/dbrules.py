"""References of the payment tables checked once per statement instead of per row.

A payment batch writes one line per holder, one calculation sheet per claim and, once the
bank has paid, one indemnity claim per line: millions of rows for a programme the size of
the whole foundation. A foreign-key constraint checks each inserted row on its own (on
PostgreSQL about 6–7 µs a row and key, deferred to the commit: 250,000 indemnity claims with
four keys spent 6.8 s there, measured on the batch benchmark's database), more than the
inserts themselves. The same rule is enforced here set-wise, as the ledger does for its
transfers (:mod:`baesang.ledger.dbrules`):

- every inserted row of :data:`REFERENCES`' tables names existing rows (PostgreSQL: one
  statement-level check over the inserted rows; SQLite: a row trigger, as a foreign key);
- those references never change once written (they are what was paid, to whom, by which
  consent);
- a referenced row is never deleted while referenced (Django's ``PROTECT`` still refuses it
  first in the application), except under a purge permit (:mod:`baesang.core.db`: the test
  suite's flush, a demo reset).

Each check runs with sequential scans off (a setting of its function), so a parent row is
found by its primary key whatever the planner's statistics say: a table written in the same
transaction after they were taken (a first large batch's lines) looks empty to the planner,
which then scanned it once per inserted row.

:func:`install` (re)creates everything and is idempotent; a migration that makes SQLite
rebuild one of these tables must call it again (SQLite drops a table's triggers with it).
"""

from __future__ import annotations

from collections import defaultdict

from baesang.core.db import PURGE_PERMIT_TABLE

MISSING = "names a row that does not exist"
REFERENCED = "is referenced by a payment record and cannot be deleted or renumbered"

#: child table → [(column, parent table, nullable)]
REFERENCES: dict[str, list[tuple[str, str, bool]]] = {
    "cases_batchclaim": [("batch_id", "cases_paymentbatch", False), ("claim_id", "judgments_claim", False)],
    "cases_batchline": [
        ("batch_id", "cases_paymentbatch", False), ("batch_claim_id", "cases_batchclaim", False),
        ("claim_id", "judgments_claim", False), ("holding_id", "judgments_claimholding", False),
        ("holder_id", "judgments_person", False), ("consent_id", "cases_consentverification", False),
    ],
    "cases_indemnityclaim": [
        ("debtor_id", "judgments_debtor", False), ("claim_id", "judgments_claim", False),
        ("holding_id", "judgments_claimholding", False), ("line_id", "cases_batchline", True),
        ("deposit_id", "cases_courtdeposit", True),
    ],
}


def _parents() -> dict[str, list[tuple[str, str]]]:
    """parent table → [(child table, column)]"""
    parents: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for child, refs in REFERENCES.items():
        for column, parent, _nullable in refs:
            parents[parent].append((child, column))
    return dict(sorted(parents.items()))


def _missing_condition(table: str, rows: str, refs: list[tuple[str, str, bool]]) -> str:
    parts = []
    for column, parent, nullable in refs:
        test = f"NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {rows}.{column})"
        parts.append(f"({rows}.{column} IS NOT NULL AND {test})" if nullable else test)
    return " OR ".join(parts)


def _postgres() -> list[str]:
    statements = []
    for child, refs in REFERENCES.items():
        columns = [c for c, _p, _n in refs]
        statements += [
            f"DROP TRIGGER IF EXISTS {child}_references_exist ON {child}",
            f"DROP TRIGGER IF EXISTS {child}_references_kept ON {child}",
            f"""
            CREATE OR REPLACE FUNCTION {child}_references_exist() RETURNS trigger AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM new_rows n WHERE {_missing_condition(child, "n", refs)}) THEN
                    RAISE EXCEPTION '{child}: a row {MISSING}' USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NULL;
            END;
            $$ LANGUAGE plpgsql SET enable_seqscan = off
            """,
            f"CREATE TRIGGER {child}_references_exist AFTER INSERT ON {child} REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {child}_references_exist()",
            f"""
            CREATE OR REPLACE FUNCTION {child}_references_kept() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '{child}: the references of a row never change ({", ".join(columns)})'
                    USING ERRCODE = 'integrity_constraint_violation';
            END;
            $$ LANGUAGE plpgsql
            """,
            f"CREATE TRIGGER {child}_references_kept BEFORE UPDATE OF {', '.join(columns)} ON {child} "
            f"FOR EACH ROW WHEN ({' OR '.join(f'OLD.{c} IS DISTINCT FROM NEW.{c}' for c in columns)}) "
            f"EXECUTE FUNCTION {child}_references_kept()",
        ]
    for parent, children in _parents().items():
        used = " OR ".join(f"EXISTS (SELECT 1 FROM {child} c WHERE c.{column} = OLD.id)" for child, column in children)
        statements += [
            f"DROP TRIGGER IF EXISTS {parent}_payment_references ON {parent}",
            f"""
            CREATE OR REPLACE FUNCTION {parent}_payment_references() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
                    RETURN NEW;
                END IF;
                IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {PURGE_PERMIT_TABLE}) THEN
                    RETURN OLD;
                END IF;
                IF {used} THEN
                    RAISE EXCEPTION '{parent} row %: {REFERENCED}', OLD.id
                        USING ERRCODE = 'foreign_key_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """,
            f"CREATE TRIGGER {parent}_payment_references BEFORE DELETE OR UPDATE OF id ON {parent} "
            f"FOR EACH ROW EXECUTE FUNCTION {parent}_payment_references()",
        ]
    return statements


def _sqlite() -> list[str]:
    statements = []
    for child, refs in REFERENCES.items():
        columns = [c for c, _p, _n in refs]
        statements += [
            f"DROP TRIGGER IF EXISTS {child}_references_exist",
            f"DROP TRIGGER IF EXISTS {child}_references_kept",
            f"CREATE TRIGGER {child}_references_exist BEFORE INSERT ON {child} "
            f"WHEN {_missing_condition(child, 'NEW', refs)} "
            f"BEGIN SELECT RAISE(ABORT, '{child}: a row {MISSING}'); END",
            f"CREATE TRIGGER {child}_references_kept BEFORE UPDATE OF {', '.join(columns)} ON {child} "
            f"WHEN {' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in columns)} "
            f"BEGIN SELECT RAISE(ABORT, '{child}: the references of a row never change'); END",
        ]
    for parent, children in _parents().items():
        used = " OR ".join(f"EXISTS (SELECT 1 FROM {child} WHERE {column} = OLD.id)" for child, column in children)
        statements += [
            f"DROP TRIGGER IF EXISTS {parent}_payment_references_delete",
            f"DROP TRIGGER IF EXISTS {parent}_payment_references_renumber",
            f"CREATE TRIGGER {parent}_payment_references_delete BEFORE DELETE ON {parent} "
            f"WHEN NOT EXISTS (SELECT 1 FROM {PURGE_PERMIT_TABLE}) AND ({used}) "
            f"BEGIN SELECT RAISE(ABORT, '{parent}: {REFERENCED}'); END",
            f"CREATE TRIGGER {parent}_payment_references_renumber BEFORE UPDATE OF id ON {parent} "
            f"WHEN NEW.id <> OLD.id AND ({used}) "
            f"BEGIN SELECT RAISE(ABORT, '{parent}: {REFERENCED}'); END",
        ]
    return statements


def install(schema_editor) -> None:
    """(Re)create the reference checks of the payment tables."""
    statements = _postgres() if schema_editor.connection.vendor == "postgresql" else _sqlite()
    for sql in statements:
        schema_editor.execute(sql, None)


def uninstall(schema_editor) -> None:
    """Drop them (a migration undone restores the foreign keys)."""
    postgres = schema_editor.connection.vendor == "postgresql"
    for child in REFERENCES:
        for name in ("references_exist", "references_kept"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {child}_{name}" + (f" ON {child}" if postgres else ""),
                                  None)
    for parent in _parents():
        if postgres:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {parent}_payment_references ON {parent}", None)
        else:
            for name in ("delete", "renumber"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {parent}_payment_references_{name}", None)
