"""References of the payment tables checked once per statement instead of per row.

A payment batch writes one line per holder, one calculation sheet per claim and, once the
bank has paid, one indemnity claim per line: millions of rows for a programme the size of
the whole foundation. A foreign-key constraint checks each inserted row on its own (on
PostgreSQL about 6–7 µs a row and key, deferred to the commit: 250,000 indemnity claims with
four keys spent 6.8 s there, measured on the batch benchmark's database), more than the
inserts themselves. The same rule is enforced here set-wise, as the ledger does for its
transfers (:mod:`baesang.ledger.dbrules`) and the donations for theirs
(:mod:`baesang.donations.dbrules`), with the triggers of :mod:`baesang.core.dbreferences`:

- every inserted row of :data:`REFERENCES`' tables names existing rows (PostgreSQL: one
  statement-level check over the inserted rows; SQLite: a row trigger, as a foreign key);
- those references never change once written (they are what was paid, to whom, by which
  consent);
- a referenced row is never deleted while referenced (Django's ``PROTECT`` still refuses it
  first in the application), except under a purge permit (:mod:`baesang.core.db`: the test
  suite's flush, a demo reset).

Each check runs with sequential scans off (:mod:`baesang.core.dbreferences`), so a parent row
is found by its primary key whatever the planner's statistics say.

:func:`install` (re)creates everything and is idempotent; a migration that makes SQLite
rebuild one of these tables must call it again (SQLite drops a table's triggers with it).
"""

from __future__ import annotations

from baesang.core import dbreferences

MISSING = dbreferences.MISSING
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
RULES = dbreferences.References(tables=REFERENCES, label="payment", referenced=REFERENCED)


def install(schema_editor) -> None:
    """(Re)create the reference checks of the payment tables."""
    dbreferences.install(schema_editor, RULES)


def uninstall(schema_editor) -> None:
    """Drop them (a migration undone restores the foreign keys)."""
    dbreferences.uninstall(schema_editor, RULES)
