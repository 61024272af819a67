"""Public pages (no login): the fund's figures, the open-data files and the funding forecast.

Korean by default; ``?lang=en`` renders the page in English (Django's translation machinery
under :func:`django.utils.translation.override`). No page shows personal data: only sums
and counts, under the five-claim rule and its complementary suppression, both applied by
:mod:`baesang.public.selectors` (a view only renders what the selectors withheld).
"""

from __future__ import annotations

import hashlib
import os

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from baesang.calc.forecast import MAX_MONTHS
from baesang.core.formatting import format_won_readable
from baesang.public import charts, published, selectors

LANGS = ("ko", "en")
DEFAULT_MONTHS = 24


def _lang(request: HttpRequest) -> str:
    lang = request.GET.get("lang", "ko")
    return lang if lang in LANGS else "ko"


def _page(request: HttpRequest, template: str, context: dict, lang: str) -> HttpResponse:
    response = render(request, template, {**context, "lang": lang, "other_lang": "en" if lang == "ko" else "ko"})
    response.headers["Content-Language"] = lang
    return response


def _readable(lang: str):
    return lambda value: format_won_readable(value, lang)


def _history_charts(summary: selectors.PublicSummary, lang: str) -> list[str]:
    history = summary.history
    labels = history.get("months", [])
    if not labels:
        return []
    money = charts.svg_chart(
        title=_("Fund balance and judgment money paid, by month"),
        labels=labels,
        series=[
            charts.Series(_("Fund balance (bank)"), history["bank"], "line"),
            charts.Series(_("Judgment money paid, cumulative"), history["paid"], "line"),
        ],
        value_label=_readable(lang),
    )
    waiting = charts.svg_chart(
        title=_("Owed to waiting claims, by month"),
        labels=labels,
        series=[charts.Series(_("Owed to waiting claims"), history["owed_waiting"], "bar")],
        value_label=_readable(lang),
    )
    return [money, waiting]


def _state_label(state: str) -> str:
    return {
        "registered": _("Registered, no offer yet"),
        "offered": _("Offered, no answer yet"),
        "accepted": _("Accepted, waiting for payment"),
        "refused": _("Refused"),
        "deposited": _("Settled by court deposit"),
        "paid": _("Paid"),
    }[state]


#: Public pages and files may be kept by browsers and proxies but are checked again on every use
#: (a conditional request answered 304 while nothing changed), so no one reads stale figures.
CACHE_CONTROL = "public, no-cache"


def _etag(*parts: object) -> str:
    return '"' + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32] + '"'


def _not_modified(request: HttpRequest, etag: str) -> HttpResponse | None:
    """A 304 answer when the reader's copy (If-None-Match) is the current one."""
    wanted = request.headers.get("If-None-Match", "")
    if etag in [tag.strip().removeprefix("W/") for tag in wanted.split(",")] or wanted.strip() == "*":
        response = HttpResponseNotModified()
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = CACHE_CONTROL
        return response
    return None


def _cacheable(response: HttpResponse, etag: str, last_modified: float | None = None) -> HttpResponse:
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = CACHE_CONTROL
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    as_of = timezone.localdate()
    etag = _etag("index", lang, *selectors.summary_key(as_of))
    not_modified = _not_modified(request, etag)
    if not_modified is not None:
        return not_modified
    with override(lang):
        summary = selectors.public_summary(as_of=as_of)
        state_rows = [(_state_label(state), figure) for state, figure in summary.claims_by_state.items()]
        context = {"summary": summary, "state_rows": state_rows, "charts": _history_charts(summary, lang),
                   "min_claims": selectors.MIN_CLAIMS}
        page = _page(request, "public/index.html", context, lang)
        if not summary.settled:  # earlier figures shown while the current ones are computed
            page.headers["Cache-Control"] = "no-store"
            return page
        return _cacheable(page, etag)


def _file(request: HttpRequest, kind: str, content_type: str) -> HttpResponse:
    """A published file, streamed from disk (made first if the ledger moved or the day changed)."""
    as_of = timezone.localdate()
    head = published.ledger_head()
    etag = '"' + published.key_of(head, as_of) + '"'
    not_modified = _not_modified(request, etag)
    if not_modified is not None:
        return not_modified
    files = published.published(as_of=as_of, head=head)
    path = files.json_path if kind == "json" else files.csv_path
    response = FileResponse(open(path, "rb"), content_type=content_type, as_attachment=True,  # noqa: SIM115
                            filename=f"transfers.{kind}")
    return _cacheable(response, etag, last_modified=os.stat(path).st_mtime)


@require_GET
def transfers_json(request: HttpRequest) -> HttpResponse:
    return _file(request, "json", "application/json; charset=utf-8")


@require_GET
def transfers_csv(request: HttpRequest) -> HttpResponse:
    return _file(request, "csv", "text/csv; charset=utf-8")


def _months(request: HttpRequest) -> int:
    try:
        months = int(request.GET.get("months", DEFAULT_MONTHS))
    except ValueError:
        return DEFAULT_MONTHS
    return min(max(months, 1), min(MAX_MONTHS, 120))


@require_GET
def forecast_page(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    months = _months(request)
    with override(lang):
        page = selectors.public_forecast(as_of=timezone.localdate(), months=months)
        chart = ""
        if page.result is not None:
            chart = charts.svg_chart(
                title=_("Fund balance, owed to waiting claims and shortfall, by month"),
                labels=[row["month"] for row in page.rows],
                series=[
                    charts.Series(_("Fund balance"), [row["fund_balance"] for row in page.rows], "bar"),
                    charts.Series(_("Owed to waiting claims"), [row["owed_waiting"] for row in page.rows], "line"),
                    charts.Series(_("Shortfall"), [row["shortfall"] for row in page.rows], "line"),
                ],
                value_label=_readable(lang),
            )
        context = {"result": page.result, "rows": page.rows, "chart": chart, "months": months, "error": page.error,
                   "as_of": page.as_of, "notes": page.notes,
                   "waiting_at_end_withheld": page.waiting_at_end_withheld,
                   "totals_withheld": page.totals_withheld}
        return _page(request, "public/forecast.html", context, lang)
