"""The check of registered claims against their judgment's own text (판결문 대조).

Every payment rests on the claims as registered; the judgment's operative part (주문) is what
the court ordered. :func:`judgment_check` reads the judgment's stored documents of kind
``judgment`` with the reader (:mod:`baesang.calc.judgment_text`) and lists every difference
between the orders it finds and the registered claims: a principal (``amount``), a segment's
first or last day (``date``), a rate (``rate``), a number of segments (``segments``), a creditor
the judgment names without a claim (``missing_creditor``), a claim the judgment does not order
(``extra_claim``), an order the reader could not read (``unparsed``: to check by hand), a stored
text it cannot read (``unreadable``) and a judgment without a stored text (``no_text``).

Which text: a Supreme Court ruling that only dismissed the appeal orders nothing; the appellate
judgment whose operative part holds the orders is stored beside it, and the orders come from
the stored text that has orders (the judgment's own case number first). A claim's creditor is
its plaintiff when it has one (an heir who took over the suit, a relative who sued), else its
victim; creditors are matched by exact name, in the order of the claims' numbers. Reads only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from baesang.calc.interest import Segment
from baesang.calc.judgment_file import read_judgment_file
from baesang.calc.judgment_text import JudgmentReadError, JudgmentReading, ParsedOrder, parse_judgment
from baesang.judgments.models import Claim, Document, Judgment

AMOUNT = "amount"
DATE = "date"
RATE = "rate"
SEGMENTS = "segments"
MISSING_CREDITOR = "missing_creditor"
EXTRA_CLAIM = "extra_claim"
UNPARSED = "unparsed"
UNREADABLE = "unreadable"
NO_TEXT = "no_text"
KINDS = (AMOUNT, DATE, RATE, SEGMENTS, MISSING_CREDITOR, EXTRA_CLAIM, UNPARSED, UNREADABLE, NO_TEXT)


@dataclass(frozen=True)
class Difference:
    """One difference: its kind, the creditor and claim number it concerns (when any), what the
    judgment says and what is registered."""

    kind: str
    creditor: str = ""
    position: int | None = None
    judgment_says: str = ""
    registered: str = ""
    detail: str = ""

    def as_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class JudgmentCheck:
    """The check of one judgment: the document the orders were read from and the differences."""

    judgment: Judgment
    document: Document | None
    orders: int
    claims: int
    differences: tuple[Difference, ...]

    @property
    def clean(self) -> bool:
        return not self.differences

    def as_json(self) -> dict:
        return {"case_number": self.judgment.case_number, "document": self.document.pk if self.document else None,
                "orders": self.orders, "claims": self.claims,
                "differences": [d.as_json() for d in self.differences]}


def _rate_text(segment: Segment) -> str:
    return format(segment.rate.normalize(), "f")


def _segment_text(segment: Segment) -> str:
    end = "다 갚는 날" if segment.end is None else segment.end.isoformat()
    return f"{segment.start.isoformat()}~{end} 연 {_rate_text(segment)}%"


def claim_creditor(claim: Claim) -> str:
    """The name the judgment gives the claim's creditor: its plaintiff, else its victim."""
    return (claim.plaintiff or claim.victim).name_hangul


def _compare(order: ParsedOrder, claim: Claim) -> list[Difference]:
    found: list[Difference] = []
    base = {"creditor": order.creditor, "position": claim.position}
    if order.principal != claim.principal:
        found.append(Difference(AMOUNT, judgment_says=f"{order.principal:,}", registered=f"{claim.principal:,}",
                                **base))
    registered = [Segment(s.start, s.end, s.rate) for s in sorted(claim.segments.all(), key=lambda s: s.position)]
    if len(registered) != len(order.segments):
        found.append(Difference(SEGMENTS, judgment_says="; ".join(_segment_text(s) for s in order.segments) or "-",
                                registered="; ".join(_segment_text(s) for s in registered) or "-", **base))
        return found
    for number, (ordered, stored) in enumerate(zip(order.segments, registered, strict=True), 1):
        if (ordered.start, ordered.end) != (stored.start, stored.end):
            found.append(Difference(DATE, judgment_says=_segment_text(ordered), registered=_segment_text(stored),
                                    detail=f"segment {number}", **base))
        if ordered.rate != stored.rate:
            found.append(Difference(RATE, judgment_says=f"{_rate_text(ordered)}%", registered=f"{_rate_text(stored)}%",
                                    detail=f"segment {number}", **base))
    return found


def _readings(judgment: Judgment) -> tuple[list[tuple[Document, JudgmentReading]], list[Difference]]:
    readings, problems = [], []
    for document in Document.objects.filter(judgment=judgment, kind=Document.JUDGMENT).order_by("pk"):
        try:
            with document.file.open("rb") as handle:
                content = handle.read()
            readings.append((document, parse_judgment(read_judgment_file(content, document.file.name).text)))
        except JudgmentReadError as exc:
            problems.append(Difference(UNREADABLE, detail=f"document {document.pk}: {exc.message}"))
        except OSError as exc:
            problems.append(Difference(UNREADABLE, detail=f"document {document.pk}: the file is missing ({exc})"))
    return readings, problems


def judgment_check(*, judgment: Judgment) -> JudgmentCheck:
    """The registered claims of ``judgment`` against its stored judgment text."""
    readings, problems = _readings(judgment)
    if not readings and not problems:
        return JudgmentCheck(judgment, None, 0, Claim.objects.filter(judgment=judgment).count(), (Difference(
            NO_TEXT, detail=f"judgment {judgment.case_number} has no stored document of kind judgment"),))
    # only what the comparison reads: the persons' encrypted fields are neither read nor decrypted
    claims = list(Claim.objects.filter(judgment=judgment).select_related("victim", "plaintiff")
                  .only("id", "judgment_id", "position", "principal", "victim__name_hangul", "plaintiff__name_hangul")
                  .prefetch_related("segments").order_by("position"))
    with_orders = [(d, r) for d, r in readings if r.orders or r.unparsed]
    with_orders.sort(key=lambda pair: (pair[1].case_number or "").replace(" ", "") != judgment.case_number)
    document, reading = with_orders[0] if with_orders else (readings[0] if readings else (None, None))
    differences = list(problems)
    orders = reading.orders if reading is not None else ()
    if reading is not None:
        differences += [Difference(UNPARSED, judgment_says=u.sentence, detail=u.reason) for u in reading.unparsed]
    by_name: dict[str, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_name[claim_creditor(claim)].append(claim)
    for order in orders:
        candidates = by_name.get(order.creditor)
        if not candidates:
            differences.append(Difference(MISSING_CREDITOR, creditor=order.creditor,
                                          judgment_says=f"{order.principal:,}", registered="-"))
            continue
        differences += _compare(order, candidates.pop(0))
    for remaining in by_name.values():
        for claim in remaining:
            differences.append(Difference(EXTRA_CLAIM, creditor=claim_creditor(claim), position=claim.position,
                                          judgment_says="-", registered=f"{claim.principal:,}"))
    return JudgmentCheck(judgment, document, len(orders), len(claims), tuple(differences))


def judgments_check(*, judgments: Iterable[Judgment] | None = None) -> list[JudgmentCheck]:
    """The check of these judgments (default: all, by final date and case number)."""
    chosen = Judgment.objects.order_by("final_on", "case_number") if judgments is None else judgments
    return [judgment_check(judgment=judgment) for judgment in chosen]
