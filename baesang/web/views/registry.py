"""Registering the case file: judgments (with each creditor's judgment order: principal and
interest segments as the judgment words them), persons (victims and heirs: names in Hangul,
Hanja and romanized, dates, personal data encrypted at rest), and documents (kept with their
SHA-256, found by number or hash).

Personal data typed into these forms is never written back into a page or an address: a form
that comes back with an error shows those boxes empty, and a new person is addressed by id.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.cases.holdings import claim_register
from baesang.cases.models import ConsentVerification, CourtDeposit, HolderChange
from baesang.judgments.models import Claim, Court, Document, Judgment, Person
from baesang.judgments.services import Upload, document_file, judgment_register, person_create, person_update
from baesang.web.feedback import attempt
from baesang.web.forms import (
    ClaimForm,
    DocumentLookupForm,
    DocumentUploadForm,
    JudgmentForm,
    PersonEditForm,
    PersonForm,
    SegmentFormSet,
)
from baesang.web.permissions import requires, user_may
from baesang.web.selectors import documents_find

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
DOCUMENTS_PER_PAGE = 50


# --------------------------------------------------------------------------- judgments


@requires("manage_judgments")
def judgment_new_view(request: HttpRequest) -> HttpResponse:
    form = JudgmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def register():
            return judgment_register(
                case_number=data["case_number"], court_name=data["court"], debtor=data["debtor"],
                debtor_code=data["debtor_code"], debtor_name=data["debtor_name"],
                debtor_name_en=data["debtor_name_en"], decided_on=data["decided_on"], final_on=data["final_on"],
                plaintiffs_count=data["plaintiffs_count"], title=data["title"], note=data["note"],
                actor=request.user)

        done, judgment = attempt(request, register, _("Judgment registered. Add its creditors below."))
        if done:
            return redirect("web:judgment", judgment_id=judgment.pk)
    return render(request, "web/judgment_new.html", {"form": form, "courts": Court.objects.order_by("name")},
                  status=400 if request.method == "POST" else 200)


def _judgment_page(request: HttpRequest, judgment: Judgment, *, claim_form: ClaimForm | None = None,
                   segments=None, status: int = 200) -> HttpResponse:
    claims = (Claim.objects.filter(judgment=judgment).select_related("victim", "plaintiff")
              .prefetch_related("segments").order_by("position"))
    next_position = (claims.last().position + 1) if claims.exists() else 1
    context = {
        "judgment": judgment, "claims": claims,
        "documents": Document.objects.filter(judgment=judgment).order_by("pk"),
        "claim_form": claim_form or ClaimForm(initial={"position": next_position, "plaintiff_holds": True}),
        "segments": segments or SegmentFormSet(prefix="segments"),
    }
    return render(request, "web/judgment.html", context, status=status)


@requires("view_judgments")
def judgment_view(request: HttpRequest, judgment_id: int) -> HttpResponse:
    judgment = get_object_or_404(Judgment.objects.select_related("court", "debtor"), pk=judgment_id)
    return _judgment_page(request, judgment)


@requires("manage_judgments")
@require_POST
def claim_new_view(request: HttpRequest, judgment_id: int) -> HttpResponse:
    judgment = get_object_or_404(Judgment.objects.select_related("court", "debtor"), pk=judgment_id)
    form = ClaimForm(request.POST)
    segments = SegmentFormSet(request.POST, prefix="segments")
    if not (form.is_valid() and segments.is_valid()):
        return _judgment_page(request, judgment, claim_form=form, segments=segments, status=400)
    data = form.cleaned_data
    rows = [row for row in segments.cleaned_data if row and row.get("start")]
    if not rows:
        messages.error(request, _("Give at least one interest segment: first day and rate."))
        return _judgment_page(request, judgment, claim_form=form, segments=segments, status=400)

    def register():
        victim = None if data["victim"] else {
            "name_hangul": data["victim_name_hangul"], "name_hanja": data["victim_name_hanja"],
            "name_roman": data["victim_name_roman"], "sex": data["victim_sex"],
            "birth_date": data["victim_birth_date"], "death_date": data["victim_death_date"]}
        return claim_register(
            judgment=judgment, position=data["position"], victim_id=data["victim"], victim=victim,
            plaintiff_id=data["plaintiff"], principal=data["principal"], method=data["method"],
            segments=[{"start": row["start"], "end": row.get("end"), "rate": row["rate"]} for row in rows],
            plaintiff_holds=data["plaintiff_holds"], actor=request.user)

    done, claim = attempt(request, register)
    if not done:
        return _judgment_page(request, judgment, claim_form=form, segments=segments, status=400)
    messages.success(request, _("Claim of plaintiff no. %(position)s registered.") % {"position": claim.position})
    return redirect("web:judgment", judgment_id=judgment.pk)


# --------------------------------------------------------------------------- persons


def _personal_changes(data: dict) -> dict:
    """The personal-data fields actually typed in (a blank box keeps the stored value)."""
    return {name: data[name].strip() for name in PersonEditForm.PERSONAL if (data.get(name) or "").strip()}


@requires("manage_judgments")
def person_new_view(request: HttpRequest) -> HttpResponse:
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, person = attempt(request, lambda: person_create(
            name_hangul=data["name_hangul"], name_hanja=data["name_hanja"], name_roman=data["name_roman"],
            sex=data["sex"], birth_date=data["birth_date"], death_date=data["death_date"],
            needs_representative=data["needs_representative"], bank_name=data["bank_name"], note=data["note"],
            bank_account=(data.get("bank_account") or "").strip(), actor=request.user, **_personal_changes(data)))
        if done:
            messages.success(request, _("Person registered as no. %(number)s.") % {"number": person.pk})
            return redirect("web:person", person_id=person.pk)
    return render(request, "web/person_form.html", {"form": form, "person": None},
                  status=400 if request.method == "POST" else 200)


@requires("manage_judgments")
def person_edit_view(request: HttpRequest, person_id: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_id)
    initial = {name: getattr(person, name) for name in ("name_hanja", "name_roman", "sex", "birth_date",
                                                         "needs_representative", "note")}
    form = PersonEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in initial if data[name] != initial[name]}
        changes.update(_personal_changes(data))
        done, _person = attempt(request, lambda: person_update(person=person, actor=request.user, **changes),
                                _("Changes saved."))
        if done:
            return redirect("web:person", person_id=person.pk)
    return render(request, "web/person_form.html", {"form": form, "person": person},
                  status=400 if request.method == "POST" else 200)


# --------------------------------------------------------------------------- documents


def _documents_page(request: HttpRequest, *, upload_form=None, lookup_form=None, found=None,
                    status: int = 200) -> HttpResponse:
    documents = Document.objects.select_related("person", "judgment", "uploaded_by").order_by("-pk")
    page = Paginator(documents, DOCUMENTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/documents.html", {
        "page": page, "query": "", "found": found,
        "upload_form": upload_form or DocumentUploadForm(),
        "lookup_form": lookup_form or DocumentLookupForm(),
    }, status=status)


@requires("view_claims")
def documents_view(request: HttpRequest) -> HttpResponse:
    """The documents, newest first, and the lookup by number or SHA-256 (not personal data: a
    GET is fine)."""
    lookup = DocumentLookupForm(request.GET if "id" in request.GET else None)
    found = None
    if lookup.is_bound and lookup.is_valid():
        found = documents_find(query=lookup.cleaned_data["id"])
        if len(found) == 1:
            return redirect("web:document", document_id=found[0].pk)
    return _documents_page(request, lookup_form=lookup, found=found)


@requires("manage_judgments")
@require_POST
def document_upload_view(request: HttpRequest) -> HttpResponse:
    form = DocumentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _documents_page(request, upload_form=form, status=400)
    data = form.cleaned_data
    upload = data["file"]
    if upload.size > MAX_DOCUMENT_BYTES:
        form.add_error("file", _("The file is too large (at most 20 MB)."))
        return _documents_page(request, upload_form=form, status=400)

    def store():
        return document_file(kind=data["kind"], title=data["title"], upload=Upload(upload.name, upload.read()),
                             person_id=data["person"], judgment=data["judgment"], actor=request.user)

    done, result = attempt(request, store)
    if not done:
        return _documents_page(request, upload_form=form, status=400)
    document, existed = result
    if existed:
        messages.warning(request, _("The same file is already stored as document no. %(number)s.")
                         % {"number": document.pk})
    else:
        messages.success(request, _("Document no. %(number)s stored; SHA-256 %(sha)s.")
                         % {"number": document.pk, "sha": document.sha256})
    return redirect("web:document", document_id=document.pk)


@requires("view_claims")
def document_view(request: HttpRequest, document_id: int) -> HttpResponse:
    document = get_object_or_404(Document.objects.select_related("person", "judgment", "uploaded_by"),
                                 pk=document_id)
    uses = {
        "holder_changes": HolderChange.objects.filter(document=document).select_related("claim__judgment"),
        "consents": ConsentVerification.objects.filter(
            Q(form_document=document) | Q(representative_document=document)).select_related(
            "holding__claim__judgment", "holding__holder"),
        "deposits": CourtDeposit.objects.filter(decision_document=document).select_related("court"),
    }
    return render(request, "web/document.html", {"document": document, "uses": uses,
                                                 "may_see_person": user_may(request.user, "search_persons")})


