"""References between tables checked once per statement instead of per row (foreign keys).

A table written in bulk (payment lines, a million donations, their ledger transfers) pays for
a foreign-key constraint on every inserted row: PostgreSQL queues a check per row and key and
runs it at the commit (6–9 µs each, more than the insert itself). The same rule is enforced
here set-wise, for the tables and columns a :class:`References` names:

- every inserted row names existing rows (PostgreSQL: one statement-level check over the
  inserted rows, a transition table; SQLite: a row trigger, as a foreign key);
- those references never change once written;
- a referenced row is never deleted nor renumbered while referenced (Django's ``PROTECT``
  still refuses it first in the application), except under a purge permit
  (:mod:`baesang.core.db`: the test suite's flush, a demo reset).

The check is immediate at the end of each statement, not deferred to the commit: the parent
rows are written first. It runs with sequential scans off (a setting of its function), so each
parent row is found by its primary key whatever the planner's statistics say: a parent table
written in the same transaction after they were taken (a first large batch's lines, a million
new donors) looks empty to the planner, which then scanned it once per inserted row (met
building the 1.7 M world: hours for one batch's indemnity claims). The column keeps its index
(and its unique constraint, if any); only the constraint goes (``db_constraint=False`` on the model's field).

:func:`install` (re)creates the triggers and is idempotent. A migration that makes SQLite
rebuild one of these tables must :func:`uninstall` them first (SQLite refuses to rename a
table another table's trigger names) and install them again after (SQLite drops a table's
triggers with it).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from baesang.core.db import PURGE_PERMIT_TABLE

MISSING = "names a row that does not exist"


@dataclass(frozen=True)
class References:
    """``tables``: child table → [(column, parent table, nullable)]; ``label`` names the parent
    triggers (``<parent>_<label>_references``), so that two sets may guard the same parent;
    ``referenced``: the error of a refused delete (after the parent's name)."""

    tables: dict[str, list[tuple[str, str, bool]]]
    label: str
    referenced: str

    def parents(self) -> dict[str, list[tuple[str, str]]]:
        """parent table → [(child table, column)]"""
        parents: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for child, refs in self.tables.items():
            for column, parent, _nullable in refs:
                parents[parent].append((child, column))
        return dict(sorted(parents.items()))


def _missing_condition(rows: str, refs: list[tuple[str, str, bool]]) -> str:
    parts = []
    for column, parent, nullable in refs:
        test = f"NOT EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {rows}.{column})"
        parts.append(f"({rows}.{column} IS NOT NULL AND {test})" if nullable else test)
    return " OR ".join(parts)


def _postgres(rules: References) -> list[str]:
    statements = []
    for child, refs in rules.tables.items():
        columns = [c for c, _p, _n in refs]
        statements += [
            f"DROP TRIGGER IF EXISTS {child}_references_exist ON {child}",
            f"DROP TRIGGER IF EXISTS {child}_references_kept ON {child}",
            f"""
            CREATE OR REPLACE FUNCTION {child}_references_exist() RETURNS trigger AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM new_rows n WHERE {_missing_condition("n", refs)}) THEN
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
    for parent, children in rules.parents().items():
        used = " OR ".join(f"EXISTS (SELECT 1 FROM {child} c WHERE c.{column} = OLD.id)" for child, column in children)
        name = f"{parent}_{rules.label}_references"
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {parent}",
            f"""
            CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$
            BEGIN
                IF TG_OP = 'UPDATE' AND NEW.id = OLD.id THEN
                    RETURN NEW;
                END IF;
                IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM {PURGE_PERMIT_TABLE}) THEN
                    RETURN OLD;
                END IF;
                IF {used} THEN
                    RAISE EXCEPTION '{parent} row %: {rules.referenced}', OLD.id
                        USING ERRCODE = 'foreign_key_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN
                    RETURN OLD;
                END IF;
                RETURN NEW;
            END;
            $$ LANGUAGE plpgsql
            """,
            f"CREATE TRIGGER {name} BEFORE DELETE OR UPDATE OF id ON {parent} FOR EACH ROW EXECUTE FUNCTION {name}()",
        ]
    return statements


def _sqlite(rules: References) -> list[str]:
    statements = []
    for child, refs in rules.tables.items():
        columns = [c for c, _p, _n in refs]
        statements += [
            f"DROP TRIGGER IF EXISTS {child}_references_exist",
            f"DROP TRIGGER IF EXISTS {child}_references_kept",
            f"CREATE TRIGGER {child}_references_exist BEFORE INSERT ON {child} "
            f"WHEN {_missing_condition('NEW', refs)} "
            f"BEGIN SELECT RAISE(ABORT, '{child}: a row {MISSING}'); END",
            f"CREATE TRIGGER {child}_references_kept BEFORE UPDATE OF {', '.join(columns)} ON {child} "
            f"WHEN {' OR '.join(f'OLD.{c} IS NOT NEW.{c}' for c in columns)} "
            f"BEGIN SELECT RAISE(ABORT, '{child}: the references of a row never change'); END",
        ]
    for parent, children in rules.parents().items():
        used = " OR ".join(f"EXISTS (SELECT 1 FROM {child} WHERE {column} = OLD.id)" for child, column in children)
        name = f"{parent}_{rules.label}_references"
        statements += [
            f"DROP TRIGGER IF EXISTS {name}_delete",
            f"DROP TRIGGER IF EXISTS {name}_renumber",
            f"CREATE TRIGGER {name}_delete BEFORE DELETE ON {parent} "
            f"WHEN NOT EXISTS (SELECT 1 FROM {PURGE_PERMIT_TABLE}) AND ({used}) "
            f"BEGIN SELECT RAISE(ABORT, '{parent}: {rules.referenced}'); END",
            f"CREATE TRIGGER {name}_renumber BEFORE UPDATE OF id ON {parent} "
            f"WHEN NEW.id <> OLD.id AND ({used}) "
            f"BEGIN SELECT RAISE(ABORT, '{parent}: {rules.referenced}'); END",
        ]
    return statements


def install(schema_editor, rules: References) -> None:
    """(Re)create the reference checks of ``rules``."""
    statements = _postgres(rules) if schema_editor.connection.vendor == "postgresql" else _sqlite(rules)
    for sql in statements:
        schema_editor.execute(sql, None)


def uninstall(schema_editor, rules: References) -> None:
    """Drop them (a migration undone restores the foreign keys)."""
    postgres = schema_editor.connection.vendor == "postgresql"
    for child in rules.tables:
        for name in ("references_exist", "references_kept"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {child}_{name}" + (f" ON {child}" if postgres else ""),
                                  None)
    for parent in rules.parents():
        name = f"{parent}_{rules.label}_references"
        if postgres:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {parent}", None)
        else:
            for suffix in ("delete", "renumber"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix}", None)
