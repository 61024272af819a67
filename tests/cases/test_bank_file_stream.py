"""The bank transfer file is written a chunk of lines at a time (issue 13: a batch of millions of
lines never held whole in memory): the bytes and the SHA-256 are those of the file built whole
as before, whatever the chunk size; a caller's file receives them; a re-export is still refused
once a holder's bank details changed, and then changes nothing."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date

import pytest
from casework_support import accept_all, fund_donate

from baesang.cases import holdings, services
from baesang.cases.errors import IllegalTransition
from baesang.cases.models import BatchLine, PaymentBatch
from baesang.core.models import AuditEvent
from baesang.core.spreadsheets import neutralise
from baesang.pii.fields import reveal

pytestmark = pytest.mark.django_db

NAMES = ["박순이", '=HYPERLINK("http://evil.example","x")', "김, 철수", '이 "영희"', "-최", "정\n둘째 줄"]


def _whole_file(batch: PaymentBatch) -> str:
    """The bank file as it was built before streaming: every line in one string."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(services.EXPORT_COLUMNS)
    for pk, case_number, position, name, bank, account, amount in BatchLine.objects.filter(
            batch=batch, state=BatchLine.OPEN).order_by("pk").values_list(
            "pk", "claim__judgment__case_number", "claim__position", "holder__name_hangul", "holder__bank_name",
            "holder__bank_account", "amount"):
        writer.writerow((pk, f"B{batch.pk}-L{pk}", neutralise(f"{case_number}#{position}"), neutralise(name or ""),
                         neutralise(bank or ""), neutralise(reveal(account) or ""), amount))
    return out.getvalue()


def _approved(world) -> PaymentBatch:
    fund_donate(20_000_000_000)
    for i, name in enumerate(NAMES):
        accept_all(world, world.claim(world.person(name, bank_name="국민은행", bank_account=f"100-{i:06d}-01")))
    batch = services.batch_prepare(payment_date=date(2023, 4, 10), preparer=world.staff.finance)
    return services.batch_approve(batch=batch, approver=world.staff.approver)


@pytest.mark.parametrize("chunk", [1, 2, 4, 5000])
def test_the_streamed_file_is_byte_for_byte_the_whole_file(world, monkeypatch, chunk):
    monkeypatch.setattr(services, "CHUNK", chunk)
    batch = _approved(world)
    seen = []
    bank_file = services.batch_export(batch=batch, actor=world.staff.finance,
                                      progress=lambda stage, done, total: seen.append((stage, done, total)))
    expected = _whole_file(batch).encode("utf-8")
    with bank_file.file:
        written = bank_file.file.read()
        assert written == expected
        assert bank_file.content.encode("utf-8") == expected
        assert "".join(bank_file.text_lines()).encode("utf-8") == expected
    assert bank_file.lines == len(NAMES)
    assert bank_file.sha256 == hashlib.sha256(expected).hexdigest() == PaymentBatch.objects.get(
        pk=batch.pk).export_sha256
    # progress after each chunk, then the end
    assert seen[0] == ("export", 0, len(NAMES)) and seen[-1] == ("export", len(NAMES), len(NAMES))
    assert len(seen) == 2 + len(NAMES) // chunk


def test_the_file_goes_to_the_callers_file_and_a_retry_writes_the_same(world, tmp_path):
    batch = _approved(world)
    first = tmp_path / "first.csv"
    with first.open("wb") as target:
        bank_file = services.batch_export(batch=batch, actor=world.staff.finance, target=target)
        assert not target.closed  # the caller's file stays the caller's
    assert first.read_bytes() == _whole_file(batch).encode("utf-8")
    again = tmp_path / "again.csv"
    with again.open("wb") as target:
        assert services.batch_export(batch=batch, actor=world.staff.finance, target=target).sha256 == bank_file.sha256
    assert again.read_bytes() == first.read_bytes()


def test_a_re_export_after_a_holder_changed_bank_is_refused_and_changes_nothing(world, tmp_path):
    batch = _approved(world)
    exported = services.batch_export(batch=batch, actor=world.staff.finance)
    holder = BatchLine.objects.filter(batch=batch).order_by("pk").first().holder
    proposal = holdings.account_change_propose(person=holder, bank_name="새은행", bank_account="333-000000-01",
                                               actor=world.staff.case, reason="moved bank")
    holdings.holder_change_approve(proposal=proposal, actor=world.staff.approver)
    audits = AuditEvent.objects.count()
    with pytest.raises(IllegalTransition, match="bank details changed"):
        services.batch_export(batch=batch, actor=world.staff.finance)
    batch.refresh_from_db()
    assert batch.state == PaymentBatch.EXPORTED and batch.export_sha256 == exported.sha256
    assert AuditEvent.objects.count() == audits
