"""Registering a judgment from its text (one confirmed service) and checking registered claims
against the stored text (docs/judgment-reader.md). Reference values are the judgment's own
wording: the principal and the segments it orders (DOMAIN.md §3: the wording always wins)."""

from __future__ import annotations

import hashlib
import io
from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfWriter

from baesang.calc.judgment_text import parse_judgment
from baesang.cases.models import ClaimHolding
from baesang.cases.reading import CreditorEntry, ReadingNotConfirmed, judgment_register_from_text
from baesang.core.models import AuditEvent
from baesang.judgments import reading as check
from baesang.judgments import services as registry
from baesang.judgments.errors import InvalidClaim
from baesang.judgments.judgment_reader import JudgmentFileRefused
from baesang.judgments.models import Claim, ClaimSegment, Document, Judgment, Person
from baesang.judgments.services import Upload

pytestmark = pytest.mark.django_db

APPEAL = """서울고등법원
판 결
사 건    2019나2000001 손해배상(기)
원고, 피항소인
1. 가나다
2. 망 라마바의 소송수계인 사아자
3. 망 라마바의 소송수계인 차카타
피고, 항소인    주식회사 데모중공업
    대표이사 (생략)
판 결 선 고    2020. 1. 22.

주 문
1. 제1심판결을 다음과 같이 변경한다.
가. 피고는 원고 1에게 100,000,000원, 원고 2에게 60,000,000원, 원고 3에게 40,000,000원 및 위 각 돈에 대하여
2015. 5. 23.부터 2020. 1. 22.까지는 연 5%의, 그 다음 날부터 다 갚는 날까지는 연 12%의 각 비율로 계산한 돈을 지급하라.
나. 원고들의 나머지 청구를 기각한다.
2. 소송비용은 피고가 부담한다.

이 유
(생략)
"""

RULING = """대 법 원
판 결
사 건    2020다200001 손해배상(기)
원고, 피상고인    가나다 외 2명
피고, 상고인    주식회사 데모중공업
원 심 판 결    서울고등법원 2020. 1. 22. 선고 2019나2000001 판결

주 문
상고를 기각한다.
상고비용은 피고가 부담한다.
"""


def _entries(text: str = APPEAL, **person_ids) -> list[CreditorEntry]:
    reading = parse_judgment(text)
    return [CreditorEntry(position=n, name=o.creditor, principal=o.principal, segments=o.segments,
                          deceased=o.deceased or "", person_id=person_ids.get(o.creditor))
            for n, o in enumerate(reading.orders, 1)]


def _register(officer, *, content: bytes = APPEAL.encode(), name: str = "appeal.txt", sha: str | None = None,
              creditors=None, ruling: Upload | None = None, case_number: str = "2020다200001"):
    return judgment_register_from_text(
        upload=Upload(name, content), sha256=sha if sha is not None else hashlib.sha256(content).hexdigest(),
        ruling=ruling, case_number=case_number, court_name="대법원", decided_on=date(2023, 12, 21),
        final_on=date(2023, 12, 21), debtor_code="DHI", debtor_name="데모중공업",
        creditors=_entries() if creditors is None else creditors, actor=officer)


def test_one_service_registers_judgment_claims_heirs_holders_and_the_document(officer):
    judgment = _register(officer, ruling=Upload("ruling.txt", RULING.encode()))
    claims = list(Claim.objects.filter(judgment=judgment).order_by("position"))
    # The judgment fixes each heir's principal: 60,000,000 and 40,000,000 won of the deceased's suit.
    assert [(c.position, c.principal) for c in claims] == [(1, 100_000_000), (2, 60_000_000), (3, 40_000_000)]
    assert claims[0].victim.name_hangul == "가나다" and claims[0].plaintiff is None
    assert claims[1].victim.name_hangul == claims[2].victim.name_hangul == "라마바"
    assert claims[1].victim_id == claims[2].victim_id  # one person for the deceased plaintiff
    assert [claims[1].plaintiff.name_hangul, claims[2].plaintiff.name_hangul] == ["사아자", "차카타"]
    # each creditor holds their own claim whole
    holders = {h.claim.position: (h.holder.name_hangul, h.share) for h in ClaimHolding.objects.filter(
        claim__judgment=judgment)}
    assert holders == {1: ("가나다", 1), 2: ("사아자", 1), 3: ("차카타", 1)}
    segments = [(s.start, s.end, s.rate) for s in ClaimSegment.objects.filter(claim=claims[1]).order_by("position")]
    assert segments == [(date(2015, 5, 23), date(2020, 1, 22), Decimal(5)), (date(2020, 1, 23), None, Decimal(12))]
    documents = Document.objects.filter(judgment=judgment, kind=Document.JUDGMENT)
    assert documents.count() == 2
    assert hashlib.sha256(APPEAL.encode()).hexdigest() in set(documents.values_list("sha256", flat=True))
    assert judgment.debtor.code == "DHI" and judgment.court.name == "대법원" and judgment.plaintiffs_count == 3
    assert AuditEvent.objects.filter(action="judgment.register_from_text").count() == 1


def test_an_existing_person_chosen_by_the_officer_is_used(officer):
    person = registry.person_create(name_hangul="가나다", actor=officer)
    judgment = _register(officer, creditors=_entries(**{"가나다": person.pk}))
    assert Claim.objects.get(judgment=judgment, position=1).victim == person
    assert Person.objects.filter(name_hangul="가나다").count() == 1


def test_a_person_of_another_name_is_refused(officer):
    other = registry.person_create(name_hangul="홍길동", actor=officer)
    with pytest.raises(ReadingNotConfirmed):
        _register(officer, creditors=_entries(**{"가나다": other.pk}))
    assert not Judgment.objects.exists()


def test_another_file_than_the_confirmed_one_registers_nothing(officer):
    with pytest.raises(ReadingNotConfirmed) as refused:
        _register(officer, sha=hashlib.sha256(b"another file").hexdigest())
    assert refused.value.field == "sha256"
    assert not Judgment.objects.exists() and not Claim.objects.exists() and not Document.objects.exists()
    with pytest.raises(ReadingNotConfirmed):
        _register(officer, creditors=[])
    assert not Judgment.objects.exists() and not Person.objects.exists()


def test_a_refused_claim_leaves_nothing_behind(officer):
    entries = _entries()
    bad = CreditorEntry(position=3, name="차카타", principal=40_000_000, segments=["2020-01-23:2015-01-01:12"])
    with pytest.raises(InvalidClaim):  # the interest engine refuses a segment that ends before it starts
        _register(officer, creditors=[*entries[:2], bad])
    assert not Judgment.objects.exists() and not Claim.objects.exists() and not Person.objects.exists()
    assert not Document.objects.exists()


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize(("content", "name", "code"), [
    (_blank_pdf(), "scan.pdf", "judgment_pdf_without_text"),
    (b"PK\x03\x04" + b"\x00" * 40, "judgment.txt", "judgment_unsupported_kind"),
    (b"\xff\xfe\xfd not a text \x80\x81", "judgment.txt", "judgment_unreadable"),
    (APPEAL.encode(), "judgment.hwp", "judgment_unsupported_kind"),
])
def test_bad_files_are_refused_with_their_code_and_register_nothing(officer, content, name, code):
    with pytest.raises(JudgmentFileRefused) as refused:
        _register(officer, content=content, name=name)
    assert refused.value.code == code
    assert not Judgment.objects.exists() and not Document.objects.exists() and not Person.objects.exists()


def test_euc_kr_text_is_detected_and_read_like_utf8(officer):
    content = APPEAL.encode("euc-kr")
    judgment = _register(officer, content=content)
    assert sorted(Claim.objects.filter(judgment=judgment).values_list("principal", flat=True)) == [
        40_000_000, 60_000_000, 100_000_000]
    assert check.judgment_check(judgment=judgment).clean


# --------------------------------------------------------------------------- the check


def test_the_check_reads_the_appellate_text_beside_a_dismissal(officer):
    judgment = _register(officer, ruling=Upload("ruling.txt", RULING.encode()))
    result = check.judgment_check(judgment=judgment)
    assert result.clean and result.orders == 3 and result.claims == 3
    assert result.document.sha256 == hashlib.sha256(APPEAL.encode()).hexdigest()


def test_the_check_lists_every_difference(officer):
    judgment = _register(officer, creditors=_entries()[:2])  # the third heir left out
    first = Claim.objects.get(judgment=judgment, position=1)
    Claim.objects.filter(pk=first.pk).update(principal=100_000_001)
    second = Claim.objects.get(judgment=judgment, position=2)
    ClaimSegment.objects.filter(claim=second, position=1).update(start=date(2015, 5, 24))
    ClaimSegment.objects.filter(claim=second, position=2).update(rate=Decimal(20))
    stranger = registry.person_create(name_hangul="파하", actor=officer)
    registry.claim_create(judgment=judgment, position=9, victim=stranger, principal=1_000,
                          segments=["2020-01-01:paid:5"], actor=officer)
    differences = check.judgment_check(judgment=judgment).differences
    found = {(d.kind, d.creditor) for d in differences}
    assert found == {(check.AMOUNT, "가나다"), (check.DATE, "사아자"), (check.RATE, "사아자"),
                     (check.MISSING_CREDITOR, "차카타"), (check.EXTRA_CLAIM, "파하")}
    amount = next(d for d in differences if d.kind == check.AMOUNT)
    assert (amount.judgment_says, amount.registered) == ("100,000,000", "100,000,001")


def test_a_judgment_without_its_text_is_a_difference(officer, judgment):
    assert [d.kind for d in check.judgment_check(judgment=judgment).differences] == [check.NO_TEXT]


def test_judgment_check_command_exit_codes(officer):
    judgment = _register(officer)
    out = StringIO()
    call_command("judgment", "check", "2020다200001", stdout=out)  # exit 0: returns normally
    assert "0 difference(s)" in out.getvalue()
    Claim.objects.filter(judgment=judgment, position=3).update(principal=1)
    with pytest.raises(SystemExit) as exited:
        call_command("judgment", "check", "--json", stdout=(out := StringIO()))
    assert exited.value.code == 1
    assert '"kind": "amount"' in out.getvalue()
    with pytest.raises(Exception) as bad:  # noqa: PT011 - CommandError with returncode 2
        call_command("judgment", "check", "2099다1")
    assert getattr(bad.value, "returncode", None) == 2
