"""The world at scale (`baesang demo scale --claims N`): a whole foundation of the size of
Germany's EVZ programme (1.66 million people paid, DOMAIN.md §5) on one PostgreSQL database,
built in minutes with ``COPY`` and set-wise SQL rather than one service call per row.

What it builds, deterministically for a seed (only the AES-GCM nonces of the encrypted fields
are random, as they must be):

- judgments of 1 to 300 plaintiffs (one of 300 when there are enough claims), decided from
  2005 to 2026, with interest segments worded as the courts do: the Litigation Promotion Act
  rate in force (``calc.interest.litigation_promotion_rate``: 20 %, 15 %, 12 %) from the day
  after the first-instance judgment, some after a Civil Code 5 % segment;
- persons with Korean names in Hangul, Hanja and romanized form (``pii.names.romanize_name``),
  their search keys, a synthetic resident registration number unique to each person (its blind
  index is unique, so no two persons are ever proposed as duplicates), the number, phone,
  address and bank account encrypted as ``EncryptedTextField`` encrypts them;
- the victims of ``heirs_share`` of the claims died, and two to eight heirs hold their claim in
  the shares the succession engine (``calc.succession``) gives under the regime of the date of
  death (1960–1978, 1979–1990, from 1991): each family shape with each date of death is
  computed once and reused. Each such change is a proposal by the case officer approved by a
  second person, written as ``cases.holdings`` writes it (proposal, holder change, holdings and
  the three audit rows); the other claims are held by their plaintiff;
- offers, verified consents (signed forms scanned in bundles, one stored document per bundle),
  refusals, and court deposits filed and decided through the services (``deposit_file``,
  ``deposit_decide``);
- donations of thousands of donors over the years, booked through ``ledger.services``
  (``transfers_create``: the same ids, journals, hash chain and running totals as the
  donations import), with their receipts (``receipts_issue``);
- some batches already paid, through the batch services (prepare, approve, export, bank
  answer).

It then runs the checks of the tests (:func:`world_checks`). docs/demo.md and BENCHMARKS.md.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Count, Sum
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone

from baesang.calc.interest import JudgmentOrder, Segment, litigation_promotion_rate
from baesang.calc.succession import SuccessionError, heirs_from_json
from baesang.cases import services
from baesang.cases.holdings import canonical_json, claim_state_of, holder_parts
from baesang.cases.models import (
    BatchLine,
    ClaimHolding,
    CourtDeposit,
    HolderChange,
    Offer,
    PaymentBatch,
)
from baesang.cases.selectors import figures_refresh, fund_report
from baesang.core.progress import Progress, progress_none
from baesang.core.services import audit_record
from baesang.donations import services as donation_services
from baesang.donations.models import Donation, Donor
from baesang.identity.synthetic import GIVEN_SYLLABLES, SURNAMES
from baesang.judgments import services as judgments
from baesang.judgments.models import Claim, Judgment, Person
from baesang.judgments.orders import order_amount_due
from baesang.ledger import accounts
from baesang.ledger.models import LedgerHead, Transfer
from baesang.ledger.selectors import account_balance, fund_position, ledger_verify
from baesang.ledger.services import TransferSpec, transfers_create
from baesang.pii import crypto
from baesang.pii.names import keys_text, romanize_name, search_keys_for

#: Stages of the progress bar, in order.
STAGES = {
    "judgments": "judgments and claims",
    "persons": "persons, holders, offers and consents",
    "donations": "donations",
    "deposits": "refusals deposited with courts",
    "batches": "batches paid",
    "checks": "checks",
}

CLAIMS_PER_CHUNK = 20_000
#: Claims per payment batch (about 2.4 lines a claim).
CLAIMS_PER_BATCH = 40_000
#: Consent forms scanned into one stored document.
FORMS_PER_BUNDLE = 500
#: Dates of death drawn for the deceased victims (each family shape is computed once per date).
DEATH_DATES = 400
REGIME_WEIGHTS = (("1960-1978", date(1960, 1, 1), date(1978, 12, 31), 10),
                  ("1979-1990", date(1979, 1, 1), date(1990, 12, 31), 15),
                  ("1991-", date(1991, 1, 1), date(2022, 12, 31), 75))
SCHEME_START = date(2023, 3, 16)  # the first offers of the third-party payment scheme (demo foundation)
DEBTORS = [("NSC", "일본제철", "Nippon Steel Corporation"), ("MHI", "미쓰비시중공업", "Mitsubishi Heavy Industries"),
           ("HZ", "히타치조선", "Hitachi Zosen"), ("FJK", "후지코시", "Fujikoshi")]
COURTS = [("대법원", "Supreme Court"), ("서울고등법원", "Seoul High Court"), ("광주고등법원", "Gwangju High Court"),
          ("부산고등법원", "Busan High Court"), ("대구고등법원", "Daegu High Court"),
          ("서울중앙지방법원", "Seoul Central District Court"), ("광주지방법원", "Gwangju District Court"),
          ("부산지방법원", "Busan District Court"), ("대전지방법원", "Daejeon District Court"),
          ("수원지방법원", "Suwon District Court")]
DEPOSIT_COURTS = ["광주지방법원", "전주지방법원", "수원지방법원 평택지원", "서울중앙지방법원", "부산지방법원"]
BANKS = ["국민은행", "신한은행", "우리은행", "하나은행", "농협은행", "기업은행", "부산은행", "광주은행"]
CITIES = ["서울특별시 종로구", "광주광역시 동구", "부산광역시 중구", "전라남도 나주시", "경상북도 안동시",
          "전라북도 전주시", "충청남도 천안시", "경기도 수원시", "대구광역시 북구", "강원도 춘천시"]
PRINCIPALS = [100_000_000, 100_000_000, 80_000_000, 120_000_000, 150_000_000, 90_000_000, 70_000_000, 50_000_000]


class ScaleRefused(Exception):
    """The world cannot be built here (not PostgreSQL, or the registry is not empty)."""


@dataclass
class Options:
    claims: int
    heirs_share: float = 0.6
    seed: int = 1
    paid_share: float = 0.05
    accepted_share: float = 0.85
    refused_share: float = 0.005
    deposits: int = 300
    donors: int | None = None


@dataclass
class Report:
    phases: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------ helpers


def _copy(table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """``COPY table (columns) FROM STDIN`` of Python rows; returns the number written."""
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def _ids(table: str, count: int) -> int:
    """Reserve ``count`` ids of ``table``'s identity sequence; returns the first."""
    if count <= 0:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_get_serial_sequence('{table}', 'id')")
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, count])
        last = cursor.fetchone()[0]
    return last - count + 1


def _encrypter() -> Callable[[str], str]:
    """``EncryptedTextField``'s stored form of a plaintext (``crypto.encrypt``), one cipher object reused."""
    return crypto.bulk_encrypter()


class _Clock:
    def __init__(self, report: Report, stdout) -> None:
        self.report, self.stdout = report, stdout

    def phase(self, name: str):
        clock = self

        class _Phase:
            def __enter__(self):
                self.start = time.perf_counter()

            def __exit__(self, *exc):
                clock.report.phases[name] = time.perf_counter() - self.start
                if exc[0] is None:
                    clock.stdout.write(f"  {name}: {clock.report.phases[name]:.1f} s")

        return _Phase()


# ------------------------------------------------------------------------------ names


class Names:
    """Korean names in Hangul, Hanja and romanized form, with their search keys (cached per name)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = [(h, c) for h, c, _ in SURNAMES]
        self.weights = [w for _, _, w in SURNAMES]
        self.keys: dict[tuple[str, str], tuple[str, str, str]] = {}

    def surname(self) -> tuple[str, str]:
        return self.rng.choices(self.surnames, self.weights)[0]

    def name(self, surname: tuple[str, str] | None = None) -> tuple[str, str, str, str, str]:
        """(hangul, hanja, roman, search keys JSON, search text)."""
        hangul_surname, hanja_surname = surname or self.surname()
        first, second = self.rng.sample(GIVEN_SYLLABLES, 2)
        hangul = hangul_surname + first[0] + second[0]
        hanja = hanja_surname + first[1] + second[1]
        cached = self.keys.get((hangul, hanja))
        if cached is None:
            roman = romanize_name(hangul)
            keys = search_keys_for(hangul=hangul, hanja=hanja, roman=roman)
            cached = self.keys[(hangul, hanja)] = (roman, json.dumps(keys, ensure_ascii=False), keys_text(keys))
        return hangul, hanja, *cached


# ------------------------------------------------------------------------------ families


@dataclass(frozen=True)
class Shape:
    """A family: the decedent V, a spouse (living, predeceased or none), children and, for a
    predeceased child, their spouse and children (representation)."""

    regime: str
    decedent_sex: str
    spouse: str  # "living", "dead", "none"
    spouse_died_years: int
    children: tuple[tuple[str, bool, bool, bool], ...]  # (sex, married_out, household head heir, predeceased)
    grandchildren: tuple[str, ...]  # of the predeceased child
    predeceased_years: int


def _shape(rng: random.Random, regime: str) -> Shape:
    decedent_sex = "M" if rng.random() < 0.8 else "F"
    spouse = rng.choices(["living", "dead", "none"], [60, 30, 10])[0]
    count = rng.choices(range(1, 8), [8, 20, 24, 20, 14, 9, 5])[0]
    sexes = [rng.choice("MF") for _ in range(count)]
    before_1991 = regime != "1991-"
    head = sexes.index("M") if before_1991 and decedent_sex == "M" and "M" in sexes else -1
    predeceased = rng.randrange(count) if not before_1991 and rng.random() < 0.2 else -1
    children = tuple((sex, before_1991 and sex == "F" and rng.random() < 0.5, n == head, n == predeceased)
                     for n, sex in enumerate(sexes))
    grandchildren = tuple(rng.choice("MF") for _ in range(rng.randint(1, 2))) if predeceased >= 0 else ()
    return Shape(regime, decedent_sex, spouse, rng.randint(1, 15), children, grandchildren, rng.randint(1, 10))


def _minus_years(day: date, years: int) -> date:
    return day.replace(year=day.year - years, day=min(day.day, 28) if day.month == 2 else day.day)


def family_file(shape: Shape, died: date) -> dict:
    """The family file of :mod:`baesang.calc.succession` for this shape and date of death."""
    persons = [{"id": "V", "sex": shape.decedent_sex, "died": died.isoformat()}]
    marriages, children = [], []
    parents = ["V"]
    if shape.spouse != "none":
        spouse = {"id": "S", "sex": "F" if shape.decedent_sex == "M" else "M"}
        if shape.spouse == "dead":
            spouse["died"] = _minus_years(died, shape.spouse_died_years).isoformat()
        persons.append(spouse)
        marriages.append({"a": "V", "b": "S"})
        parents.append("S")
    for number, (sex, married_out, head, predeceased) in enumerate(shape.children, 1):
        child: dict[str, Any] = {"id": f"C{number}", "sex": sex}
        if married_out:
            child["married_out"] = True
        if head:
            child["household_head_heir_of"] = ["V"]
        if predeceased:
            child["died"] = _minus_years(died, shape.predeceased_years).isoformat()
            persons.append({"id": f"C{number}S", "sex": "F" if sex == "M" else "M"})
            marriages.append({"a": f"C{number}", "b": f"C{number}S"})
            for g, grandchild_sex in enumerate(shape.grandchildren, 1):
                persons.append({"id": f"C{number}G{g}", "sex": grandchild_sex})
                children += [{"parent": f"C{number}", "child": f"C{number}G{g}"},
                             {"parent": f"C{number}S", "child": f"C{number}G{g}"}]
        persons.append(child)
        children += [{"parent": parent, "child": f"C{number}"} for parent in parents]
    return {"decedent": "V", "persons": persons, "marriages": marriages, "children": children}


@dataclass(frozen=True)
class Heirship:
    family: dict
    family_sha256: str
    shares: dict[str, Fraction]
    regime: str
    lines: dict[str, list[str]]


class Successions:
    """The succession engine's result for each (family shape, date of death), computed once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.shapes: dict[str, list[Shape]] = {}
        self.dates: dict[str, list[date]] = {}
        for regime, first, last, weight in REGIME_WEIGHTS:
            shapes = []
            while len(shapes) < 60:
                shape = _shape(rng, regime)
                try:
                    result = heirs_from_json(family_file(shape, last))
                except SuccessionError:
                    continue
                if 2 <= len(result.shares) <= 8:
                    shapes.append(shape)
            self.shapes[regime] = shapes
            span = (last - first).days
            days = max(1, DEATH_DATES * weight // 100)
            self.dates[regime] = sorted({first + timedelta(days=rng.randrange(span)) for _ in range(days)})
        self.regimes = [r for r, *_ in REGIME_WEIGHTS]
        self.weights = [w for *_, w in REGIME_WEIGHTS]
        self.cache: dict[tuple[int, date], Heirship] = {}
        self.computed = 0

    def draw(self, rng: random.Random, born: date) -> tuple[Shape, date, Heirship]:
        while True:
            regime = rng.choices(self.regimes, self.weights)[0]
            died = rng.choice(self.dates[regime])
            if died.year - born.year >= 35:
                break
        shape = rng.choice(self.shapes[regime])
        return shape, died, self.of(shape, died)

    def of(self, shape: Shape, died: date) -> Heirship:
        key = (id(shape), died)
        found = self.cache.get(key)
        if found is None:
            family = family_file(shape, died)
            result = heirs_from_json(family)
            found = self.cache[key] = Heirship(
                family=family, family_sha256=hashlib.sha256(canonical_json(family).encode()).hexdigest(),
                shares=dict(result.shares), regime=str(result.regime),
                lines={pid: list(lines) for pid, lines in (result.explanation or {}).items()})
            self.computed += 1
        return found


# ------------------------------------------------------------------------------ judgments


@dataclass
class JudgmentPlan:
    id: int
    case_number: str
    court_id: int
    debtor_id: int
    decided_on: date
    final_on: date
    plaintiffs: int
    segments: tuple[Segment, ...]
    principals: list[int]
    offered_on: date | None = None
    batch: int | None = None  # payment batch number for the paid ones


def _plaintiff_count(rng: random.Random) -> int:
    band = rng.choices([(1, 5), (6, 30), (31, 100), (101, 300)], [40, 35, 18, 7])[0]
    return rng.randint(*band)


def _segments(rng: random.Random, decided_on: date) -> tuple[Segment, ...]:
    """Interest as the courts word it: the statutory rate from the day after the first-instance
    judgment until paid, after a Civil Code 5 % segment from the day the complaint was served."""
    first_instance = decided_on - timedelta(days=rng.randint(400, 2500))
    first_instance = max(first_instance, date(2003, 6, 1))
    start = first_instance + timedelta(days=1)
    statutory = Segment(start, None, litigation_promotion_rate(start))
    if rng.random() < 0.4:
        served = first_instance - timedelta(days=rng.randint(200, 1500))
        return (Segment(served, first_instance, Decimal("5")), statutory)
    return (statutory,)


def plan_judgments(rng: random.Random, claims: int, courts: list[int], debtors: list[int]) -> list[JudgmentPlan]:
    plans: list[JudgmentPlan] = []
    left, serial = claims, 0
    while left > 0:
        count = min(left, 300 if not plans and claims >= 300 else _plaintiff_count(rng))
        left -= count
        serial += 1
        decided_on = date(2005, 1, 1) + timedelta(days=rng.randrange((date(2026, 3, 31) - date(2005, 1, 1)).days))
        supreme = rng.random() < 0.6
        final_on = decided_on if supreme else decided_on + timedelta(days=rng.randint(14, 60))
        base = rng.choice(PRINCIPALS)
        principals = [base if rng.random() < 0.8 else base - rng.choice([10, 20, 30]) * 1_000_000 + rng.choice(
            [0, 2_083_333, 5_000_000]) for _ in range(count)]
        plans.append(JudgmentPlan(
            id=0, case_number=f"{decided_on.year}다{100000 + serial}",
            court_id=courts[0] if supreme else rng.choice(courts[1:]), debtor_id=rng.choice(debtors),
            decided_on=decided_on, final_on=final_on, plaintiffs=count, segments=_segments(rng, decided_on),
            principals=principals))
    plans.sort(key=lambda p: (p.final_on, p.case_number))
    return plans


# ------------------------------------------------------------------------------ the world


class World:
    def __init__(self, options: Options, *, stdout, progress: Progress = progress_none) -> None:
        self.options = options
        self.stdout = stdout
        self.progress = progress
        self.rng = random.Random(options.seed)
        self.report = Report()
        self.clock = _Clock(self.report, stdout)
        users = get_user_model().objects
        self.case, self.finance = users.get(username="case"), users.get(username="finance")
        self.approver, self.admin = users.get(username="approver"), users.get(username="admin")
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.encrypt = _encrypter()
        self.names = Names(random.Random(options.seed + 1))
        self.successions = Successions(random.Random(options.seed + 2))
        self.due_cache: dict[tuple, Any] = {}
        self.rrn_serial: dict[tuple[date, str], int] = defaultdict(int)
        self.accounts_given = 0
        self.paid_claims: dict[int, list[int]] = defaultdict(list)  # batch number → claim ids
        self.pay_dates: list[date] = []
        self.refusing: list[int] = []  # holding ids refusing, for deposits
        self.bundle: tuple[int, int] | None = None  # (document id, forms in it)
        self.bundles = 0
        self.needed_by_batch: dict[int, int] = defaultdict(int)

    # -- amounts

    def due(self, principal: int, segments: tuple[Segment, ...], on: date):
        key = (principal, segments, on)
        found = self.due_cache.get(key)
        if found is None:
            if len(self.due_cache) > 200_000:
                self.due_cache.clear()
            found = self.due_cache[key] = order_amount_due(JudgmentOrder(principal, segments), on, method="period",
                                                           sheet=False)
        return found

    # -- phases

    def build(self) -> Report:
        started = time.perf_counter()
        with self.clock.phase("judgments"):
            plans = self.judgments()
        with self.clock.phase("persons, holders, offers, consents"):
            self.claims(plans)
        with self.clock.phase("analyse"), connection.cursor() as cursor:
            # The world's tables only: a bare ANALYZE also takes the cluster's shared catalogs,
            # which would make another database's ANALYZE wait for this transaction.
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in
                                                  connection.introspection.django_table_names(only_existing=True)))
        with self.clock.phase("donations"):
            self.donations()
        with self.clock.phase("deposits"):
            self.deposits()
        with self.clock.phase("batches"):
            self.batches()
        self.report.phases["build"] = time.perf_counter() - started
        self.report.counts = world_counts()
        return self.report

    def judgments(self) -> list[JudgmentPlan]:
        courts = [judgments.court_ensure(name=name, name_en=name_en, actor=self.case).pk for name, name_en in COURTS]
        for name, _ in ((n, None) for n in DEPOSIT_COURTS):
            judgments.court_ensure(name=name, actor=self.case)
        debtors = [judgments.debtor_ensure(code=code, name=name, name_en=name_en, actor=self.case).pk
                   for code, name, name_en in DEBTORS]
        plans = plan_judgments(self.rng, self.options.claims, courts, debtors)
        first = _ids("judgments_judgment", len(plans))
        for number, plan in enumerate(plans):
            plan.id = first + number
        _copy("judgments_judgment", ["id", "case_number", "decided_on", "final_on", "plaintiffs_count", "title", "note",
                                     "created_at", "court_id", "debtor_id"],
              ((p.id, p.case_number, p.decided_on, p.final_on, p.plaintiffs, "강제동원 피해자 손해배상", "scale world",
                self.now, p.court_id, p.debtor_id) for p in plans))
        # Paid: the earliest final judgments, in batches; every other judgment offered once the scheme began.
        target = int(self.options.claims * self.options.paid_share)
        paid = 0
        latest_offer = self.today - timedelta(days=40)
        for plan in plans:
            if paid < target and plan.final_on < date(2022, 1, 1):
                plan.batch = paid // CLAIMS_PER_BATCH
                paid += plan.plaintiffs
            else:
                start = max(plan.final_on + timedelta(days=14), SCHEME_START)
                if start <= latest_offer:
                    plan.offered_on = min(start + timedelta(days=self.rng.randint(0, 400)), latest_offer)
        batches = max((p.batch for p in plans if p.batch is not None), default=-1) + 1
        # Payment dates: every four months from April 2023, all before today.
        self.pay_dates = [min(date(2023, 4, 12) + timedelta(days=120 * n), self.today - timedelta(days=7))
                          for n in range(batches)]
        for plan in plans:
            if plan.batch is not None:
                plan.offered_on = self.pay_dates[plan.batch] - timedelta(days=60 - self.rng.randint(0, 20))
        self.progress("judgments", len(plans), len(plans))
        self.report.counts["judgments"] = len(plans)
        return plans

    def claims(self, plans: list[JudgmentPlan]) -> None:
        total = self.options.claims
        done = 0
        chunk: list[tuple[JudgmentPlan, int]] = []
        for plan in plans:
            for position in range(1, plan.plaintiffs + 1):
                chunk.append((plan, position))
                if len(chunk) >= CLAIMS_PER_CHUNK:
                    self._claims_chunk(chunk)
                    done += len(chunk)
                    chunk = []
                    self.progress("persons", done, total)
        if chunk:
            self._claims_chunk(chunk)
            done += len(chunk)
        self.progress("persons", done, total)
        self.stdout.write(f"  succession engine: {self.successions.computed:,} family shapes × dates computed")

    # -- one chunk of claims, all its rows

    def _rrn(self, born: date, sex: str) -> str:
        serial = self.rrn_serial[(born, sex)]
        self.rrn_serial[(born, sex)] = serial + 1
        gender = ("1" if sex == "M" else "2") if born.year < 2000 else ("3" if sex == "M" else "4")
        body = f"{born:%y%m%d}{gender}{serial:05d}"
        weights = (2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5)
        check = (11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11) % 10
        return f"{born:%y%m%d}-{gender}{serial:05d}{check}"

    def _person(self, rows: list, pid: int, sex: str, born: date, died: date | None, surname=None,
                holder: bool = True) -> None:
        rng = self.rng
        hangul, hanja, roman, keys, text = self.names.name(surname)
        rrn = self._rrn(born, sex)
        living_holder = holder and died is None
        if living_holder:
            self.accounts_given += 1
            phone = f"010-{rng.randint(2000, 9999)}-{rng.randint(1000, 9999)}"
            address = f"{rng.choice(CITIES)} {rng.randint(1, 300)}번길 {rng.randint(1, 99)}"
            bank = rng.choice(BANKS)
            account = f"{rng.randint(100, 999)}-{rng.randint(10, 99)}-{self.accounts_given:07d}"
        else:
            phone = address = bank = account = ""
        enc = self.encrypt
        rows.append((pid, hangul, hanja, roman, keys, text, sex, born, died, False, enc(rrn),
                     crypto.blind_index(rrn, "rrn"), enc(phone) if phone else "", enc(address) if address else "",
                     bank, enc(account) if account else "", True, "scale world (invented person)", self.now))

    def _claims_chunk(self, chunk: list[tuple[JudgmentPlan, int]]) -> None:
        rng = self.rng
        heirs_share = self.options.heirs_share
        n = len(chunk)
        claim_first = _ids("judgments_claim", n)
        persons: list[tuple] = []
        claims: list[tuple] = []
        segments: list[tuple] = []
        changes: list[tuple] = []
        proposals: list[tuple] = []
        holdings: list[tuple] = []
        offers: list[tuple] = []
        consents: list[tuple] = []
        audits: list[tuple] = []
        # First the shape of each claim, to reserve the ids.
        specs = []
        for plan, position in chunk:
            sex = "M" if rng.random() < 0.8 else "F"
            born = date(rng.randint(1915, 1931), rng.randint(1, 12), rng.randint(1, 28))
            if rng.random() < heirs_share:
                shape, died, heirship = self.successions.draw(rng, born)
                sex = shape.decedent_sex
                specs.append((plan, position, sex, born, died, heirship))
            else:
                specs.append((plan, position, sex, born, None, None))
        person_count = sum(1 + (len(h.shares) if h else 0) for *_, h in specs)
        person_id = _ids("judgments_person", person_count)
        holding_id = _ids("judgments_claimholding", sum(len(h.shares) if h else 1 for *_, h in specs))
        change_id = _ids("judgments_holderchange", n)
        proposal_id = _ids("cases_holderchangeproposal", sum(1 for *_, h in specs if h))
        outcome_of = {}
        for index, (plan, *_rest) in enumerate(specs):
            if plan.batch is not None:
                outcome_of[index] = "accepted"
            elif plan.offered_on is None:
                outcome_of[index] = "pending"
            else:
                roll = rng.random()
                refused, accepted = self.options.refused_share, self.options.accepted_share
                outcome_of[index] = ("refused" if roll < refused else "accepted" if roll < refused + accepted
                                     else "offered" if roll < refused + accepted + 0.05 else "pending")
        offer_count = sum(len(h.shares) if h else 1 for i, (*_, h) in enumerate(specs) if outcome_of[i] != "pending")
        consent_count = sum(len(h.shares) if h else 1 for i, (*_, h) in enumerate(specs) if outcome_of[i] == "accepted")
        offer_id = _ids("cases_offer", offer_count)
        consent_id = _ids("cases_consentverification", consent_count)
        case_id, approver_id = self.case.pk, self.approver.pk
        now = self.now
        for index, (plan, position, sex, born, died, heirship) in enumerate(specs):
            claim_id = claim_first + index
            principal = plan.principals[position - 1]
            victim_id = person_id
            person_id += 1
            victim_surname = None
            self._person(persons, victim_id, sex, born, died, holder=heirship is None)
            victim_surname = (persons[-1][1][:-2], persons[-1][2][:-2])
            for number, segment in enumerate(plan.segments, 1):
                segments.append((number, segment.start, segment.end, segment.rate, claim_id))
            outcome = outcome_of[index]
            if heirship is None:
                shares = {victim_id: Fraction(1)}
                valid_from = plan.final_on
                changes.append((change_id, HolderChange.PLAINTIFF, None, "", None, "", valid_from, "", now, claim_id,
                                None, case_id, None))
                audits.append((now, "case", "claim.holders_replace", "judgments.claim", str(claim_id), _j(
                    {"holdings": []}), _j({"basis": "plaintiff", "change": change_id, "family_sha256": None,
                                           "holders": [{"holder": victim_id, "share": "1/1"}]}), "", case_id))
            else:
                mapped: dict[str, int] = {}
                spouse_surname = self.names.surname()
                for pid in heirship.shares:
                    entry = next(p for p in heirship.family["persons"] if p["id"] == pid)
                    if pid == "S":
                        surname = spouse_surname
                        heir_born = born + timedelta(days=rng.randint(-1800, 1800))
                    elif pid.startswith("C") and "G" in pid:
                        surname = victim_surname if sex == "M" else spouse_surname
                        heir_born = born + timedelta(days=rng.randint(45 * 365, 60 * 365))
                    elif pid.endswith("S"):
                        surname = None
                        heir_born = born + timedelta(days=rng.randint(20 * 365, 40 * 365))
                    else:
                        surname = victim_surname if sex == "M" else spouse_surname
                        heir_born = born + timedelta(days=rng.randint(20 * 365, 40 * 365))
                    heir_born = min(heir_born, date(2005, 12, 28))
                    mapped[pid] = person_id
                    self._person(persons, person_id, entry["sex"], heir_born, None, surname=surname)
                    person_id += 1
                shares = {mapped[pid]: share for pid, share in heirship.shares.items()}
                valid_from = died
                explanation = _j({"persons": mapped, "lines": heirship.lines})
                family = _j(heirship.family)
                shares_json = [{"person": mapped[pid], "share": _share(s)} for pid, s in heirship.shares.items()]
                reason = "heirs from the family relation certificates"
                changes.append((change_id, HolderChange.HEIRSHIP, family, heirship.family_sha256, explanation,
                                heirship.regime, valid_from, reason, now, claim_id, None, approver_id, victim_id))
                proposals.append((proposal_id, "holders", "approved", "heirship", _j(shares_json), "[]", family,
                                  heirship.family_sha256, explanation, heirship.regime, valid_from, "", "", reason, now,
                                  now, "checked against the family relation certificates", change_id, claim_id,
                                  victim_id, approver_id, None, None, case_id))
                audits.append((now, "case", "holder_change.propose", "cases.holderchangeproposal", str(proposal_id),
                               None, _j({"claim": claim_id, "basis": "heirship", "holders": shares_json, "replaces": [],
                                         "family_sha256": heirship.family_sha256, "document": None}), reason, case_id))
                audits.append((now, "approver", "claim.holders_replace", "judgments.claim", str(claim_id),
                               _j({"holdings": []}), _j({"basis": "heirship", "change": change_id,
                                                         "family_sha256": heirship.family_sha256,
                                                         "holders": [{"holder": p, "share": _share(s)}
                                                                     for p, s in shares.items()]}), reason,
                               approver_id))
                audits.append((now, "approver", "holder_change.approve", "cases.holderchangeproposal",
                               str(proposal_id), _j({"state": "proposed"}),
                               _j({"state": "approved", "proposed_by": case_id, "change": change_id}),
                               "checked against the family relation certificates", approver_id))
                proposal_id += 1
            # holdings, offers and consents
            first_holding = holding_id
            parts = None
            states = []
            if outcome != "pending":
                due = self.due(principal, plan.segments, plan.offered_on)
                parts = holder_parts(due, {first_holding + k: s for k, s in enumerate(shares.values())})
            for holder, share in shares.items():
                state = {"pending": "pending", "offered": "offered", "accepted": "accepted",
                         "refused": "refused"}[outcome]
                states.append(state)
                holdings.append((holding_id, share.numerator, share.denominator, state, valid_from, None, claim_id,
                                 change_id, None, holder))
                if outcome != "pending":
                    answered = None if outcome == "offered" else plan.offered_on + timedelta(days=rng.randint(1, 25))
                    offer_state = {"offered": "open", "accepted": "accepted", "refused": "refused"}[outcome]
                    offers.append((offer_id, plan.offered_on, "visit", parts[holding_id].amount, offer_state, answered,
                                   "refuses payment by the foundation; asks the debtor to pay and apologise"
                                   if outcome == "refused" else "", now, holding_id, case_id))
                    if outcome == "accepted":
                        consents.append((consent_id, answered, "id_card_in_person", "self", "",
                                         "재단 직원 (scale witness)", None, "", now, self._bundle(), holding_id, None,
                                         case_id, offer_id))
                        consent_id += 1
                    elif outcome == "refused":
                        self.refusing.append(holding_id)
                    offer_id += 1
                holding_id += 1
            if plan.batch is not None:
                self.paid_claims[plan.batch].append(claim_id)
                self.needed_by_batch[plan.batch] += self.due(principal, plan.segments, self.pay_dates[plan.batch]).total
            claims.append((claim_id, position, principal, "period", claim_state_of(states), now, plan.id, None,
                           victim_id))
            change_id += 1
        _copy("judgments_person", PERSON_COLUMNS, persons)
        _copy("judgments_claim", ["id", "position", "principal", "method", "state", "created_at", "judgment_id",
                                  "plaintiff_id", "victim_id"], claims)
        _copy("judgments_claimsegment", ["position", "start", '"end"', "rate", "claim_id"], segments)
        _copy("judgments_holderchange", ["id", "basis", "family", "family_sha256", "explanation", "regime",
                                         "valid_from", "reason", "made_at", "claim_id", "document_id", "made_by_id",
                                         "decedent_id"], changes)
        _copy("cases_holderchangeproposal", PROPOSAL_COLUMNS, proposals)
        _copy("judgments_claimholding", ["id", "share_numerator", "share_denominator", "state", "valid_from",
                                         "superseded_at", "claim_id", "change_id", "superseded_by_id", "holder_id"],
              holdings)
        _copy("cases_offer", ["id", "offered_on", "channel", "amount_quoted", "state", "answered_on", "refusal_reason",
                              "created_at", "holding_id", "made_by_id"], offers)
        _copy("cases_consentverification", ["id", "verified_on", "identity_method", "capacity",
                                            "representative_name", "witness_name", "revoked_at", "revoked_reason",
                                            "created_at", "form_document_id", "holding_id",
                                            "representative_document_id", "verified_by_id", "offer_id"], consents)
        _copy("core_auditevent", ["at", "actor_label", "action", "entity_type", "entity_id", "old", "new", "note",
                                  "actor_id", "channel", "credential"], (row + ("", "") for row in audits))

    def _bundle(self) -> int:
        """The stored document of the bundle of signed consent forms the next form goes into."""
        if self.bundle is None or self.bundle[1] >= FORMS_PER_BUNDLE:
            self.bundles += 1
            number = self.bundles
            content = (f"scale world: signed consent forms (판결금 수령 동의서), bundle {number} of seed "
                       f"{self.options.seed}\n").encode()
            document = judgments.document_store(kind="consent_form", title=f"동의서 묶음 {number}", content=content,
                                                filename=f"consent-forms-{number}.txt", actor=self.case)
            self.bundle = (document.pk, 0)
        self.bundle = (self.bundle[0], self.bundle[1] + 1)
        return self.bundle[0]

    # -- donations

    def donations(self) -> None:
        """Thousands of donors over the years; each batch's payment date is preceded by corporate
        donations that cover it, the smaller gifts come in every month."""
        rng = random.Random(self.options.seed + 3)
        donors_count = self.options.donors or max(2_000, self.options.claims // 200)
        first_donor = _ids("donations_donor", donors_count)
        donors = []
        for number in range(donors_count):
            if number < 40:
                trade = rng.choice(["산업", "중공업", "제철", "건설", "상사"])
                name, kind, public = f"{self.names.name()[0][:1]}{trade} 주식회사 {number + 1}", "company", True
                brn = f"{1000000000 + number * 7919:010d}"
            else:
                name, kind, public, brn = f"{self.names.name()[0]} (개인 {number + 1})", "individual", False, ""
            donors.append((first_donor + number, name, kind, "KR", brn, public, self.now))
        _copy("donations_donor", ["id", "name", "kind", "country", "brn", "may_be_named_publicly", "created_at"],
              donors)
        deposits_reserve = self._deposits_estimate()
        lines: list[tuple[int, date, int, bool]] = []  # donor, value date, won, restricted
        # Corporate donations a month before each payment date cover its batch (5 % over); the
        # first ones also cover the court deposits.
        needs: dict[date, int] = defaultdict(int)
        needs[SCHEME_START - timedelta(days=1)] += int(deposits_reserve * 1.05) + 1_000_000
        for batch, pay_date in enumerate(self.pay_dates):
            needs[pay_date - timedelta(days=30)] += int(self.needed_by_batch[batch] * 1.05)
        for day, need in sorted(needs.items()):
            left = need
            while left > 0:
                amount = min(left, rng.choice([1, 2, 4, 5, 10]) * 1_000_000_000)
                lines.append((first_donor + rng.randrange(40), day, amount, True))
                left -= amount
        # Gifts from every donor, monthly over the years.
        months = []
        day = date(2023, 3, 1)
        while day < self.today - timedelta(days=31):
            months.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        for number in range(donors_count):
            gifts = rng.randint(1, 12)
            for _ in range(gifts):
                month = rng.choice(months)
                won = int(rng.lognormvariate(12, 1.5)) // 1000 * 1000 + 10_000
                lines.append((first_donor + number, month + timedelta(days=rng.randint(0, 27)), won,
                              rng.random() < 0.8))
        lines.sort(key=lambda x: x[1])
        by_month: dict[tuple[int, int], list] = defaultdict(list)
        for line in lines:
            by_month[(line[1].year, line[1].month)].append(line)
        donation_id = _ids("donations_donation", len(lines))
        rows = []
        done = 0
        for key in sorted(by_month):
            month_lines = by_month[key]
            references = [f"SCALE-{key[0]}{key[1]:02d}-{n:06d}" for n in range(1, len(month_lines) + 1)]
            digest = hashlib.sha256("\n".join(sorted(references)).encode()).hexdigest()
            journal = f"donations:{digest[:32]}"
            transfers_create(specs=[TransferSpec(
                id=donation_services.transfer_id_for(reference), debit=accounts.BANK,
                credit=accounts.DONATIONS_RESTRICTED if restricted else accounts.DONATIONS_UNRESTRICTED,
                amount=won, value_date=value_date, description=f"donation {reference}", journal=journal)
                for reference, (_donor, value_date, won, restricted) in zip(references, month_lines, strict=True)],
                user=self.finance)
            for reference, (donor, value_date, won, restricted) in zip(references, month_lines, strict=True):
                rows.append((donation_id, value_date, reference, "KRW", Decimal(won), Decimal(1), won, restricted,
                             self.now, self.finance.pk, donation_services.transfer_id_for(reference), donor, None))
                donation_id += 1
            audit_record(actor=self.finance, action="donations.import", entity_type="donations.import",
                         entity_id=journal[:80], new={"source": f"bank statement {key[0]}-{key[1]:02d} (scale world)",
                                                      "booked": len(month_lines), "already_imported": 0,
                                                      "total_won": sum(x[2] for x in month_lines),
                                                      "journal": journal})
            done += len(month_lines)
            self.progress("donations", done, len(lines))
        _copy("donations_donation", ["id", "value_date", "bank_reference", "currency", "original_amount", "rate",
                                     "amount_won", "restricted", "created_at", "created_by_id", "transfer_id",
                                     "donor_id", "pledge_id"], rows)
        for year in sorted({line[1].year for line in lines}):
            issued = date(year + 1, 1, 20) if date(year + 1, 1, 20) <= self.today else self.today
            donation_services.receipts_issue(year=year, issued_on=issued, user=self.finance)
        self.report.counts["donors"] = donors_count

    def _deposits_estimate(self) -> int:
        holdings = self.refusing[:self.options.deposits]
        if not holdings:
            return 0
        total = 0
        for claim in Claim.objects.filter(holdings__pk__in=holdings).prefetch_related("segments").distinct():
            segments = tuple(Segment(s.start, s.end, s.rate) for s in sorted(claim.segments.all(),
                                                                               key=lambda s: s.position))
            total += self.due(claim.principal, segments, self.today).total
        return total

    # -- refusals deposited with courts, through the services

    def deposits(self) -> None:
        rng = random.Random(self.options.seed + 4)
        chosen = self.refusing[:self.options.deposits]
        courts = {name: judgments.court_ensure(name=name, actor=self.case) for name in DEPOSIT_COURTS}
        for number, holding in enumerate(ClaimHolding.objects.filter(pk__in=chosen).order_by("pk")):
            offer = Offer.objects.filter(holding=holding).first()
            filed_on = min(offer.answered_on + timedelta(days=rng.randint(30, 120)), self.today)
            deposit = services.deposit_file(holding=holding, court=courts[rng.choice(DEPOSIT_COURTS)],
                                            filed_on=filed_on, actor=self.finance)
            decided = min(filed_on + timedelta(days=rng.randint(3, 20)), self.today)
            if rng.random() < 0.2:
                services.deposit_decide(deposit=deposit, outcome="accepted", decided_on=decided, actor=self.case,
                                        deposit_number=f"{decided.year}금제{number + 1}호")
            else:
                services.deposit_decide(deposit=deposit, outcome="refused", decided_on=decided, actor=self.case,
                                        note="불수리: the creditor has declared refusal")
                objection = min(decided + timedelta(days=20), self.today)
                services.deposit_decide(deposit=deposit, outcome="objection_filed", decided_on=objection,
                                        actor=self.case)
                services.deposit_decide(deposit=deposit, outcome="objection_dismissed",
                                        decided_on=min(objection + timedelta(days=30), self.today), actor=self.case)
            self.progress("deposits", number + 1, len(chosen))

    # -- batches already paid, through the services

    def batches(self) -> None:
        done = 0
        total = sum(len(v) for v in self.paid_claims.values())
        for number in sorted(self.paid_claims):
            claims = list(Claim.objects.filter(pk__in=self.paid_claims[number]))
            pay_date = self.pay_dates[number]
            batch = services.batch_prepare(payment_date=pay_date, preparer=self.finance, claims=claims)
            services.batch_approve(batch=batch, approver=self.approver)
            bank_file = services.batch_export(batch=batch, actor=self.finance)
            with bank_file.file:
                results = [services.BankResult(line=int(row["line"]), amount=int(row["amount"]), status="paid",
                                               bank_reference=f"SCALE-BANK-{batch.pk}-{row['line']}")
                           for row in csv.DictReader(bank_file.text_lines())]
            services.batch_result_import(batch=batch, results=results, actor=self.finance)
            # The planner's statistics of the tables a batch fills, taken again inside this one
            # transaction: taken before the first batch they say "empty", and the next batch's
            # look-ups of earlier payments become a scan of every line per holder.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE cases_batchline, cases_batchclaim, cases_indemnityclaim, ledger_transfer")
            done += len(claims)
            self.progress("batches", done, total)


PERSON_COLUMNS = ["id", "name_hangul", "name_hanja", "name_roman", "search_keys", "search_text", "sex", "birth_date",
                  "death_date", "needs_representative", "rrn", "rrn_index", "phone", "address", "bank_name",
                  "bank_account", "pseudonymous", "note", "created_at"]
PROPOSAL_COLUMNS = ["id", "kind", "state", "basis", "shares", "replaces", "family", "family_sha256", "explanation",
                    "regime", "valid_from", "bank_name", "bank_account", "reason", "proposed_at", "decided_at",
                    "decision_note", "change_id", "claim_id", "decedent_id", "decided_by_id", "document_id",
                    "person_id", "proposed_by_id"]


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _share(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


# ------------------------------------------------------------------------------ checks


def world_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name, table in (("judgments", "judgments_judgment"), ("claims", "judgments_claim"),
                            ("persons", "judgments_person"), ("holdings", "judgments_claimholding"),
                            ("holder changes", "judgments_holderchange"), ("offers", "cases_offer"),
                            ("consents", "cases_consentverification"), ("donations", "donations_donation"),
                            ("transfers", "ledger_transfer"), ("batch lines", "cases_batchline"),
                            ("court deposits", "cases_courtdeposit"), ("audit events", "core_auditevent")):
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts[name] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_database_size(current_database())")
        counts["database bytes"] = cursor.fetchone()[0]
    return counts


def world_checks(*, progress: Progress = progress_none) -> dict[str, Any]:
    """The checks of the tests (tests/reliability): the ledger verifies, each holding is paid at
    most once and exactly the paid holdings have paid lines, the fund report agrees with the
    ledger's fund position, and the public figures equal the ledger's."""
    checks: dict[str, Any] = {}
    timings: dict[str, float] = {}
    start = time.perf_counter()
    verification = ledger_verify(progress=progress)
    timings["ledger verify"] = time.perf_counter() - start
    checks["ledger verify"] = bool(verification.ok)
    start = time.perf_counter()
    twice = BatchLine.objects.filter(state=BatchLine.PAID).values("holding_id").annotate(n=Count("pk")).filter(
        n__gt=1).count()
    paid_holdings = ClaimHolding.objects.filter(state=ClaimHolding.PAID).count()
    paid_lines = BatchLine.objects.filter(state=BatchLine.PAID).count()
    unmatched = ClaimHolding.objects.filter(state=ClaimHolding.PAID).exclude(
        payment_lines__state=BatchLine.PAID).count()
    checks["each holder paid once"] = twice == 0 and paid_holdings == paid_lines and unmatched == 0
    checks["holdings paid"] = paid_holdings
    timings["paid once"] = time.perf_counter() - start
    start = time.perf_counter()
    today = timezone.localdate()
    # one pass over the claims fills every staff figure of the day (fund report, waiting totals,
    # limitation panel) in the cache, as `baesang report refresh` does: the screens open at once
    figures_refresh(as_of=today)
    timings["figures pass"] = time.perf_counter() - start
    start = time.perf_counter()
    position, report = fund_position(as_of=today), fund_report(as_of=today)
    open_lines = BatchLine.objects.filter(state=BatchLine.OPEN, batch__state__in=[
        PaymentBatch.APPROVED, PaymentBatch.EXPORTED]).aggregate(s=Sum("amount"))["s"] or 0
    filed = CourtDeposit.objects.filter(state=CourtDeposit.FILED).aggregate(s=Sum("amount"))["s"] or 0
    checks["fund report reconciled"] = (
        (report["balance"], report["reserved"], report["available"], report["deposits_held"])
        == (position.bank_balance, position.reserved, position.available, position.deposits_held)
        and position.bank_balance == account_balance(code=accounts.BANK).balance
        and position.reserved == open_lines + filed
        and report["donations_received"] == position.bank_balance + position.deposits_held + report["paid"])
    checks["fund report"] = {k: report[k] for k in ("donations_received", "paid", "deposits_held", "balance",
                                                    "reserved", "available", "owed_waiting")}
    timings["fund report"] = time.perf_counter() - start
    start = time.perf_counter()
    published = published_totals()
    head = LedgerHead.objects.get(pk=1)
    reserved = sum(c["pending_credits"] for c in published["totals"]["classes"] if c["purpose"] == "bank")
    checks["public figures equal the ledger's"] = (
        published["totals"]["bank"] == position.bank_balance and reserved == position.reserved
        and published["totals"]["judgment_payments"] == report["paid"]
        and published["totals"]["deposits_held"] == position.deposits_held
        and published["totals"]["donations_received"] == report["donations_received"]
        and published["totals"]["transfers"] == Transfer.objects.count()
        and published["ledger_head"]["hash"] == head.hash)
    timings["public figures"] = time.perf_counter() - start
    checks["timings"] = timings
    return checks


def published_totals() -> dict:
    """The open-data file as the public downloads it (``/public/data/transfers.json``, reached by
    its URL: the demo does not import the public pages), without its rows."""
    path = "/public/data/transfers.json"
    response = resolve(path).func(RequestFactory().get(path))
    if not response.streaming:
        document = json.loads(response.content)
        document.pop("transfers", None)
        return document
    # The file's head (format, heads, totals) comes before its rows: read until the rows begin,
    # never the rows themselves (ten million transfers are gigabytes of JSON).
    head, marker = b"", re.compile(rb',\s*"transfers":\s*\[')
    try:
        for chunk in response.streaming_content:
            head += chunk
            found = marker.search(head)
            if found:
                return json.loads(head[:found.start()] + b"}")
    finally:
        response.close()
    document = json.loads(head)
    document.pop("transfers", None)
    return document


def refuse_unless_empty_postgres() -> None:
    if connection.vendor != "postgresql":
        raise ScaleRefused(f"`baesang demo scale` builds its world with PostgreSQL's COPY; this database is "
                           f"{connection.vendor}. Set DATABASE_URL=postgres://… and run `baesang migrate` first.")
    if Judgment.objects.exists() or Person.objects.exists() or Donation.objects.exists() or Donor.objects.exists():
        raise ScaleRefused("`baesang demo scale` builds a whole foundation and needs a database without judgments, "
                           "persons or donations; use a fresh database (createdb, then `baesang migrate`).")


def build(options: Options, *, stdout, progress: Progress = progress_none) -> Report:
    """Build the world in one transaction and run the checks."""
    refuse_unless_empty_postgres()
    with transaction.atomic():
        accounts.chart_ensure(user=None)
        world = World(options, stdout=stdout, progress=progress)
        report = world.build()
        audit_record(actor=world.admin, action="demo.scale", entity_type="demo.scale", entity_id=str(options.seed),
                     new={"claims": options.claims, "heirs_share": options.heirs_share, "seed": options.seed,
                          "counts": report.counts},
                     note="the world at scale: judgments, persons, holders, offers and consents written by COPY")
        committing = time.perf_counter()
    # The commit checks every deferred foreign key of the rows written (PostgreSQL's RI triggers).
    report.phases["commit"] = time.perf_counter() - committing
    stdout.write(f"  commit (deferred foreign-key checks): {report.phases['commit']:.1f} s")
    report.phases["build"] += report.phases["commit"]
    started = time.perf_counter()
    report.checks = world_checks(progress=progress)
    report.phases["checks"] = time.perf_counter() - started
    return report

