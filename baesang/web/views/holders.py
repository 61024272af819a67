"""Changing who holds a claim (채권자 변경): from a family file through the heirship engine
(statutory shares of the law in force on the date of death, Civil Code Arts. 1000–1010), or
from shares written in a court or registry document (e.g. a death before 1960, customary law),
or the plaintiff alone for a claim without holders.

A family file goes through two steps: the upload shows the engine's shares, regime and
explanation and asks which registered person each heir is (or registers them); the
confirmation runs the engine again on the very same file — its SHA-256 must match the one
shown — and records a proposal (``holders_propose_family``), keeping the file and its hash; the
family file must agree with the recorded persons. A proposal takes effect when a second person
approves it in the approval queue (:mod:`baesang.web.views.proposals`). The family file travels
in the form body, never in an address.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from fractions import Fraction
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.calc.succession import SuccessionError, heirs_from_json, loads_family
from baesang.cases.holdings import (
    canonical_json,
    claim_holders_plaintiff,
    holders_propose_document,
    holders_propose_family,
)
from baesang.cases.selectors import claim_current_holdings
from baesang.judgments.errors import InvalidPerson
from baesang.judgments.models import Claim
from baesang.judgments.services import Upload
from baesang.web.feedback import attempt
from baesang.web.forms import DocumentSharesForm, FamilyFileForm, ShareRowFormSet
from baesang.web.permissions import requires

MAX_FAMILY_FILE_BYTES = 1024 * 1024
MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def _lang() -> str:
    return "en" if (get_language() or "ko").startswith("en") else "ko"


def _claim(claim_id: int) -> Claim:
    return get_object_or_404(Claim.objects.select_related("judgment", "victim", "plaintiff"), pk=claim_id)


def _holders_page(request: HttpRequest, claim: Claim, *, family_form=None, document_form=None, shares=None,
                  status: int = 200) -> HttpResponse:
    return render(request, "web/holders.html", {
        "claim": claim, "holdings": claim_current_holdings(claim=claim),
        "family_form": family_form or FamilyFileForm(),
        "document_form": document_form or DocumentSharesForm(),
        "shares": shares or ShareRowFormSet(prefix="shares"),
    }, status=status)


@requires("manage_judgments")
def claim_holders_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    return _holders_page(request, _claim(claim_id))


# --------------------------------------------------------------------------- family file


class FamilyFileRefused(Exception):
    """The uploaded family file cannot be read (not UTF-8 JSON object, too large)."""


def _family_from(form: FamilyFileForm) -> dict:
    upload = form.cleaned_data.get("family_file")
    if upload is not None:
        if upload.size > MAX_FAMILY_FILE_BYTES:
            raise FamilyFileRefused(_("The family file is too large (at most 1 MB)."))
        raw = upload.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise FamilyFileRefused(_("The family file must be UTF-8 text (JSON).")) from None
    else:
        text = form.cleaned_data.get("family_json") or ""
    if not text.strip():
        raise FamilyFileRefused(_("Upload the family file or paste it."))
    try:
        family = loads_family(text)  # refuses duplicate keys (SuccessionError)
    except json.JSONDecodeError as error:
        raise FamilyFileRefused(_("The family file is not valid JSON (line %(line)s, column %(column)s).")
                                % {"line": error.lineno, "column": error.colno}) from None
    if not isinstance(family, dict):
        raise FamilyFileRefused(_("The family file must be one JSON object (see docs/succession.md)."))
    return family


def _mapping_rows(claim: Claim, result, family: dict, data: Any = None) -> list[dict]:
    """One row per family-file id that must be a registered person: the decedent, then each heir."""
    facts = {p.get("id"): p for p in family.get("persons", []) if isinstance(p, dict)}
    explanation = result.explain(_lang())
    current = claim_current_holdings(claim=claim)
    default_decedent = current[0].holder_id if len(current) == 1 else (claim.victim_id if not current else None)
    ids = [result.decedent] + sorted(pid for pid in result.shares if pid != result.decedent)
    rows = []
    for index, pid in enumerate(ids):
        person_field, name_field = f"person-{index}", f"new-{index}"
        is_decedent = pid == result.decedent
        share = result.shares.get(pid)
        rows.append({
            "index": index, "id": pid, "decedent": is_decedent, "share": share,
            "share_text": "" if share is None else (str(share) if share.denominator != 1 else "1"),
            "sex": facts.get(pid, {}).get("sex", ""), "died": facts.get(pid, {}).get("died", ""),
            "explanation": explanation.get(pid, []), "person_field": person_field, "name_field": name_field,
            "person": (data.get(person_field) if data is not None else
                       (default_decedent if is_decedent else "")) or "",
            "name": "",  # a typed name is not written back into the page
        })
    return rows


def _preview(request: HttpRequest, claim: Claim, family: dict, form: FamilyFileForm, *,
             status: int = 200) -> HttpResponse:
    result = heirs_from_json(dict(family))
    text = canonical_json(family)
    return render(request, "web/holders_family.html", {
        "claim": claim, "form": form, "result": result, "regime": result.regime,
        "notes": result.notes_in(_lang()), "family_json": text,
        "family_sha256": hashlib.sha256(text.encode()).hexdigest(),
        "rows": _mapping_rows(claim, result, family, request.POST if status != 200 else None),
        "valid_from": form.cleaned_data.get("valid_from") if form.is_valid() else None,
        "reason": form.cleaned_data.get("reason", "") if form.is_valid() else "",
    }, status=status)


def _persons_for(rows: list[dict], post) -> tuple[dict[str, int], dict[str, dict]]:
    """Which registered person (by number) each row is, or the details of a new person to
    register from the typed name (sex and date of death from the family file)."""
    numbers: dict[str, int] = {}
    new: dict[str, dict] = {}
    for row in rows:
        number = (post.get(row["person_field"]) or "").strip()
        name = (post.get(row["name_field"]) or "").strip()
        if number:
            if not number.isdigit():
                raise InvalidPerson(_("%(id)s: there is no person no. %(number)s.") % {"id": row["id"],
                                                                                   "number": number},
                                    field=row["person_field"])
            numbers[row["id"]] = int(number)
        elif name and not row["decedent"]:
            new[row["id"]] = {"name_hangul": name, "sex": row["sex"] if row["sex"] in ("M", "F") else "",
                              "death_date": date.fromisoformat(row["died"]) if row["died"] else None}
        else:
            raise InvalidPerson(_("%(id)s: give the person's number, or the name of a new person.") % {
                "id": row["id"]}, field=row["person_field"])
    return numbers, new


@requires("propose_holder_change")
@require_POST
def claim_holders_family_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    form = FamilyFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _holders_page(request, claim, family_form=form, status=400)
    try:
        family = _family_from(form)
        result = heirs_from_json(dict(family))
    except FamilyFileRefused as error:
        form.add_error(None, str(error))
        return _holders_page(request, claim, family_form=form, status=400)
    except SuccessionError as error:
        form.add_error(None, _("The heirship engine refused the family file: %(error)s") % {"error": error})
        return _holders_page(request, claim, family_form=form, status=400)
    if request.POST.get("confirm") != "1":
        return _preview(request, claim, family, form)
    if hashlib.sha256(canonical_json(family).encode()).hexdigest() != request.POST.get("family_sha256"):
        messages.error(request, _("The family file is not the one previewed; check the shares again."))
        return _preview(request, claim, family, form, status=400)
    rows = _mapping_rows(claim, result, family, request.POST)

    def record():
        persons, new_persons = _persons_for(rows, request.POST)
        return holders_propose_family(claim=claim, family=family, persons=persons, new_persons=new_persons,
                                      actor=request.user, valid_from=form.cleaned_data.get("valid_from"),
                                      reason=form.cleaned_data.get("reason") or "")

    done, _proposal = attempt(request, record, _("Heirs proposed from the family file: the change takes effect "
                                                 "when a second person approves it."))
    if not done:
        return _preview(request, claim, family, form, status=400)
    return redirect("web:claim", claim_id=claim.pk)


# --------------------------------------------------------------------------- shares from a document


@requires("propose_holder_change")
@require_POST
def claim_holders_document_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    form = DocumentSharesForm(request.POST, request.FILES)
    shares = ShareRowFormSet(request.POST, prefix="shares")
    if not (form.is_valid() and shares.is_valid()):
        return _holders_page(request, claim, document_form=form, shares=shares, status=400)
    data = form.cleaned_data
    rows = [row for row in shares.cleaned_data if row and row.get("person")]
    if not rows:
        messages.error(request, _("Give at least one holder and share."))
        return _holders_page(request, claim, document_form=form, shares=shares, status=400)
    upload = data.get("document_file")
    if upload is not None and upload.size > MAX_DOCUMENT_BYTES:
        form.add_error("document_file", _("The file is too large (at most 20 MB)."))
        return _holders_page(request, claim, document_form=form, shares=shares, status=400)

    def record():
        shares_by_number: dict[int, Fraction] = {}
        for row in rows:
            shares_by_number[row["person"]] = shares_by_number.get(row["person"], Fraction(0)) + row["share"]
        return holders_propose_document(
            claim=claim, shares=shares_by_number, document=data.get("document") or None,
            upload=Upload(upload.name, upload.read()) if upload is not None and not data.get("document") else None,
            document_kind=data["document_kind"], actor=request.user, valid_from=data["valid_from"],
            reason=data["reason"])

    done, _proposal = attempt(request, record, _("Holders proposed from the document: the change takes effect "
                                                 "when a second person approves it."))
    if not done:
        return _holders_page(request, claim, document_form=form, shares=shares, status=400)
    return redirect("web:claim", claim_id=claim.pk)


@requires("manage_judgments")
@require_POST
def claim_holders_plaintiff_view(request: HttpRequest, claim_id: int) -> HttpResponse:
    claim = _claim(claim_id)
    attempt(request, lambda: claim_holders_plaintiff(claim=claim, actor=request.user),
            _("The plaintiff holds the whole claim."))
    return redirect("web:claim", claim_id=claim.pk)
