"""Reads behind the public pages and the open data: only sums and counts, never a person.

The five-claim rule lives here (and nowhere in a view): a figure that describes fewer than
five claims is withheld unless it is a total over all claims, and — complementary
suppression, :mod:`baesang.public.suppression` — so are as many other counts as needed for
no withheld count to be worked out by adding or subtracting published ones. Withheld cells
are all shown alike ("비공개" / "withheld"). Ledger figures come from the public projection of
the ledger (:mod:`baesang.public.opendata`), the same rows anyone can download and verify.
"""

from __future__ import annotations

import calendar
import json
import threading
import time
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Sum
from django.utils import timezone

from baesang.calc.forecast import Forecast, ForecastError, forecast
from baesang.calc.interest import round_won
from baesang.core.models import AuditEvent
from baesang.donations.selectors import donations_standing
from baesang.judgments.orders import rounding_policy
from baesang.public import claims, forecasting, published
from baesang.public.suppression import MIN_CLAIMS, Relation, is_small, suppress

_cache_lock = threading.Lock()
_cache: dict[str, object] = {}


# ---------------------------------------------------------------------------------------
# The ledger, projected


def ledger_head() -> tuple[int, str]:
    """(last seq, last hash) of the ledger chain; (0, 64 zeros) for an empty ledger."""
    return published.ledger_head()


def public_rows() -> list[dict]:
    """Every ledger transfer as published, with the public chain (read back from the published
    JSON file; for checks and tests — the pages and the download never hold all rows)."""
    return public_document(as_of=date.today())["transfers"]


def public_document(*, as_of: date) -> dict:
    """The published JSON document for ``as_of``, parsed (see :mod:`baesang.public.published`)."""
    files = published.published(as_of=as_of)
    with open(files.json_path, encoding="utf-8") as source:
        return json.load(source)


# ---------------------------------------------------------------------------------------
# Figures for the page


@dataclass(frozen=True)
class Figure:
    """A count of claims and its amount, or withheld under the five-claim rule."""

    count: int
    amount: int | None = None
    extra: int | None = None  # e.g. interest per day
    withheld: bool = False

    @classmethod
    def of(cls, count: int, amount: int | None = None, extra: int | None = None, *, total: bool = False,
           withheld: bool | None = None) -> Figure:
        """The figure, or withheld: by the five-claim rule, or as ``withheld`` says (the
        outcome of complementary suppression). A withheld count takes its amount with it:
        an amount shown only when the count is five or more would tell that it is."""
        if withheld is None:
            withheld = is_small(count) and not total
        if withheld:
            return cls(count=0, withheld=True)
        return cls(count=count, amount=amount, extra=extra)


@dataclass(frozen=True)
class DonorLine:
    name: str | None  # None: anonymous donors, pooled
    donors: int
    amount: int


@dataclass
class PublicSummary:
    as_of: date
    donations_total: int
    donors: list[DonorLine]
    paid: Figure
    deposits_held: Figure
    bank_balance: int
    reserved: int
    available: int
    claims_by_state: dict[str, Figure]
    claims_total: Figure
    waiting: Figure  # amount: owed to waiting claims; extra: interest accruing per day
    transfers: int
    public_head: str
    ledger_head: str
    history: dict[str, list] = field(default_factory=dict)
    #: When the owed-to-waiting figures shown were computed, if before the latest change (they
    #: are being counted again behind the page); None when current.
    waiting_computed_at: str | None = None
    #: False while some figure shown is an earlier one being computed again: such a page is
    #: neither kept by this process nor given an ETag.
    settled: bool = True


CLAIM_STATES = ("paid", "accepted", "refused", "waiting")
# The states of the claims the fund has not yet reached (the card "owed to waiting claims").
WAITING_STATES = ("registered", "offered", "accepted")

# States shown on the page, in the order of a claim's life.
PAGE_STATES = ("registered", "offered", "accepted", "refused", "deposited", "paid")
HISTORY_MONTHS = 120
# The amount owed to waiting claims is recomputed from the claims for each point; at most this
# many points are computed (every second or third month on a long history).
OWED_POINTS = 40


def _donors() -> tuple[list[DonorLine], int]:
    """Named donors who agreed to be named, each with their total; the others pooled (summed by
    the database: a million donations are not read one by one)."""
    standing = donations_standing().order_by()
    named = [(name, total) for _, name, total in standing.filter(donor__may_be_named_publicly=True).values_list(
        "donor_id", "donor__name").annotate(total=Sum("amount_won")).values_list("donor_id", "donor__name", "total")]
    lines = [DonorLine(name, 1, amount) for name, amount in sorted(named, key=lambda e: (-e[1], e[0]))]
    pooled = standing.filter(donor__may_be_named_publicly=False).aggregate(
        donors=Count("donor_id", distinct=True), amount=Sum("amount_won"))
    if pooled["donors"]:
        lines.append(DonorLine(None, pooled["donors"], pooled["amount"]))
    return lines, sum(line.amount for line in lines)


def _month_ends(first: date, last: date) -> list[date]:
    ends = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        end = date(year, month, calendar.monthrange(year, month)[1])
        ends.append(min(end, last))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends[-HISTORY_MONTHS:]


def _history(days: list[list], as_of: date) -> tuple[dict[str, list], bool]:
    """Month-end series: bank balance, cumulative judgment money paid, owed to waiting claims.
    ``days`` holds, per value date of posted transfers, the change of the bank balance and of the
    judgment money paid (from the published figures). With whether every point is current."""
    if not days:
        return {}, True
    first = date.fromisoformat(days[0][0])
    ends = _month_ends(first, as_of)
    if not ends:
        return {}, True
    bank, paid = [0] * len(ends), [0] * len(ends)
    for day, bank_change, paid_change in days:
        index = bisect_left(ends, date.fromisoformat(day))
        if index >= len(ends):
            continue
        bank[index] += bank_change
        paid[index] += paid_change
    for index in range(1, len(ends)):
        bank[index] += bank[index - 1]
        paid[index] += paid[index - 1]
    paid_claims = claims.claims_paid_by(ends)
    paid_series: list[int | None] = [
        None if 0 < count < MIN_CLAIMS else amount for amount, count in zip(paid, paid_claims, strict=True)]
    owed, current = _owed_history(ends, as_of)
    return {"months": [f"{d.year:04d}-{d.month:02d}" for d in ends], "bank": bank, "paid": paid_series,
            "owed_waiting": owed}, current


def _owed_history(ends: list[date], as_of: date) -> tuple[list[int | None], bool]:
    """The amount owed to waiting claims at (at most :data:`OWED_POINTS`) month ends. Each point
    recomputes the waiting list on its day, so the past points are kept and a few a day computed
    again (their staleness: :func:`baesang.cases.selectors.waiting_points`); today's point is the
    card's figure, always current."""
    step = -(-len(ends) // OWED_POINTS)
    wanted = [index for index in range(len(ends)) if not (len(ends) - 1 - index) % step]
    points, current = claims.owed_points(days=[ends[index] for index in wanted[:-1]], as_of=as_of)
    owed: list[int | None] = [None] * len(ends)
    for index in wanted[:-1]:
        if ends[index] in points:  # a point not computed yet is a gap in the chart
            count, amount = points[ends[index]]
            owed[index] = None if 0 < count < MIN_CLAIMS else amount
    last = wanted[-1]
    waiting = claims.waiting_totals(as_of=ends[last], stale_ok=ends[last] == as_of)
    owed[last] = None if 0 < waiting.claims < MIN_CLAIMS else waiting.owed
    return owed, current and waiting.computed_at is None


def _local_time(moment: str | None) -> str | None:
    """HH:MM in the foundation's time zone of an ISO timestamp."""
    return None if moment is None else f"{timezone.localtime(datetime.fromisoformat(moment)):%H:%M}"


def summary_key(as_of: date) -> tuple:
    """What the public page's figures depend on: the day, the ledger chain head and the last
    audit row (every change of a claim, a holder or a donor writes one; a sign-in or another
    action that changes no figure does not count: ``claims.FIGURES_NEUTRAL_ACTIONS``). Two small
    queries."""
    return _cache_key(as_of)


def _cache_key(as_of: date) -> tuple:
    last_event = (AuditEvent.objects.exclude(action__in=claims.FIGURES_NEUTRAL_ACTIONS).order_by("-pk")
                  .values_list("pk", flat=True).first())
    return (as_of, ledger_head(), last_event)


#: Seconds a page showing an earlier "owed to waiting claims" (being counted again after a
#: change) is kept by this process.
UNSETTLED_SECONDS = 15
#: Seconds a page is kept while only past points of its chart are still being computed (each
#: point is minutes of work at the programme's size; recomputing the page every 15 seconds in
#: every application process meanwhile cost more than it showed).
POINTS_PENDING_SECONDS = 300


def public_summary(*, as_of: date) -> PublicSummary:
    """Everything the public page shows, without personal data. Computed again when the
    ledger head, the audit log (every change of a claim writes a row) or the day changes, and
    every :data:`UNSETTLED_SECONDS` while the waiting card shows an earlier figure being computed
    again behind the page (every :data:`POINTS_PENDING_SECONDS` while only past points of the
    chart are)."""
    key = _cache_key(as_of)
    with _cache_lock:
        cached = _cache.get("summary")
        if cached is not None and cached[0] == key and (cached[2] is None or cached[2] > time.monotonic()):  # type: ignore[index]
            return cached[1]  # type: ignore[index]
    summary = _summary(as_of)
    kept = None if summary.settled else (
        UNSETTLED_SECONDS if summary.waiting_computed_at is not None else POINTS_PENDING_SECONDS)
    with _cache_lock:
        _cache["summary"] = (key, summary, None if kept is None else time.monotonic() + kept)
    return summary


# Cells of the claim-count tables of the public page (see claim_count_cells).
ALL_CLAIMS = "claims"
CLAIMS_PAID = "paid"  # claims with at least one payment (the card "judgment money paid")


def state_cell(state: str) -> str:
    return f"state.{state}"


@dataclass(frozen=True)
class CountCells:
    """The claim counts the page publishes, the relations every reader knows between them, and
    the outcome of the suppression: ``withheld`` is what the page must not show."""

    values: dict[str, int]
    relations: tuple[Relation, ...]
    always: frozenset[str]
    hidden: frozenset[str]
    withheld: frozenset[str]


def claim_count_cells(*, by_state: dict[str, int], claims_paid: int) -> CountCells:
    """The page's counts: claims by state (adding up to all claims, always shown) and the
    claims paid at least once. A claim paid in full is paid at least once; the difference
    (claims paid in part, or the reverse when a claim was paid through a court deposit) is
    not published but follows from the two published counts, so it is a hidden cell of its
    own relation and protected like the others."""
    values = {ALL_CLAIMS: sum(by_state.get(state, 0) for state in PAGE_STATES)}
    values.update({state_cell(state): by_state.get(state, 0) for state in PAGE_STATES})
    values[CLAIMS_PAID] = claims_paid
    paid_in_full = values[state_cell("paid")]
    relations = [Relation(ALL_CLAIMS, tuple(state_cell(state) for state in PAGE_STATES))]
    if claims_paid >= paid_in_full:
        values["paid.in_part"] = claims_paid - paid_in_full
        relations.append(Relation(CLAIMS_PAID, (state_cell("paid"), "paid.in_part")))
    else:
        values["paid.otherwise"] = paid_in_full - claims_paid
        relations.append(Relation(state_cell("paid"), (CLAIMS_PAID, "paid.otherwise")))
    hidden = frozenset(values) - {ALL_CLAIMS, CLAIMS_PAID} - {state_cell(state) for state in PAGE_STATES}
    always = frozenset({ALL_CLAIMS})
    withheld = suppress(values, relations, always=always, hidden=hidden)
    return CountCells(values, tuple(relations), always, hidden, withheld)


def _tied(cells: CountCells, count: int, states: tuple[str, ...]) -> bool:
    """Whether a card whose count is not printed must be withheld: for fewer than five claims,
    and whenever a state count it stands for is withheld — showing its amount would tell that
    its count is five or more, and with the other withheld counts of the table that can pin
    one of them down (6 claims refused or deposited, deposits shown: refused is 1)."""
    return is_small(count) or any(state_cell(state) in cells.withheld for state in states)


def _summary(as_of: date) -> PublicSummary:
    figures = published.published(as_of=as_of).figures
    headline = figures["headline"]
    donors, donations_total = _donors()
    counts = claims.claim_counts()
    paid_claims = claims.claims_paid()
    cells = claim_count_cells(by_state=counts, claims_paid=paid_claims)
    by_state = {state: Figure.of(counts.get(state, 0), withheld=state_cell(state) in cells.withheld)
                for state in PAGE_STATES}
    waiting = claims.waiting_totals(as_of=as_of, stale_ok=True)
    deposits = claims.claims_with_deposits_held()
    bank = headline["bank"]
    reserved = figures["reserved"]
    paid = Figure.of(paid_claims, headline["judgment_payments"], withheld=CLAIMS_PAID in cells.withheld)
    waiting_figure = Figure.of(waiting.claims, waiting.owed, round_won(waiting.interest_per_day, rounding_policy()),
                               withheld=_tied(cells, waiting.claims, WAITING_STATES))
    history, history_current = _history(figures["days"], as_of)
    if history:
        # A point of the charts is shown only for five claims or more: a cumulative amount paid
        # shown for any month says the count paid today is five or more, the last point of the
        # amount owed says the same of the waiting claims today. They go with the cards.
        if paid.withheld:
            history["paid"] = [None] * len(history["paid"])
        if waiting_figure.withheld:
            history["owed_waiting"][-1] = None
    return PublicSummary(
        as_of=as_of,
        donations_total=donations_total,
        donors=donors,
        paid=paid,
        deposits_held=Figure.of(deposits, headline["deposits_held"],
                                withheld=_tied(cells, deposits, ("deposited",))),
        bank_balance=bank,
        reserved=reserved,
        available=bank - reserved,
        claims_by_state=by_state,
        claims_total=Figure.of(cells.values[ALL_CLAIMS], total=True),
        waiting=waiting_figure,
        transfers=figures["transfers"],
        public_head=figures["public_head"],
        ledger_head=figures["ledger_head"],
        history=history,
        waiting_computed_at=_local_time(waiting.computed_at),
        settled=history_current and waiting.computed_at is None,
    )


# ---------------------------------------------------------------------------------------
# The funding forecast, as published


@dataclass
class PublicForecast:
    """The forecast page's figures: ``rows`` per month with ``None`` for a withheld figure."""

    as_of: date
    months: int
    result: Forecast | None = None
    error: str | None = None
    notes: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    waiting_at_end_withheld: bool = False
    totals_withheld: bool = False


FORECAST_CLAIMS = "forecast.claims"
FORECAST_END = "forecast.waiting_at_end"


def forecast_count_cells(result: Forecast) -> CountCells:
    """Claims paid in each month and claims still waiting at the end add up to the claims the
    forecast takes in (the waiting list and the pending lawsuits that become final within the
    horizon). That total is not printed, but a reader who counts the waiting list may know
    it, so it is taken as published and the months are suppressed against it."""
    month_cells = {f"forecast.month.{index}": month.paid_claims for index, month in enumerate(result.months)}
    values = {**month_cells, FORECAST_END: result.claims_waiting_at_end}
    values[FORECAST_CLAIMS] = sum(values.values())
    relations = (Relation(FORECAST_CLAIMS, (*month_cells, FORECAST_END)),)
    always = frozenset({FORECAST_CLAIMS})
    withheld = suppress(values, relations, always=always)
    return CountCells(values, relations, always, frozenset(), withheld)


def public_forecast(*, as_of: date, months: int) -> PublicForecast:
    """The forecast from the records, with the five-claim rule and complementary suppression
    applied: a month's claims paid and its amount paid are withheld together; amounts owed,
    shortfall and interest of a month about fewer than five waiting claims are withheld."""
    page = PublicForecast(as_of=as_of, months=months)
    try:
        gathered = forecasting.forecast_input(as_of=as_of, months=months)
        page.result = forecast(gathered.input)
        page.notes = [*gathered.notes, *page.result.notes]
    except ForecastError as exc:
        page.error = exc.message
        return page
    result = page.result
    cells = forecast_count_cells(result)
    for index, month in enumerate(result.months):
        paid_withheld = f"forecast.month.{index}" in cells.withheld
        few_waiting = is_small(month.waiting_claims)
        page.rows.append({
            "month": month.month,
            "inflows": month.inflows,
            "paid_claims": None if paid_withheld else month.paid_claims,
            "paid_amount": None if paid_withheld else month.paid_amount,
            "fund_balance": month.fund_balance,
            "owed_waiting": None if few_waiting else month.owed_waiting,
            "shortfall": None if few_waiting else month.shortfall,
            "interest_cost": None if is_small(month.waiting_claims + month.paid_claims) else month.interest_cost,
        })
    page.waiting_at_end_withheld = FORECAST_END in cells.withheld
    involved = len(result.input.waiting) + sum(suit.count for suit in result.input.pending)
    page.totals_withheld = is_small(involved)
    return page


def cache_clear() -> None:
    """Forget the cached projection and summary (tests, or after restoring a database)."""
    with _cache_lock:
        _cache.clear()
