"""Registering the case file: judgments (with each creditor's judgment order: principal and
interest segments as the judgment words them), persons (victims and heirs: names in Hangul,
Hanja and romanized, dates, personal data encrypted at rest), and documents (kept with their
SHA-256, found by number or hash).

Personal data typed into these forms is never written back into a page or an address: a form
that comes back with an error shows those boxes empty, and a new person is addressed by id.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from datetime import date

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.calc.judgment_text import JudgmentReading
from baesang.cases.holdings import claim_register
from baesang.cases.models import ConsentVerification, CourtDeposit, HolderChange
from baesang.cases.reading import CreditorEntry, judgment_register_from_text
from baesang.core import formatting
from baesang.core.errors import DomainError
from baesang.judgments.judgment_reader import judgment_read
from baesang.judgments.models import Claim, ClaimSegment, Court, Debtor, Document, Judgment, Person
from baesang.judgments.reading import judgment_check
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
from baesang.web.paging import filters_query, queryset_page
from baesang.web.permissions import requires, user_may
from baesang.web.selectors import documents_find
from baesang.web.templatetags.staff import state as state_label
from baesang.web.templatetags.staff import won

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


#: A claim id no claim has, replaced in the one reversed address of a judgment page's rows.
_URL_ID = 987654321987


def _judgment_page(request: HttpRequest, judgment: Judgment, *, claim_form: ClaimForm | None = None,
                   segments=None, status: int = 200) -> HttpResponse:
    # Only the columns the table shows, as plain rows: no model instances (26 µs each with
    # deferred fields, three per creditor) and the persons' encrypted fields neither read nor
    # decrypted, for a judgment of hundreds of plaintiffs. The interest ordered is written as
    # text once per claim here rather than through template tags per segment.
    lang = (get_language() or "ko").split("-")[0]
    lang = lang if lang in formatting.LANGS else "ko"
    until_paid = _("until paid")
    ordered: dict[int, list[str]] = {}  # per claim, its interest segments as text
    for claim_id, rate, start, end in ClaimSegment.objects.filter(claim__judgment=judgment).order_by(
            "claim_id", "position").values_list("claim_id", "rate", "start", "end"):
        ordered.setdefault(claim_id, []).append(
            f"{formatting.format_rate(rate)} {formatting.format_date(start, lang)} – "
            f"{formatting.format_date(end, lang) if end else until_paid}")
    claims = list(Claim.objects.filter(judgment=judgment).order_by("position").values_list(
        "pk", "position", "principal", "state", "victim__name_hangul", "victim__death_date", "plaintiff__name_hangul"))
    # The rows written here, escaped by format_html: the template language's lookups and filters
    # cost about 0.2 ms a row, most of the page of a judgment of 300 plaintiffs. One reverse() for
    # the page, not one per row (each costs tens of µs with the language prefix).
    claim_url = reverse("web:claim", args=[_URL_ID]).replace(str(_URL_ID), "{}")
    deceased = _("deceased")
    claims_rows = format_html_join(
        "\n", '<tr><td class="num"><a href="{}">{}</a></td><td>{}{}</td><td>{}</td><td class="num">{}</td>'
        "<td>{}</td><td>{}</td></tr>",
        ((claim_url.format(pk), position, victim_name, f" ({deceased})" if victim_death else "", plaintiff_name or "",
          won(principal), "; ".join(ordered.get(pk, ())), state_label(state))
         for pk, position, principal, state, victim_name, victim_death, plaintiff_name in claims))
    next_position = (claims[-1][1] + 1) if claims else 1
    context = {
        "judgment": judgment, "claims": claims, "claims_rows": claims_rows,
        "documents": Document.objects.filter(judgment=judgment).order_by("pk"),
        "claim_form": claim_form or ClaimForm(initial={"position": next_position, "plaintiff_holds": True}),
        "segments": segments or SegmentFormSet(prefix="segments"),
        "check": judgment_check(judgment=judgment),
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
    page = queryset_page(request, documents, name="documents", order=("-pk",), limit=DOCUMENTS_PER_PAGE)
    return render(request, "web/documents.html", {
        "page": page, "query": filters_query(request), "found": found,
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




# --------------------------------------------------------------------------- from the court's text


def _segments_text(segments) -> str:
    return "; ".join(f"{s.start.isoformat()}:{s.end.isoformat() if s.end else 'paid'}:{format(s.rate.normalize(), 'f')}"
                     for s in segments)


def _highlighted(reading: JudgmentReading) -> list[tuple[str, str]]:
    """The text in pieces, each recognised payment sentence marked ``order``, each sentence
    read only in part ``unparsed`` (from the reader's spans)."""
    spans = sorted({(o.span, "order") for o in reading.orders if o.span[1] > o.span[0]}
                   | {(u.span, "unparsed") for u in reading.unparsed if u.span[1] > u.span[0]})
    pieces, at = [], 0
    for (start, end), kind in spans:
        if start < at:
            continue
        pieces.append((reading.text[at:start], ""))
        pieces.append((reading.text[start:end], kind))
        at = end
    pieces.append((reading.text[at:], ""))
    return [piece for piece in pieces if piece[0]]


def _creditor_rows(reading: JudgmentReading, post=None) -> list[dict]:
    names = {o.creditor for o in reading.orders} | {o.deceased for o in reading.orders if o.deceased}
    matches: dict[str, list[Person]] = {}
    for person in Person.objects.filter(name_hangul__in=names).order_by("pk"):
        matches.setdefault(person.name_hangul, []).append(person)
    rows = []
    for number, order in enumerate(reading.orders, 1):
        rows.append({"index": number, "position": number, "name": order.creditor, "deceased": order.deceased or "",
                     "principal": order.principal, "segments": _segments_text(order.segments),
                     "matches": matches.get(order.creditor, []), "deceased_matches": matches.get(order.deceased, [])
                     if order.deceased else [], "include": True, "chosen": None, "deceased_chosen": None})
    for extra in range(len(reading.orders) + 1, len(reading.orders) + 1 + (3 if reading.unparsed else 1)):
        rows.append({"index": extra, "position": extra, "name": "", "deceased": "", "principal": "", "segments": "",
                     "matches": [], "deceased_matches": [], "include": False, "chosen": None,
                     "deceased_chosen": None})
    if post is not None:
        for row in rows:
            i = row["index"]
            for key in ("position", "name", "deceased", "principal", "segments"):
                row[key] = post.get(f"c{i}_{key}", row[key])
            row["include"] = bool(post.get(f"c{i}_include"))
            row["chosen"] = post.get(f"c{i}_person", "")
            row["deceased_chosen"] = post.get(f"c{i}_deceased_person", "")
    return rows


def _encoded(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def _review_page(request: HttpRequest, *, upload: Upload, ruling: Upload | None, reading: JudgmentReading,
                 status: int = 200) -> HttpResponse:
    post = request.POST if "sha256" in request.POST else None
    debtor = Debtor.objects.filter(name__in=[d for d in reading.debtors]).first() or next(
        (d for d in Debtor.objects.all() if any(d.name in name for name in reading.debtors)), None)
    details = {"case_number": reading.case_number or "", "court": reading.court or "",
               "debtor_code": debtor.code if debtor else "", "debtor_name": debtor.name if debtor else
               (reading.debtors[0] if reading.debtors else ""), "decided_on": "", "final_on": "", "title": ""}
    if ruling is not None:
        ruling_reading = judgment_read(content=ruling.content, filename=ruling.name)
        details["case_number"] = ruling_reading.case_number or details["case_number"]
        details["court"] = ruling_reading.court or details["court"]
    if post is not None:
        details = {key: post.get(key, value) for key, value in details.items()}
    return render(request, "web/judgment_read.html", {
        "reading": reading, "pieces": _highlighted(reading), "rows": _creditor_rows(reading, post),
        "details": details, "filename": upload.name, "content": _encoded(upload.content),
        "sha256": hashlib.sha256(upload.content).hexdigest(),
        "ruling_name": ruling.name if ruling else "", "ruling_content": _encoded(ruling.content) if ruling else "",
    }, status=status)


def _uploaded(request: HttpRequest, field: str) -> Upload | None:
    upload = request.FILES.get(field)
    if upload is None:
        return None
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValueError(_("The file is too large (at most 20 MB)."))
    return Upload(upload.name, upload.read())


@requires("manage_judgments")
def judgment_read_view(request: HttpRequest) -> HttpResponse:
    """Step one: upload the judgment (and, for a Supreme Court ruling that dismissed the appeal,
    that ruling beside the appellate judgment); see what the reader found. Nothing is stored."""
    if request.method != "POST":
        return render(request, "web/judgment_read.html", {"reading": None})
    try:
        upload = _uploaded(request, "file")
        ruling = _uploaded(request, "ruling")
    except ValueError as exc:
        messages.error(request, str(exc))
        return render(request, "web/judgment_read.html", {"reading": None}, status=400)
    if upload is None:
        messages.error(request, _("Choose the judgment file (.txt or .pdf)."))
        return render(request, "web/judgment_read.html", {"reading": None}, status=400)
    done, reading = attempt(request, lambda: judgment_read(content=upload.content, filename=upload.name))
    if not done:
        return render(request, "web/judgment_read.html", {"reading": None}, status=400)
    if ruling is not None:
        done, _ruling = attempt(request, lambda: judgment_read(content=ruling.content, filename=ruling.name))
        if not done:
            return render(request, "web/judgment_read.html", {"reading": None}, status=400)
    return _review_page(request, upload=upload, ruling=ruling, reading=reading)


def _decoded(text: str) -> bytes:
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return b""


def _parse_int(text: str) -> int | None:
    text = (text or "").replace(",", "").strip()
    return int(text) if text.isdigit() else None


@requires("manage_judgments")
@require_POST
def judgment_read_confirm_view(request: HttpRequest) -> HttpResponse:
    """Step two: the officer's corrections and confirmation; one service registers it all."""
    post = request.POST
    upload = Upload(post.get("filename", ""), _decoded(post.get("content", "")))
    ruling = Upload(post.get("ruling_name", ""), _decoded(post.get("ruling_content", ""))) \
        if post.get("ruling_content") else None
    try:
        reading = judgment_read(content=upload.content, filename=upload.name)
    except DomainError:
        messages.error(request, _("The judgment file was lost on the way; upload it again."))
        return render(request, "web/judgment_read.html", {"reading": None}, status=400)
    problems, creditors = [], []
    for row in _creditor_rows(reading, post):
        if not row["include"]:
            continue
        position, principal = _parse_int(str(row["position"])), _parse_int(str(row["principal"]))
        if not row["name"].strip() or position is None or principal is None:
            problems.append(_("Creditor row %(row)s needs a number, a name and a principal in won.")
                            % {"row": row["index"]})
            continue
        creditors.append(CreditorEntry(
            position=position, name=row["name"].strip(), principal=principal, deceased=row["deceased"].strip(),
            segments=[part.strip() for part in row["segments"].split(";") if part.strip()],
            person_id=_parse_int(row["chosen"]), deceased_person_id=_parse_int(row["deceased_chosen"])))
    dates = {}
    for key in ("decided_on", "final_on"):
        try:
            dates[key] = date.fromisoformat(post.get(key, "").strip())
        except ValueError:
            problems.append(_("Give the date the judgment was ruled and the date it became final (YYYY-MM-DD)."))
    for problem in dict.fromkeys(problems):
        messages.error(request, problem)
    if problems:
        return _review_page(request, upload=upload, ruling=ruling, reading=reading, status=400)
    code = post.get("debtor_code", "").strip()

    def register():
        return judgment_register_from_text(
            upload=upload, sha256=post.get("sha256", ""), ruling=ruling, case_number=post.get("case_number", ""),
            court_name=post.get("court", ""), decided_on=dates["decided_on"], final_on=dates["final_on"],
            debtor=Debtor.objects.filter(code=code).first(), debtor_code=code,
            debtor_name=post.get("debtor_name", "").strip(), title=post.get("title", "").strip(),
            creditors=creditors, actor=request.user)

    done, judgment = attempt(request, register, _("Judgment registered from its text."))
    if not done:
        return _review_page(request, upload=upload, ruling=ruling, reading=reading, status=400)
    return redirect("web:judgment", judgment_id=judgment.pk)
