"""Fixtures of the public-page tests: a small foundation built through the services.

Creditors carry names in Hangul, Hanja and romanization, birth dates, resident registration
numbers and bank accounts, so that the tests can assert none of them leaks into a public page
or file. All persons are invented.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.auth.models import Group
from factories import JudgmentFactory
from stdnum.kr import rrn as rrn_module

from baesang.cases import holdings
from baesang.cases import services as cases
from baesang.cases.services import BankResult
from baesang.core import roles
from baesang.donations import services as donations
from baesang.judgments import services as judgments
from baesang.ledger import accounts
from baesang.public import selectors


@pytest.fixture(autouse=True)
def _fresh_public_cache(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"  # the published open-data files of this test
    selectors.cache_clear()
    yield
    selectors.cache_clear()


def valid_rrn(birth: date, serial: int) -> str:
    """A resident registration number with a valid check digit (an invented person)."""
    sex = 1 if birth.year < 2000 else 3
    front = f"{birth:%y%m%d}{sex}{serial:05d}"
    return f"{front[:6]}-{front[6:]}{rrn_module.calc_check_digit(front)}"


@dataclass
class Creditor:
    hangul: str
    hanja: str
    roman: str
    birth: date
    rrn: str
    bank_account: str


@dataclass
class Foundation:
    staff: dict
    creditors: list[Creditor] = field(default_factory=list)
    claims: list = field(default_factory=list)
    anonymous_donor: str = ""
    named_donor: str = ""


# Invented names, unlike any real plaintiff's.
NAMES = [
    ("가상갑돌", "假想甲乭", "Gasang Gapdol"), ("가상을순", "假想乙順", "Gasang Eulsun"),
    ("가상병철", "假想丙哲", "Gasang Byeongcheol"), ("가상정희", "假想丁姬", "Gasang Jeonghui"),
    ("가상무영", "假想戊英", "Gasang Muyeong"), ("가상기남", "假想己男", "Gasang Ginam"),
    ("가상경자", "假想庚子", "Gasang Gyeongja"), ("가상신호", "假想辛浩", "Gasang Sinho"),
    ("가상임순", "假想壬順", "Gasang Imsun"), ("가상계동", "假想癸東", "Gasang Gyedong"),
]


def _user(django_user_model, username: str, role: str):
    roles.ensure_role_groups()
    user = django_user_model.objects.create_user(username)
    user.groups.add(Group.objects.get(name=role))
    return user


def bank_results(content: str):
    return [BankResult(line=int(r["line"]), amount=int(r["amount"]), status="paid", bank_reference=f"B{r['line']}",
                       reason="") for r in csv.DictReader(io.StringIO(content))]


def build_foundation(django_user_model, *, claims: int = 10, paid: int = 6, refused_deposited: int = 1,
                     waiting_accepted: int = 0) -> Foundation:
    """``claims`` claims of 100,000,000 won at 20 % from 2013-06-19 (the Nippon Steel terms of
    DOMAIN.md §4): ``paid`` of them paid in one batch on 2023-03-31, ``refused_deposited``
    refused and deposited with a court that accepted, ``waiting_accepted`` accepted and
    waiting; the rest never answered (waiting too)."""

    staff = {
        "case": _user(django_user_model, "case", roles.CASE_OFFICER),
        "finance": _user(django_user_model, "finance", roles.FINANCE_OFFICER),
        "approver": _user(django_user_model, "approver", roles.APPROVER),
    }
    world = Foundation(staff=staff)
    accounts.chart_ensure()
    named = donations.donor_create(name="공개기업 주식회사", kind="company", country="KR",
                                   may_be_named_publicly=True, user=staff["finance"])
    hidden = donations.donor_create(name="비공개기부자 홍가상", kind="individual", country="KR",
                                    user=staff["finance"])
    world.named_donor, world.anonymous_donor = named.name, hidden.name
    donations.donation_record(donor=named, value_date=date(2023, 3, 15), amount=4_000_000_000,
                              bank_reference="BANK-2023-0001", restricted=True, user=staff["finance"])
    donations.donation_record(donor=hidden, value_date=date(2023, 3, 20), amount=5_000_000,
                              bank_reference="BANK-2023-0002", restricted=True, user=staff["finance"])

    judgment = JudgmentFactory(plaintiffs_count=claims, actor=staff["case"])
    for number in range(claims):
        hangul, hanja, roman = NAMES[number % len(NAMES)]
        birth = date(1924 + number, 1 + number % 12, 3 + number)
        creditor = Creditor(hangul, hanja, roman, birth, valid_rrn(birth, 10000 + number),
                            f"301-{number:04d}-7788-{number:02d}")
        world.creditors.append(creditor)
        person = judgments.person_create(
            name_hangul=hangul, name_hanja=hanja, name_roman=roman, birth_date=birth, rrn=creditor.rrn,
            bank_name="가상은행", bank_account=creditor.bank_account, phone=f"010-5555-{number:04d}",
            address=f"가상시 가상로 {number + 1}", actor=staff["case"], pseudonymous=True)
        claim = judgments.claim_create(judgment=judgment, position=number + 1, victim=person,
                                       principal=100_000_000, segments=["2013-06-19:paid:20"], actor=staff["case"])
        holdings.claim_holders_plaintiff(claim=claim, actor=staff["case"])
        world.claims.append(claim)

    def accept(claim, label):
        for offer in cases.claim_offers_make(claim=claim, offered_on=date(2023, 3, 16), actor=staff["case"]):
            form = judgments.document_store(kind="consent_form", title=f"consent {label}",
                                            content=f"consent {label}".encode(), filename="consent.pdf",
                                            actor=staff["case"])
            cases.offer_accept(offer=offer, actor=staff["case"], verified_on=date(2023, 3, 17),
                               identity_method="id_card_in_person", capacity="self", witness_name="증인",
                               form_document=form)

    for index in range(paid):
        accept(world.claims[index], index)
    if paid:
        batch = cases.batch_prepare(payment_date=date(2023, 3, 31), preparer=staff["finance"])
        cases.batch_approve(batch=batch, approver=staff["approver"])
        bank_file = cases.batch_export(batch=batch, actor=staff["finance"])
        cases.batch_result_import(batch=batch, results=bank_results(bank_file.content), actor=staff["finance"])
    for index in range(paid, paid + refused_deposited):
        holding = world.claims[index].holdings.get()
        offer = cases.offer_make(holding=holding, offered_on=date(2023, 3, 16), actor=staff["case"])
        cases.offer_refuse(offer=offer, actor=staff["case"], refused_on=date(2023, 3, 20))
        deposit_court = judgments.court_ensure(name="광주지방법원", actor=staff["case"])
        deposit = cases.deposit_file(holding=holding, court=deposit_court, filed_on=date(2023, 4, 3),
                                     actor=staff["finance"])
        cases.deposit_decide(deposit=deposit, outcome="accepted", decided_on=date(2023, 4, 5),
                             actor=staff["case"], deposit_number=f"2023금제{index}호")
    start = paid + refused_deposited
    for index in range(start, start + waiting_accepted):
        accept(world.claims[index], index)
    return world


@pytest.fixture
def foundation(db, django_user_model):
    return build_foundation(django_user_model)
