"""Finding a person (creditor, heir) by name in any script — or a judgment by its case number,
or a document by its number or SHA-256 — and a person's page with personal data masked; a full
value is shown once, on request with a reason, and the reveal is logged.

The search is a POST: a name typed into the search must not end up in an address, a browser
history or a server log."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from baesang.cases.merging import person_duplicate_context
from baesang.cases.selectors import person_claims
from baesang.core.paging import InvalidCursor
from baesang.judgments.models import Person
from baesang.judgments.selectors import persons_search_page
from baesang.pii.services import pii_reveal
from baesang.web.feedback import attempt
from baesang.web.forms import PersonSearchForm, RevealForm
from baesang.web.paging import SCREEN_PAGE
from baesang.web.permissions import requires, user_may
from baesang.web.selectors import claim_search_rows, documents_find, judgments_by_case_number

PERSONAL_FIELDS = ("rrn", "phone", "address", "bank_account")


@requires("search_persons")
def person_search_view(request: HttpRequest) -> HttpResponse:
    form = PersonSearchForm(request.POST or None)
    results = judgments = claims = documents = None
    page = None
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["q"]
        after, before = request.POST.get("after") or None, request.POST.get("before") or None
        try:
            page = persons_search_page(query=query, cursor=after, before=None if after else before, limit=SCREEN_PAGE)
        except InvalidCursor as error:
            raise BadRequest(error.message) from error
        results = page.items
        judgments = judgments_by_case_number(query=query)
        claims = claim_search_rows(judgments=judgments)
        documents = documents_find(query=query)
    return render(request, "web/person_search.html", {"form": form, "results": results, "page": page,
                                                      "judgments": judgments,
                                                      "claims": claims, "documents": documents})


def _person_page(request: HttpRequest, person: Person, *, revealed: dict | None = None,
                 reveal_form: RevealForm | None = None, status: int = 200) -> HttpResponse:
    context = {
        "person": person,
        "masked": {name: str(getattr(person, name) or "") for name in PERSONAL_FIELDS},
        "claims": person_claims(person=person),
        "revealed": revealed or {},
        "reveal_form": reveal_form or RevealForm(),
        "may_reveal": user_may(request.user, "reveal_personal_data"),
        **person_duplicate_context(person),
    }
    return render(request, "web/person.html", context, status=status)


@requires("search_persons")
def person_view(request: HttpRequest, person_id: int) -> HttpResponse:
    return _person_page(request, get_object_or_404(Person, pk=person_id))


@requires("reveal_personal_data")
@require_POST
def person_reveal_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _person_page(request, person, reveal_form=form, status=400)
    field = form.cleaned_data["field"]
    done, value = attempt(request, lambda: pii_reveal(
        user=request.user, entity_type="judgments.person", entity_id=str(person.pk), field=field,
        reason=form.cleaned_data["reason"], channel="web", value=getattr(person, field) or ""))
    return _person_page(request, person, revealed={field: value} if done else None, reveal_form=form)
