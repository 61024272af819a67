"""Public pages (no login): the fund's figures, the open-data files and the funding forecast.

Korean by default; ``?lang=en`` renders the page in English (Django's translation machinery
under :func:`django.utils.translation.override`). No page shows personal data: only sums
and counts, under the five-claim rule and its complementary suppression, both applied by
:mod:`baesang.public.selectors` (a view only renders what the selectors withheld).
"""

from __future__ import annotations

import io
import json

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from django.views.decorators.http import require_GET

from baesang.calc.forecast import MAX_MONTHS
from baesang.core.formatting import format_won_readable
from baesang.public import charts, opendata, selectors

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


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    lang = _lang(request)
    with override(lang):
        summary = selectors.public_summary(as_of=timezone.localdate())
        state_rows = [(_state_label(state), figure) for state, figure in summary.claims_by_state.items()]
        context = {"summary": summary, "state_rows": state_rows, "charts": _history_charts(summary, lang),
                   "min_claims": selectors.MIN_CLAIMS}
        return _page(request, "public/index.html", context, lang)


def _document() -> dict:
    return selectors.public_document(as_of=timezone.localdate())


@require_GET
def transfers_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps(_document(), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="transfers.json"'
    return response


@require_GET
def transfers_csv(request: HttpRequest) -> HttpResponse:
    out = io.StringIO()
    opendata.write_csv(selectors.public_rows(), out)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="transfers.csv"'
    return response


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
