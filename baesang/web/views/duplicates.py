"""The review queue of probable duplicate persons (중복 인물 검토): the two records side by
side, masked as on the person page, the matcher's explanation as a waterfall of each field's
match weight (log2 Bayes factor: positive says "same person", negative "different"), and the
decisions — "same person" (merge, reversible by an administrator) or "different" (remembered).

Views validate input and call one service of ``baesang.cases.merging``."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from baesang.cases.merging import (
    duplicate_pair_decide,
    open_pairs,
    pair_persons_side_by_side,
    persons_merge_reverse,
)
from baesang.judgments.duplicates import DIFFERENT, SAME, DuplicatePair, PersonMerge
from baesang.web.feedback import attempt
from baesang.web.paging import filters_query, queryset_page
from baesang.web.permissions import requires, user_may

#: Order and labels of the waterfall's bars (the engine's fields, docs/identity.md "Model").
FIELD_LABELS = [
    ("prior", _("Prior")),
    ("surname", _("Surname")),
    ("given_name", _("Given name")),
    ("birth_date", _("Birth date")),
    ("sex", _("Sex")),
    ("hometown", _("Hometown")),
    ("employer", _("Employer")),
]
#: Labels of the side-by-side rows (``pair_persons_side_by_side``).
ROW_LABELS = {
    "name_hangul": _("Name"), "name_hanja": _("Hanja"), "name_roman": _("Romanized"), "birth_date": _("Born"),
    "death_date": _("Died"), "sex": _("Sex"), "rrn": _("Resident registration number"), "phone": _("Phone"),
    "address": _("Address"), "bank_name": _("Bank"), "created_at": _("Registered on"),
    "victim_claims": _("Claims as victim"), "plaintiff_claims": _("Claims as plaintiff"),
    "holdings": _("Holdings of claims"), "decedent_changes": _("Inherited from (as decedent)"),
    "documents": _("Documents"), "external_records": _("External register entries"),
}
SVG_WIDTH = 520
LABEL_WIDTH = 110
BAR_HEIGHT = 22


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[(SAME, _("Same person (merge)")),
                                                               (DIFFERENT, _("Different persons"))])
    keep = forms.IntegerField(label=_("Keep the record no."), required=False,
                              help_text=_("For a merge: the record that stays; the other is merged into it."))
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


def waterfall(explanation: dict) -> dict:
    """Bars of a waterfall: each field's weight from the running total of those before it."""
    steps, total = [], 0.0
    for key, label in FIELD_LABELS:
        value = explanation.get(key)
        if not isinstance(value, int | float):
            continue
        steps.append({"key": key, "label": label, "weight": float(value), "start": total, "end": total + value})
        total += value
    low = min([0.0] + [min(s["start"], s["end"]) for s in steps])
    high = max([0.0] + [max(s["start"], s["end"]) for s in steps])
    span = (high - low) or 1.0
    plot = SVG_WIDTH - LABEL_WIDTH - 10

    def x(value: float) -> float:
        return round(LABEL_WIDTH + (value - low) / span * plot, 1)

    for row, step in enumerate(steps):
        left, right = sorted((x(step["start"]), x(step["end"])))
        step.update(x=left, width=max(round(right - left, 1), 1.0), y=row * BAR_HEIGHT + 4,
                    text_y=row * BAR_HEIGHT + 18, positive=step["weight"] >= 0)
    return {"steps": steps, "total": total, "zero": x(0.0), "width": SVG_WIDTH,
            "height": len(steps) * BAR_HEIGHT + 8, "label_width": LABEL_WIDTH}


@requires("view_duplicates")
def duplicates_view(request: HttpRequest) -> HttpResponse:
    page = queryset_page(request, open_pairs(), name="duplicates", order=("-probability", "pk"))
    pairs = page.items
    decided = DuplicatePair.objects.exclude(state="open").select_related("left", "right", "decided_by").order_by(
        "-decided_at")[:50]
    merges = PersonMerge.objects.select_related("kept", "merged", "merged_by").order_by("-id")[:50]
    return render(request, "web/duplicates.html", {"pairs": pairs, "page": page, "query": filters_query(request),
                                                    "decided": decided, "merges": merges})


def _pair_page(request: HttpRequest, pair: DuplicatePair, *, form: DecisionForm | None = None,
               reverse_form: ReverseForm | None = None, status: int = 200) -> HttpResponse:
    merge = PersonMerge.objects.filter(pair=pair, reversed_at__isnull=True).first()
    context = {
        "pair": pair,
        "rows": [dict(row, label=ROW_LABELS.get(row["field"], row["field"]))
                 for row in pair_persons_side_by_side(pair)],
        "waterfall": waterfall(pair.explanation or {}),
        "rrn_comparison": (pair.explanation or {}).get("rrn_index", ""),
        "form": form or DecisionForm(initial={"keep": pair.left_id}),
        "may_decide": pair.state == "open" and user_may(request.user, "decide_duplicates"),
        "merge": merge,
        "reverse_form": reverse_form or ReverseForm(),
        "may_reverse": merge is not None and user_may(request.user, "reverse_person_merge"),
    }
    return render(request, "web/duplicate_pair.html", context, status=status)


@requires("view_duplicates")
def duplicate_pair_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    return _pair_page(request, get_object_or_404(DuplicatePair.objects.select_related("left", "right"), pk=pair_id))


@requires("decide_duplicates")
@require_POST
def duplicate_decide_view(request: HttpRequest, pair_id: int) -> HttpResponse:
    pair = get_object_or_404(DuplicatePair, pk=pair_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _pair_page(request, pair, form=form, status=400)
    data = form.cleaned_data
    done, _result = attempt(request, lambda: duplicate_pair_decide(
        actor=request.user, pair=pair, decision=data["decision"], reason=data["reason"], keep=data["keep"]),
        str(_("Decision recorded.")))
    if not done:
        return _pair_page(request, get_object_or_404(DuplicatePair, pk=pair_id), form=form, status=409)
    return redirect("web:duplicates")


@requires("reverse_person_merge")
@require_POST
def person_merge_reverse_view(request: HttpRequest, merge_id: int) -> HttpResponse:
    merge = get_object_or_404(PersonMerge, pk=merge_id)
    form = ReverseForm(request.POST)
    if not form.is_valid():
        if merge.pair_id is None:
            raise Http404
        return _pair_page(request, merge.pair, reverse_form=form, status=400)
    done, _result = attempt(request, lambda: persons_merge_reverse(actor=request.user, merge=merge,
                                                                    reason=form.cleaned_data["reason"]),
                            str(_("The merge was reversed.")))
    if not done and merge.pair_id:
        return _pair_page(request, merge.pair, reverse_form=form, status=409)
    return redirect("web:duplicates")
