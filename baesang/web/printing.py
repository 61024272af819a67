"""Issuing the printable documents of the staff application: a creditor's statement and a
donation receipt (PDFs drawn by :mod:`baesang.web.pdf`).

A statement names the holders of a claim, their shares and the money owed and paid to them:
handing it out discloses personal data, so each download is written to the personal-data
access log with the user's reason (Personal Information Protection Act Art. 29; safeguard
standard Art. 8; see docs/personal-data.md) and to the audit log with the SHA-256 of the file
given out, in one transaction. Printing a receipt again is written to the audit log with the
receipt number and the file's SHA-256.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baesang.cases.models import CourtDeposit
from baesang.cases.selectors import claim_detail
from baesang.cases.services import statement_disclose
from baesang.donations.models import DonationReceipt
from baesang.donations.services import receipt_print_record
from baesang.judgments.models import Claim
from baesang.web.pdf import ReceiptData, StatementData, StatementHolder, StatementSettlement, receipt_pdf, statement_pdf
from baesang.web.selectors import holder_explanations
from baesang.web.templatetags.staff import state as state_label

FOUNDATION_NAMES = {"ko": "일제강제동원피해자지원재단",
                    "en": "Foundation for Victims of Forced Mobilization by Imperial Japan"}


_DONOR_KINDS = {"company": gettext_lazy("company"), "association": gettext_lazy("business association"),
                "individual": gettext_lazy("individual"), "government": gettext_lazy("government")}


def foundation_name(lang: str) -> str:
    configured = getattr(settings, "BAESANG_FOUNDATION_NAME", "")
    return configured or FOUNDATION_NAMES.get(lang, FOUNDATION_NAMES["ko"])


@dataclass(frozen=True)
class IssuedPdf:
    content: bytes
    sha256: str
    filename: str


def _settlements(claim: Claim, detail: dict) -> list[StatementSettlement]:
    names = {row["holding"]: row["holder"] for row in detail["history"]}
    items = [StatementSettlement(on=line["resolved_on"] or line["payment_date"], holder=line["holder"],
                                 how=_("paid (batch %(batch)s)") % {"batch": line["batch"]},
                                 principal=line["principal"], interest=line["interest"], amount=line["amount"])
             for line in detail["payments"] if line["state"] == "paid"]
    for deposit in CourtDeposit.objects.filter(holding__claim=claim, state=CourtDeposit.ACCEPTED).select_related(
            "court").order_by("decided_on", "pk"):
        items.append(StatementSettlement(
            on=deposit.decided_on, holder=names.get(deposit.holding_id, ""),
            how=_("deposited with %(court)s") % {"court": deposit.court.name},
            principal=deposit.principal_part, interest=deposit.interest_part, amount=deposit.amount))
    items.sort(key=lambda item: str(item.on or ""))
    return items


def statement_data(*, claim: Claim, as_of: date, user: Any, lang: str) -> StatementData:
    """What the statement shows (raises ``InterestError`` for a day before interest starts)."""
    detail = claim_detail(claim_id=claim.pk, as_of=as_of)
    explanations = holder_explanations(claim=claim, lang=lang)
    person_of = {row["holding"]: row["holder_id"] for row in detail["history"]}
    holders = [StatementHolder(
        name=h["name"], share="1" if h["share"] == "1/1" else h["share"], state=state_label(h["state"]),
        principal=h["principal"], interest=h["interest"], amount=h["amount"], settled=h["settled"],
        explanation=explanations.get(person_of.get(h["holding"]), [])) for h in detail["holders"]]
    issued_at = timezone.localtime()
    return StatementData(
        foundation=foundation_name(lang), case_number=detail["case_number"], position=detail["position"],
        court=detail["court"], debtor=detail["debtor"], final_on=claim.judgment.final_on,
        victim_name=detail["victim_name"], victim_living=detail["victim_living"], principal=detail["principal"],
        segments=detail["segments"], as_of=as_of, calculation=detail["calculation"], holders=holders,
        settlements=_settlements(claim, detail), outstanding=detail["outstanding"], issued_at=issued_at,
        issued_by=user.get_username(), reference=f"S{claim.pk}-{as_of:%Y%m%d}-{issued_at:%y%m%d%H%M%S}")


def statement_issue(*, claim: Claim, as_of: date, user: Any, reason: str, lang: str, channel: str = "web",
                    compress: bool = True) -> IssuedPdf:
    """The creditor's statement of ``claim`` on ``as_of`` as a PDF, logged as a disclosure.

    Raises ``RevealReasonRequired`` without a reason and ``RevealNotPermitted`` for a role that
    may not see personal data in full (nothing is logged then), ``InterestError`` for a day
    before the interest starts.
    """
    data = statement_data(claim=claim, as_of=as_of, user=user, lang=lang)
    content = statement_pdf(data, lang=lang, compress=compress)
    digest = hashlib.sha256(content).hexdigest()
    statement_disclose(claim=claim, actor=user, reason=reason, channel=channel, as_of=as_of,
                       reference=data.reference, sha256=digest, outstanding=data.outstanding,
                       holders=len(data.holders), lang=lang)
    filename = f"statement-{claim.judgment.case_number}-{claim.position}-{as_of:%Y%m%d}.pdf"
    return IssuedPdf(content=content, sha256=digest, filename=filename)


def receipt_data(*, receipt: DonationReceipt, user: Any, lang: str) -> ReceiptData:
    donation, donor = receipt.donation, receipt.donor
    return ReceiptData(
        number=receipt.number, issued_on=receipt.issued_on, donor_name=donor.name,
        donor_kind=str(_DONOR_KINDS.get(donor.kind, donor.kind)), donor_brn=donor.brn, donor_country=donor.country,
        foundation=foundation_name(lang), foundation_brn=getattr(settings, "BAESANG_FOUNDATION_BRN", ""),
        foundation_address=getattr(settings, "BAESANG_FOUNDATION_ADDRESS", ""), value_date=donation.value_date,
        amount_won=receipt.amount_won, currency=donation.currency, original_amount=f"{donation.original_amount:,f}",
        rate=f"{donation.rate.normalize():f}", restricted=donation.restricted, bank_reference=donation.bank_reference,
        printed_at=timezone.localtime(), printed_by=user.get_username())


def receipt_print(*, receipt: DonationReceipt, user: Any, lang: str, compress: bool = True) -> IssuedPdf:
    """The donation receipt as a PDF; each print is written to the audit log."""
    receipt = DonationReceipt.objects.select_related("donation", "donor").get(pk=receipt.pk)
    content = receipt_pdf(receipt_data(receipt=receipt, user=user, lang=lang), lang=lang, compress=compress)
    digest = hashlib.sha256(content).hexdigest()
    receipt_print_record(receipt=receipt, actor=user, sha256=digest, lang=lang)
    return IssuedPdf(content=content, sha256=digest, filename=f"donation-receipt-{receipt.number}.pdf")
