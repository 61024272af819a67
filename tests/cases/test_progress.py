"""Long steps tell how far they have come (issue 14 §4): the batch steps, the ledger
verification, donation receipts and the field-key rotation report (stage, done, total) to a
progress callable; a command shows a rich bar on a terminal and plain lines on stderr
otherwise, keeping standard output for the result."""

from __future__ import annotations

import io
from datetime import date

import pytest
from casework_support import accept_all, fund_donate
from django.core.management import call_command
from django.core.management.base import OutputWrapper
from factories import staff_user

from baesang.cases import services
from baesang.core import progress as reporting
from baesang.core import roles
from baesang.donations.services import donation_record, donor_create, receipts_issue
from baesang.judgments.models import Person
from baesang.pii.rotation import field_key_rotate

pytestmark = pytest.mark.django_db


def results_for(bank_file: str) -> list[services.BankResult]:
    rows = [line.split(",") for line in bank_file.splitlines()[1:]]
    return [services.BankResult(line=int(row[0]), amount=int(row[-1]), status="paid") for row in rows]


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[str, int, int]] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        assert 0 <= done <= total
        self.calls.append((stage, done, total))

    def last(self, stage: str) -> tuple[int, int]:
        return next((done, total) for name, done, total in reversed(self.calls) if name == stage)


def test_each_batch_step_reports_its_stages(world):
    fund_donate(10_000_000_000)
    for _ in range(3):
        accept_all(world, world.claim())
    seen = Recorder()
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance, progress=seen)
    assert seen.last("amounts") == (3, 3) and seen.last("lines") == (3, 3)
    services.batch_approve(batch=batch, approver=world.staff.approver, progress=seen)
    assert seen.last("reserve") == (3, 3)
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance, progress=seen)
    assert seen.last("export") == (3, 3)
    services.batch_result_import(batch=batch, results=results_for(bank_file.content), actor=world.staff.finance,
                                 progress=seen)
    assert seen.last("check") == (3, 3) and seen.last("book") == (3, 3)


def test_receipts_and_key_rotation_report(world):
    donor = donor_create(name="포스코", kind="company", country="KR", user=world.staff.finance)
    for n in range(2):
        donation_record(donor=donor, value_date=date(2023, 3, 1), bank_reference=f"P-{n}", amount=1_000_000,
                        restricted=False, user=world.staff.finance)
    seen = Recorder()
    assert len(receipts_issue(year=2023, user=world.staff.finance, progress=seen)) == 2
    assert seen.last("receipts") == (2, 2)
    world.person("김개인", phone="010-1111-2222")
    counts = field_key_rotate(actor=staff_user("admin", roles.ADMINISTRATOR), progress=seen)
    persons = Person.objects.count()
    assert counts["judgments.Person"] == persons and seen.last("judgments.Person") == (persons, persons)


def test_a_command_writes_progress_lines_to_stderr_without_a_terminal(world):
    fund_donate(1_000_000)
    out, err = io.StringIO(), io.StringIO()
    call_command("ledger", "verify", stdout=out, stderr=err)
    assert out.getvalue().startswith("ledger verified: 1 transfers")
    assert err.getvalue().strip() == "transfers verified: 1 of 1"


def test_the_bar_is_chosen_on_a_terminal_and_lines_otherwise():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    class Command:
        def __init__(self, stream) -> None:
            self.stderr = OutputWrapper(stream)

    terminal = Terminal()
    with reporting.command_progress(Command(terminal), {"rows": "rows"}) as bar:
        assert isinstance(bar, reporting.BarProgress)
        bar("rows", 5, 10)
        bar("rows", 10, 10)
    assert "rows" in terminal.getvalue() and "10/10" in terminal.getvalue()
    piped = io.StringIO()
    with reporting.command_progress(Command(piped), {"rows": "rows done"}, every=100) as lines:
        assert isinstance(lines, reporting.LineProgress)
        for done in range(0, 251, 50):
            lines("rows", done, 250)
    assert piped.getvalue().splitlines() == ["rows done: 0 of 250", "rows done: 100 of 250", "rows done: 200 of 250",
                                             "rows done: 250 of 250"]
