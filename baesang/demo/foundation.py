"""The demo foundation (`baesang demo load`): the three Supreme Court judgments of 2018 with
their real case numbers, dates, principal sums and interest terms (DOMAIN.md §4), invented
(pseudonymous) creditors and heirs, the POSCO donation of 15 March 2023, and a plausible
history: offers, verified acceptances, one payment batch paid, four refusals whose court
deposits were refused (불수리) and whose objections were dismissed. Then the later judgments
as the foundation met them — four Supreme Court rulings final in December 2023 and January 2024
that dismissed the debtors' appeals, registered from the demo's judgment texts
(``baesang/demo/judgments/``: each ruling and the appellate judgment whose operative part holds
the orders) through the reader and the confirmation service, 53 creditors of whom many are heirs
who took over a deceased plaintiff's suit; POSCO's second donation (September 2024) pays twelve of
them and the rest wait. See docs/demo.md.

No real person's name or data is used: every creditor and heir is invented and marked
``pseudonymous``; no resident registration number is stored. Dates of the history after the
judgments are plausible, not the real ones. Loading twice changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from baesang.calc.judgment_file import read_judgment_file
from baesang.calc.judgment_text import parse_judgment
from baesang.cases import holdings, services
from baesang.cases.reading import CreditorEntry, judgment_register_from_text
from baesang.cases.selectors import claim_figures
from baesang.donations.models import Donor
from baesang.donations.services import donation_record, donor_create
from baesang.judgments import services as judgments
from baesang.judgments.models import Claim, Judgment
from baesang.judgments.services import Upload
from baesang.pii.names import romanize_name

DONATION_DATE = date(2023, 3, 15)
DONATION_AMOUNT = 4_000_000_000  # POSCO, 15 March 2023 (DOMAIN.md §1)
ANNOUNCEMENT_DATE = date(2023, 3, 6)  # the government announced the third-party payment scheme
OFFER_DATE = date(2023, 3, 16)
PAYMENT_DATE = date(2023, 4, 12)

NIPPON = "2013다61381"
NAGOYA = "2015다45420"
HIROSHIMA = "2013다67587"

# The judgments (DOMAIN.md §4). Supreme Court rulings become final on the day they are given.
JUDGMENTS = [
    {"case_number": NIPPON, "debtor": "NSC", "decided_on": date(2018, 10, 30), "plaintiffs": 4,
     "title": "강제동원 피해자 손해배상 (일본제철, 구 신일철주금)", "principals": [100_000_000] * 4,
     "segments": ["2013-06-19:paid:20"]},
    {"case_number": NAGOYA, "debtor": "MHI", "decided_on": date(2018, 11, 29), "plaintiffs": 5,
     "title": "근로정신대 피해자 손해배상 (미쓰비시중공업, 나고야)",
     "principals": [120_000_000, 100_000_000, 120_000_000, 120_000_000, 102_083_333],
     "segments": ["2015-05-13:2015-06-24:5", "2015-06-25:paid:20"]},
    {"case_number": HIROSHIMA, "debtor": "MHI", "decided_on": date(2018, 11, 29), "plaintiffs": 5,
     "title": "강제동원 피해자 손해배상 (미쓰비시중공업, 히로시마)", "principals": [80_000_000] * 5,
     # The interest wording is assumed (DOMAIN.md §4): 20 % from the day after the Busan High
     # Court judgment of 2013-07-30.
     "segments": ["2013-07-31:paid:20"]},
]

DEBTORS = {"NSC": ("일본제철", "Nippon Steel Corporation (formerly Nippon Steel & Sumitomo Metal)"),
           "MHI": ("미쓰비시중공업", "Mitsubishi Heavy Industries")}

#: The judgment texts written for the demo: per case number, the Supreme Court ruling and the
#: appellate judgment whose operative part holds the orders (files ``<slug>.txt``, ``<slug>-appeal.txt``).
TEXTS = Path(__file__).resolve().parent / "judgments"
TEXT_SLUGS = {NIPPON: "2013da61381", NAGOYA: "2015da45420", HIROSHIMA: "2013da67587"}

# The judgments final in December 2023 and January 2024 (case numbers invented for the demo):
# Supreme Court rulings that dismissed the appeals, registered from their texts.
LATER_JUDGMENTS = [
    {"slug": "2020da210133", "debtor": "MHI", "decided_on": date(2023, 12, 21),
     "title": "근로정신대 피해자 손해배상 (미쓰비시중공업, 2차)"},
    {"slug": "2019da246818", "debtor": "NSC", "decided_on": date(2023, 12, 21),
     "title": "강제동원 피해자 손해배상 (일본제철, 2차)"},
    {"slug": "2019da232918", "debtor": "HZ", "debtor_name": "히타치조선", "debtor_name_en": "Hitachi Zosen",
     "decided_on": date(2023, 12, 28), "title": "강제동원 피해자 손해배상 (히타치조선)"},
    {"slug": "2020da240021", "debtor": "FJK", "debtor_name": "후지코시", "debtor_name_en": "Fujikoshi",
     "decided_on": date(2024, 1, 25), "title": "근로정신대 피해자 손해배상 (후지코시)"},
]
SECOND_DONATION_DATE = date(2024, 9, 13)
SECOND_DONATION_AMOUNT = 2_000_000_000  # POSCO, September 2024 (DOMAIN.md §1)
LATER_OFFER_DATE = date(2024, 9, 23)
LATER_PAYMENT_DATE = date(2024, 10, 15)
#: Creditors of the later judgments paid from the second donation (case number, plaintiff number).
LATER_PAID = [("2020다210133", n) for n in (1, 2, 3, 4, 5, 6)] + [("2019다246818", n) for n in (1, 2, 6, 7)] \
    + [("2019다232918", n) for n in (1, 2)]


def _f(pid: str, sex: str, **extra: Any) -> dict:
    return {"id": pid, "sex": sex, **extra}


def _family(decedent: str, persons: list[dict], marriages: list[tuple], children: list[tuple]) -> dict:
    return {"decedent": decedent, "persons": persons,
            "marriages": [{"a": a, "b": b} for a, b in marriages],
            "children": [{"parent": p, "child": c} for p, c in children]}


def _kids(parents: tuple[str, ...], kids: list[str]) -> list[tuple]:
    return [(parent, kid) for kid in kids for parent in parents]


# Each victim: (pseudonymous name, sex, born, died or None, family file or None, names of the family's persons).
VICTIMS: dict[tuple[str, int], dict] = {
    (NIPPON, 1): {"name": "한만석", "sex": "M", "born": date(1924, 12, 10), "died": None},
    (NIPPON, 2): {"name": "오태근", "sex": "M", "born": date(1923, 3, 3), "died": date(2014, 6, 7),
                  "family": _family("V", [_f("V", "M", died="2014-06-07"), _f("W", "F"), _f("A", "M"), _f("B", "F")],
                                    [("V", "W")], _kids(("V", "W"), ["A", "B"])),
                  "heirs": {"W": ("문정례", "F"), "A": ("오상철", "M"), "B": ("오미자", "F")}},
    (NIPPON, 3): {"name": "배영도", "sex": "M", "born": date(1925, 8, 1), "died": date(2016, 1, 20),
                  "family": _family("V", [_f("V", "M", died="2016-01-20"), _f("W", "F", died="2009-09-09"),
                                          _f("A", "M"), _f("B", "M"), _f("C", "F")],
                                    [("V", "W")], _kids(("V", "W"), ["A", "B", "C"])),
                  "heirs": {"A": ("배정수", "M"), "B": ("배정호", "M"), "C": ("배정란", "F")}},
    # Died after the judgment became final: the plaintiff's holding passes to the heirs.
    (NIPPON, 4): {"name": "남궁석", "sex": "M", "born": date(1927, 2, 14), "died": date(2019, 5, 2),
                  "later": True,
                  "family": _family("V", [_f("V", "M", died="2019-05-02"), _f("W", "F"), _f("A", "M")],
                                    [("V", "W")], _kids(("V", "W"), ["A"])),
                  "heirs": {"W": ("진옥분", "F"), "A": ("남궁현", "M")}},
    (NAGOYA, 1): {"name": "표순덕", "sex": "F", "born": date(1929, 5, 5), "died": None},
    (NAGOYA, 2): {"name": "채옥림", "sex": "F", "born": date(1930, 1, 9), "died": date(2022, 2, 16),
                  "family": _family("V", [_f("V", "F", died="2022-02-16"), _f("H", "M", died="2001-04-04"),
                                          _f("A", "M"), _f("B", "F")],
                                    [("V", "H")], _kids(("V", "H"), ["A", "B"])),
                  "heirs": {"A": ("구본철", "M"), "B": ("구은주", "F")}},
    (NAGOYA, 3): {"name": "방금례", "sex": "F", "born": date(1930, 10, 21), "died": None},
    (NAGOYA, 4): {"name": "석복순", "sex": "F", "born": date(1931, 7, 30), "died": None,
                  "needs_representative": True},
    # The victim died in 1944; her younger brother sued and holds the claim as plaintiff.
    (NAGOYA, 5): {"name": "탁순애", "sex": "F", "born": date(1930, 2, 2), "died": date(1944, 12, 7),
                  "plaintiff": ("탁만길", "M", date(1935, 4, 4))},
    (HIROSHIMA, 1): {"name": "어상훈", "sex": "M", "born": date(1923, 1, 15), "died": date(2005, 11, 11),
                     "family": _family("V", [_f("V", "M", died="2005-11-11"), _f("W", "F"), _f("A", "M"),
                                             _f("B", "M"), _f("C", "F"), _f("D", "F")],
                                       [("V", "W")], _kids(("V", "W"), ["A", "B", "C", "D"])),
                     "heirs": {"W": ("하옥순", "F"), "A": ("어진우", "M"), "B": ("어진태", "M"), "C": ("어진숙", "F"),
                               "D": ("어진경", "F")}},
    # Died in 1985: the 1979–1990 rules (household-head heir +50 %, married-out daughter 1/4).
    (HIROSHIMA, 2): {"name": "용갑수", "sex": "M", "born": date(1921, 6, 6), "died": date(1985, 3, 4),
                     "family": _family("V", [_f("V", "M", died="1985-03-04"), _f("W", "F"),
                                             _f("A", "M", household_head_heir_of=["V"]), _f("B", "M"),
                                             _f("D", "F", married_out=True), _f("E", "F")],
                                       [("V", "W")], _kids(("V", "W"), ["A", "B", "D", "E"])),
                     "heirs": {"W": ("마정숙", "F"), "A": ("용태식", "M"), "B": ("용태길", "M"), "D": ("용미순", "F"),
                               "E": ("용미라", "F")}},
    (HIROSHIMA, 3): {"name": "국봉수", "sex": "M", "born": date(1922, 9, 9), "died": date(1999, 8, 8),
                     "family": _family("V", [_f("V", "M", died="1999-08-08"), _f("W", "F", died="1990-10-10"),
                                             _f("A", "M"), _f("B", "M"), _f("C", "F"), _f("D", "F")],
                                       [("V", "W")], _kids(("V", "W"), ["A", "B", "C", "D"])),
                     "heirs": {"A": ("국영철", "M"), "B": ("국영민", "M"), "C": ("국영애", "F"), "D": ("국영희", "F")}},
    # Died in 2012; a son who died before him is represented by his widow and child (대습상속).
    (HIROSHIMA, 4): {"name": "편덕구", "sex": "M", "born": date(1924, 4, 24), "died": date(2012, 12, 1),
                     "family": _family("V", [_f("V", "M", died="2012-12-01"), _f("W", "F"), _f("A", "M"),
                                             _f("B", "F"), _f("S", "M", died="2008-02-02"), _f("SW", "F"),
                                             _f("G", "M")],
                                       [("V", "W"), ("S", "SW")],
                                       _kids(("V", "W"), ["A", "B", "S"]) + _kids(("S", "SW"), ["G"])),
                     "heirs": {"W": ("원말순", "F"), "A": ("편상우", "M"), "B": ("편상미", "F"), "SW": ("길현주", "F"),
                               "G": ("편도윤", "M")}},
    (HIROSHIMA, 5): {"name": "선우영", "sex": "M", "born": date(1925, 11, 5), "died": date(2016, 7, 7),
                     "family": _family("V", [_f("V", "M", died="2016-07-07"), _f("W", "F"), _f("A", "M"),
                                             _f("B", "F"), _f("C", "M")],
                                       [("V", "W")], _kids(("V", "W"), ["A", "B", "C"])),
                     "heirs": {"W": ("봉순희", "F"), "A": ("선우진", "M"), "B": ("선우란", "F"), "C": ("선우혁", "M")}},
}

# Four refusals (two living victims, the heirs of two deceased), deposited with these courts.
REFUSALS = {(NIPPON, 1): "광주지방법원", (NAGOYA, 1): "광주지방법원", (NAGOYA, 2): "전주지방법원",
            (HIROSHIMA, 1): "수원지방법원 평택지원"}


class _Demo:
    def __init__(self, stdout) -> None:
        users = get_user_model().objects
        self.case = users.get(username="case")
        self.finance = users.get(username="finance")
        self.approver = users.get(username="approver")
        self.stdout = stdout
        self.accounts = 0

    def person(self, name: str, sex: str, born: date | None = None, died: date | None = None, **extra: Any):
        self.accounts += 1
        return judgments.person_create(
            name_hangul=name, name_roman=romanize_name(name), sex=sex, birth_date=born, death_date=died,
            bank_name="데모은행 (demo bank)", bank_account=f"999-{self.accounts:04d}-0000", pseudonymous=True,
            note="invented demo person", actor=self.case, **extra)

    def document(self, kind: str, title: str):
        return judgments.document_store(kind=kind, title=title, content=f"demo document: {title}".encode(),
                                        filename=f"{kind}.txt", actor=self.case)

    def claims(self) -> dict[tuple[str, int], Claim]:
        court = judgments.court_ensure(name="대법원", name_en="Supreme Court", actor=self.case)
        debtors = {code: judgments.debtor_ensure(code=code, name=name, name_en=name_en, actor=self.case)
                   for code, (name, name_en) in DEBTORS.items()}
        claims = {}
        for spec in JUDGMENTS:
            judgment = judgments.judgment_create(
                case_number=spec["case_number"], court=court, debtor=debtors[spec["debtor"]],
                decided_on=spec["decided_on"], final_on=spec["decided_on"], plaintiffs_count=spec["plaintiffs"],
                title=spec["title"], actor=self.case)
            self.judgment_texts(judgment, TEXT_SLUGS[spec["case_number"]])
            for position, principal in enumerate(spec["principals"], 1):
                claims[(spec["case_number"], position)] = self.claim(judgment, position, principal, spec["segments"])
        return claims

    def judgment_texts(self, judgment: Judgment, slug: str) -> None:
        """Keep the ruling and the appellate judgment whose operative part holds the orders."""
        for name, title in ((f"{slug}.txt", "판결문"), (f"{slug}-appeal.txt", "원심판결문")):
            judgments.document_store(kind="judgment", title=f"{judgment.case_number} {title}",
                                     content=(TEXTS / name).read_bytes(), filename=name, judgment=judgment,
                                     actor=self.case)

    def later_judgments(self) -> list[Claim]:
        """Register the judgments of December 2023 and January 2024 from their texts, as a case
        officer confirms the reader's result: every creditor a new (pseudonymous) person."""
        claims = []
        for spec in LATER_JUDGMENTS:
            ruling = Upload(f"{spec['slug']}.txt", (TEXTS / f"{spec['slug']}.txt").read_bytes())
            appeal = Upload(f"{spec['slug']}-appeal.txt", (TEXTS / f"{spec['slug']}-appeal.txt").read_bytes())
            ruling_reading = parse_judgment(read_judgment_file(ruling.content, ruling.name).text)
            reading = parse_judgment(read_judgment_file(appeal.content, appeal.name).text)
            creditors = []
            for number, order in enumerate(reading.orders, 1):
                self.accounts += 1
                creditors.append(CreditorEntry(
                    position=number, name=order.creditor, principal=order.principal, segments=order.segments,
                    deceased=order.deceased or "", details={
                        "name_roman": romanize_name(order.creditor), "bank_name": "데모은행 (demo bank)",
                        "bank_account": f"999-{self.accounts:04d}-0000"}))
            code = spec["debtor"]
            name, name_en = DEBTORS.get(code) or (spec["debtor_name"], spec["debtor_name_en"])
            judgment = judgment_register_from_text(
                upload=appeal, sha256=hashlib.sha256(appeal.content).hexdigest(), ruling=ruling,
                case_number=ruling_reading.case_number, court_name=ruling_reading.court,
                decided_on=spec["decided_on"], final_on=spec["decided_on"], debtor_code=code, debtor_name=name,
                debtor_name_en=name_en, creditors=creditors, title=spec["title"], actor=self.case,
                person_defaults={"pseudonymous": True, "note": "invented demo person"})
            claims += list(judgment.claims.order_by("position"))
        return claims

    def claim(self, judgment: Judgment, position: int, principal: int, segments: list[str]) -> Claim:
        victim_spec = VICTIMS[(judgment.case_number, position)]
        victim = self.person(victim_spec["name"], victim_spec["sex"], victim_spec["born"], victim_spec["died"],
                             needs_representative=victim_spec.get("needs_representative", False))
        plaintiff = None
        if "plaintiff" in victim_spec:
            name, sex, born = victim_spec["plaintiff"]
            plaintiff = self.person(name, sex, born)
        claim = judgments.claim_create(judgment=judgment, position=position, victim=victim, plaintiff=plaintiff,
                                       principal=principal, segments=segments, actor=self.case)
        family = victim_spec.get("family")
        if family is None or victim_spec.get("later"):
            holdings.claim_holders_plaintiff(claim=claim, actor=self.case)
        if family is not None:
            persons = {"V": victim}
            for pid, (name, sex) in victim_spec["heirs"].items():
                persons[pid] = self.person(name, sex)
            self.document("family_relation_certificate", f"가족관계증명서 — {victim.name_hangul}")
            proposal = holdings.holders_propose_family(claim=claim, family=family, persons=persons, actor=self.case,
                                                       reason="heirs from the family relation certificates")
            holdings.holder_change_approve(proposal=proposal, actor=self.approver,
                                           note="checked against the family relation certificates")
        return claim

    def accept(self, claim: Claim, verified_on: date, offered_on: date = OFFER_DATE) -> None:
        for offer in services.claim_offers_make(claim=claim, offered_on=offered_on, actor=self.case):
            holder = offer.holding.holder
            representative: dict[str, Any] = {}
            if holder.needs_representative:
                decision = self.document("guardianship", f"성년후견 개시 심판 — {holder.name_hangul}")
                representative = {"capacity": "guardian", "representative_name": "성년후견인 (demo guardian)",
                                  "representative_document": decision}
            form = self.document("consent_form", f"판결금 수령 동의서 — {holder.name_hangul} (offer {offer.pk})")
            services.offer_accept(
                offer=offer, actor=self.case, verified_on=verified_on, identity_method="id_card_in_person",
                capacity=representative.pop("capacity", "self"), witness_name="재단 직원 (demo witness)",
                form_document=form, **representative)

    def refuse_and_deposit(self, claim: Claim, court_name: str, filed_on: date) -> None:
        court = judgments.court_ensure(name=court_name, actor=self.case)
        for offer in services.claim_offers_make(claim=claim, offered_on=OFFER_DATE, actor=self.case):
            services.offer_refuse(offer=offer, actor=self.case, refused_on=date(2023, 3, 20),
                                  reason="refuses payment by the foundation; asks the debtor to pay and apologise")
        for holding in claim.holdings.filter(superseded_at__isnull=True).order_by("pk"):
            deposit = services.deposit_file(holding=holding, court=court, filed_on=filed_on, actor=self.finance)
            decision = self.document("court_decision", f"공탁 불수리 결정 — deposit {deposit.pk}")
            services.deposit_decide(deposit=deposit, outcome="refused", decided_on=filed_on, actor=self.case,
                                    document=decision, note="불수리: the creditor has declared refusal")
            services.deposit_decide(deposit=deposit, outcome="objection_filed", decided_on=date(2023, 7, 12),
                                    actor=self.case)
            services.deposit_decide(deposit=deposit, outcome="objection_dismissed", decided_on=date(2023, 8, 11),
                                    actor=self.case, document=self.document(
                                        "court_decision", f"이의신청 기각 결정 — deposit {deposit.pk}"))

    def donation(self) -> None:
        donor = donor_create(name="포스코 (POSCO)", kind="company", country="KR", may_be_named_publicly=True,
                             user=self.finance)
        donation_record(donor=donor, value_date=DONATION_DATE, bank_reference="DEMO-POSCO-20230315",
                        amount=DONATION_AMOUNT, restricted=True, user=self.finance)

    def second_donation(self) -> None:
        donor = Donor.objects.get(name="포스코 (POSCO)")
        donation_record(donor=donor, value_date=SECOND_DONATION_DATE, bank_reference="DEMO-POSCO-20240913",
                        amount=SECOND_DONATION_AMOUNT, restricted=True, user=self.finance)

    def batch(self, payment_date: date = PAYMENT_DATE, claims: list[Claim] | None = None) -> None:
        batch = services.batch_prepare(payment_date=payment_date, preparer=self.finance, claims=claims)
        services.batch_approve(batch=batch, approver=self.approver)
        bank_file = services.batch_export(batch=batch, actor=self.finance)
        with bank_file.file:
            results = [services.BankResult(line=int(row["line"]), amount=int(row["amount"]), status="paid",
                                           bank_reference=f"DEMO-BANK-{row['line']}")
                       for row in csv.DictReader(bank_file.text_lines())]
        services.batch_result_import(batch=batch, results=results, actor=self.finance)


def load(*, stdout) -> None:
    """Create the demo foundation once (`baesang demo load` calls this)."""
    if Judgment.objects.filter(case_number=NIPPON).exists():
        stdout.write("Demo judgments, creditors and payments: already loaded.")
        return
    with transaction.atomic():
        demo = _Demo(stdout)
        claims = demo.claims()
        demo.donation()
        refused = set(REFUSALS)
        for number, (key, claim) in enumerate(sorted(claims.items()), 1):
            if key not in refused:
                demo.accept(claim, verified_on=date(2023, 3, 20 + number % 8))
        demo.batch()
        for number, key in enumerate(sorted(REFUSALS)):
            demo.refuse_and_deposit(claims[key], REFUSALS[key], filed_on=date(2023, 7, 3 + number))
        later = demo.later_judgments()
        demo.second_donation()
        paid = [c for c in later if (c.judgment.case_number, c.position) in set(LATER_PAID)]
        for number, claim in enumerate(paid):
            demo.accept(claim, verified_on=date(2024, 9, 24 + number % 6), offered_on=LATER_OFFER_DATE)
        demo.batch(LATER_PAYMENT_DATE, claims=paid)
    owed = sum(f.total_due for f in claim_figures(claims=list(claims.values()), as_of=ANNOUNCEMENT_DATE))
    stdout.write(f"Demo judgments: 3 judgments of 2018, {len(claims)} claims, POSCO donation of "
                 f"{DONATION_AMOUNT:,} won, one batch paid, {len(REFUSALS)} refusals deposited and refused by the "
                 f"courts; owed on {ANNOUNCEMENT_DATE}: {owed:,} won. Later: {len(LATER_JUDGMENTS)} judgments "
                 f"registered from their texts, {len(later)} claims, POSCO's {SECOND_DONATION_AMOUNT:,} won of "
                 f"{SECOND_DONATION_DATE} paying {len(paid)} of them.")
