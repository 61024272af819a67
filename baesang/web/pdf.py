"""Printable PDFs: a creditor's statement (채권 명세서) and a donation receipt (기부금 영수증).

Drawn with reportlab's built-in Korean CID font ``HYSMyeongJo-Medium``, which PDF readers
supply (it is not embedded), so no font file ships with the application. All text, Latin and
digits included, is set in it — one font, whose widths readers substitute reliably; headings
differ by size and colour only. Separators are plain ASCII (a middle dot is not in every
substitute font).

- The statement shows what is owed on a chosen day and how it was computed: the judgment
  order, the calculation sheet line by line (period method, Civil Code Arts. 159–160, or
  total days; rounding to whole won by the stated policy), the holders with their exact
  shares and the reason for each share (Civil Code Arts. 1000–1010), their parts, and what
  was paid or validly deposited (Art. 487).
- The receipt follows the items of the official form (소득세법 시행규칙 별지 제45호의2서식):
  its gap-free serial number, the donor, the receiving foundation, the donation (date, kind,
  amount) and the certifying sentence.

The builders take plain data prepared by :mod:`baesang.web.printing` and the active
language (``ko``/``en``); they read nothing from the database.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import HRFlowable

from baesang.core import formatting

BODY_FONT = "HYSMyeongJo-Medium"
HEAD_FONT = BODY_FONT
HEAD_COLOUR = colors.HexColor("#1f4e79")
_registered = False


def _fonts() -> None:
    global _registered
    if not _registered:
        pdfmetrics.registerFont(UnicodeCIDFont(BODY_FONT))
        _registered = True


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=BODY_FONT, fontSize=9.5, leading=13, wordWrap="CJK")
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=colors.HexColor("#333333")),
        "title": ParagraphStyle("title", parent=base, fontName=HEAD_FONT, fontSize=18, leading=24,
                                alignment=TA_CENTER, spaceAfter=4, textColor=HEAD_COLOUR),
        "subtitle": ParagraphStyle("subtitle", parent=base, alignment=TA_CENTER, spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=HEAD_FONT, fontSize=11.5, leading=15, spaceBefore=9,
                             spaceAfter=4, textColor=HEAD_COLOUR),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11),
        "num": ParagraphStyle("num", parent=base, fontSize=8.5, leading=11, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=HEAD_FONT, fontSize=8.5, leading=11),
        "headnum": ParagraphStyle("headnum", parent=base, fontName=HEAD_FONT, fontSize=8.5, leading=11,
                                  alignment=TA_RIGHT),
        "certify": ParagraphStyle("certify", parent=base, fontSize=10.5, leading=16, alignment=TA_CENTER,
                                  spaceBefore=14, spaceAfter=10),
    }


def _escape(text: Any) -> str:
    return (str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;"))


class _Formats:
    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in formatting.LANGS else "ko"

    def won(self, amount: int | None) -> str:
        return "" if amount is None else formatting.format_won(int(amount), self.lang)

    def exact(self, fraction_text: str) -> str:
        """An exact amount (``1148000000/73``) to two decimals, truncated: ``15,726,027.39원``."""
        return formatting.format_won_exact(Fraction(fraction_text), self.lang)

    def readable(self, amount: int) -> str:
        return formatting.format_won_readable(int(amount), self.lang)

    def day(self, value: date | str | None) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            value = date.fromisoformat(value)
        return formatting.format_date(value, self.lang)


def _grid(rows: list[list[Any]], widths: Sequence[float], *, header: bool = True, numeric: Sequence[int] = (),
          styles: dict[str, ParagraphStyle], footer_rows: int = 0) -> Table:
    body = []
    for r, row in enumerate(rows):
        cells = []
        for c, value in enumerate(row):
            if isinstance(value, Paragraph):
                cells.append(value)
                continue
            is_head = header and r == 0
            is_foot = footer_rows and r >= len(rows) - footer_rows
            style = ("headnum" if c in numeric else "head") if (is_head or is_foot) else \
                ("num" if c in numeric else "cell")
            cells.append(Paragraph(_escape(value), styles[style]))
        body.append(cells)
    table = Table(body, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf2")))
    if footer_rows:
        commands.append(("BACKGROUND", (0, len(rows) - footer_rows), (-1, -1), colors.HexColor("#f3f5f7")))
    table.setStyle(TableStyle(commands))
    return table


def _facts(pairs: list[tuple[str, Any]], styles: dict[str, ParagraphStyle], width: float) -> Table:
    rows = [[Paragraph(_escape(label), styles["head"]), Paragraph(_escape(value), styles["cell"])]
            for label, value in pairs]
    table = Table(rows, colWidths=[width * 0.28, width * 0.72], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#9aa5b1")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#e8edf2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _document(buffer: io.BytesIO, *, title: str, author: str, footer: str, compress: bool) -> SimpleDocTemplate:
    _fonts()

    def on_page(canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(BODY_FONT, 7.5)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(18 * mm, 10 * mm, footer)
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"{doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=title, author=author, creator="baesang",
                            pageCompression=1 if compress else 0, invariant=0)
    doc._on_page = on_page
    return doc


# --------------------------------------------------------------------------- creditor's statement


@dataclass
class StatementHolder:
    name: str
    share: str
    state: str
    principal: int
    interest: int
    amount: int
    settled: bool
    explanation: list[str] = field(default_factory=list)


@dataclass
class StatementSettlement:
    """A payment or an accepted court deposit."""

    on: date | str | None
    holder: str
    how: str
    principal: int
    interest: int
    amount: int


@dataclass
class StatementData:
    foundation: str
    case_number: str
    position: int
    court: str
    debtor: str
    final_on: date
    victim_name: str
    victim_living: bool
    principal: int
    segments: list[dict]
    as_of: date
    calculation: dict
    holders: list[StatementHolder]
    settlements: list[StatementSettlement]
    outstanding: int
    issued_at: datetime
    issued_by: str
    reference: str


def _segment_text(segment: dict, fmt: _Formats) -> str:
    end = fmt.day(segment["end"]) if segment.get("end") else _("until paid")
    return f"{segment['rate']}% {fmt.day(segment['start'])} – {end}"


def _method_text(method: str) -> str:
    return _("period method (기간식)") if method == "period" else _("total days (총일수식)")


def _rounding_text(rounding: str) -> str:
    return {"truncate": _("fractions of a won dropped (원 미만 버림)"),
            "half-up": _("fractions of a won rounded half up (반올림)")}.get(rounding, rounding)


def statement_pdf(data: StatementData, *, lang: str, compress: bool = True) -> bytes:
    """The creditor's statement as PDF bytes."""
    fmt = _Formats(lang)
    styles = _styles()
    buffer = io.BytesIO()
    title = _("Creditor's statement")
    footer = _("Statement %(reference)s | issued %(when)s by %(user)s") % {
        "when": data.issued_at.strftime("%Y-%m-%d %H:%M"), "user": data.issued_by, "reference": data.reference}
    doc = _document(buffer, title=f"{title} {data.case_number} #{data.position}", author=data.foundation,
                    footer=footer, compress=compress)
    width = doc.width
    story: list[Any] = [
        Paragraph(_escape(data.foundation), styles["small"]),
        Paragraph(_escape(title), styles["title"]),
        Paragraph(_escape(_("%(case)s, plaintiff no. %(position)s, owed on %(day)s") % {
            "case": data.case_number, "position": data.position, "day": fmt.day(data.as_of)}), styles["subtitle"]),
    ]
    victim = data.victim_name if data.victim_living else f"{data.victim_name} ({_('deceased')})"
    calculation = data.calculation
    story.append(_facts([
        (_("Case number"), data.case_number),
        (_("Court"), data.court),
        (_("Debtor"), data.debtor),
        (_("Final on"), fmt.day(data.final_on)),
        (_("Victim"), victim),
        (_("Principal"), f"{fmt.won(data.principal)} ({fmt.readable(data.principal)})"),
        (_("Interest ordered"), "; ".join(_segment_text(s, fmt) for s in data.segments)),
        (_("Owed on"), fmt.day(data.as_of)),
        (_("Principal and interest"), f"{fmt.won(calculation['total'])} ({fmt.readable(calculation['total'])})"),
        (_("Still owed"), f"{fmt.won(data.outstanding)} ({fmt.readable(data.outstanding)})"),
    ], styles, width))

    story.append(Paragraph(_escape(_("How it was computed")), styles["h2"]))
    story.append(Paragraph(_escape(_(
        "Simple interest on the principal for each segment of the judgment; both the first and the last day "
        "count. Method: %(method)s; %(rounding)s, once, at the end.") % {
        "method": _method_text(calculation["method"]), "rounding": _rounding_text(calculation["rounding"])}),
        styles["small"]))
    story.append(Spacer(1, 3))
    rows: list[list[Any]] = [[_("From"), _("To"), _("Years"), _("Days"), _("Rate"), _("Interest (exact)")]]
    for line in calculation["lines"]:
        days = f"{line['days']}/{line['divisor']}" if line.get("divisor") else str(line["days"])
        rows.append([fmt.day(line["start"]), fmt.day(line["end"]), str(line["years"]), days, f"{line['rate']}%",
                     fmt.exact(line["interest"])])
    rows.append([_("Interest"), "", "", "", "", fmt.won(calculation["interest"])])
    rows.append([_("Principal"), "", "", "", "", fmt.won(calculation["principal"])])
    rows.append([_("Principal and interest"), "", "", "", "", fmt.won(calculation["total"])])
    story.append(_grid(rows, [width * w for w in (0.19, 0.19, 0.08, 0.12, 0.1, 0.32)], numeric=(2, 3, 4, 5),
                       styles=styles, footer_rows=3))

    story.append(Paragraph(_escape(_("Holders and their shares")), styles["h2"]))
    rows = [[_("Holder"), _("Share"), _("State"), _("Principal"), _("Interest"), _("Part")]]
    for holder in data.holders:
        if holder.settled:  # what they received is in the next table, at its own date
            rows.append([holder.name, holder.share, holder.state, "—", "—", "—"])
        else:
            rows.append([holder.name, holder.share, holder.state, fmt.won(holder.principal),
                         fmt.won(holder.interest), fmt.won(holder.amount)])
    story.append(_grid(rows, [width * w for w in (0.17, 0.08, 0.14, 0.2, 0.2, 0.21)], numeric=(3, 4, 5),
                       styles=styles))
    for holder in data.holders:
        if holder.explanation:
            block = [Paragraph(_escape(_("Why %(name)s holds %(share)s") % {"name": holder.name,
                                                                          "share": holder.share}), styles["head"])]
            block += [Paragraph(_escape(line), styles["small"]) for line in holder.explanation]
            story.append(Spacer(1, 4))
            story.append(KeepTogether(block))

    story.append(Paragraph(_escape(_("Paid and deposited")), styles["h2"]))
    if data.settlements:
        rows = [[_("Date"), _("Holder"), _("How"), _("Principal"), _("Interest"), _("Amount")]]
        for item in data.settlements:
            rows.append([fmt.day(item.on), item.holder, item.how, fmt.won(item.principal), fmt.won(item.interest),
                         fmt.won(item.amount)])
        rows.append([_("Total"), "", "", "", "", fmt.won(sum(item.amount for item in data.settlements))])
        story.append(_grid(rows, [width * w for w in (0.18, 0.13, 0.16, 0.18, 0.17, 0.18)], numeric=(3, 4, 5),
                           styles=styles, footer_rows=1))
    else:
        story.append(Paragraph(_escape(_("Nothing paid or deposited yet.")), styles["body"]))
    story.append(Spacer(1, 10))
    story.append(HRFlowable(width="100%", thickness=0.5, color=colors.HexColor("#9aa5b1")))
    story.append(Paragraph(_escape(_(
        "Amounts paid are shown at their payment date; the parts of the holders are apportioned to the won so "
        "that they add up exactly to the amount owed.")), styles["small"]))
    doc.build(story, onFirstPage=doc._on_page, onLaterPages=doc._on_page)
    return buffer.getvalue()


# --------------------------------------------------------------------------- donation receipt


@dataclass
class ReceiptData:
    number: str
    issued_on: date
    donor_name: str
    donor_kind: str
    donor_brn: str
    donor_country: str
    foundation: str
    foundation_brn: str
    foundation_address: str
    value_date: date
    amount_won: int
    currency: str
    original_amount: str
    rate: str
    restricted: bool
    bank_reference: str
    printed_at: datetime
    printed_by: str


def _brn_text(brn: str) -> str:
    digits = "".join(c for c in brn or "" if c.isdigit())
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}" if len(digits) == 10 else (brn or "")


def receipt_pdf(data: ReceiptData, *, lang: str, compress: bool = True) -> bytes:
    """The donation receipt (기부금 영수증) as PDF bytes."""
    fmt = _Formats(lang)
    styles = _styles()
    buffer = io.BytesIO()
    title = _("Donation receipt")
    footer = _("Receipt %(number)s | printed %(when)s by %(user)s") % {
        "number": data.number, "when": data.printed_at.strftime("%Y-%m-%d %H:%M"), "user": data.printed_by}
    doc = _document(buffer, title=f"{title} {data.number}", author=data.foundation, footer=footer,
                    compress=compress)
    width = doc.width
    story: list[Any] = [
        Paragraph(_escape(_("Serial number: %(number)s") % {"number": data.number}), styles["body"]),
        Spacer(1, 6),
        Paragraph(_escape(title), styles["title"]),
        Spacer(1, 6),
        Paragraph(_escape(_("1. Donor")), styles["h2"]),
        _facts([(_("Name or company name"), data.donor_name), (_("Kind"), data.donor_kind),
                (_("Business registration number"), _brn_text(data.donor_brn) or "—"),
                (_("Country"), data.donor_country)], styles, width),
        Paragraph(_escape(_("2. Receiving organisation")), styles["h2"]),
        _facts([(_("Name"), data.foundation),
                (_("Business registration number"), _brn_text(data.foundation_brn) or "—"),
                (_("Address"), data.foundation_address or "—")], styles, width),
        Paragraph(_escape(_("3. Donation")), styles["h2"]),
    ]
    purpose = _("earmarked for judgment payments") if data.restricted else _("general purposes of the foundation")
    rows = [[_("Kind"), _("Date"), _("Purpose"), _("Reference"), _("Amount")],
            [_("money"), fmt.day(data.value_date), purpose, data.bank_reference, fmt.won(data.amount_won)]]
    story.append(_grid(rows, [width * w for w in (0.12, 0.2, 0.28, 0.2, 0.2)], numeric=(4,), styles=styles))
    story.append(Spacer(1, 4))
    story.append(Paragraph(_escape(_("Amount in words: %(amount)s") % {"amount": fmt.readable(data.amount_won)}),
                           styles["body"]))
    if data.currency and data.currency != "KRW":
        story.append(Paragraph(_escape(_(
            "Received as %(amount)s %(currency)s at %(rate)s won per unit, booked in won with fractions of a won "
            "dropped.") % {"amount": data.original_amount, "currency": data.currency, "rate": data.rate}),
            styles["small"]))
    story.append(Paragraph(_escape(_(
        "We certify that we received the donation above as a donation under Art. 34 of the Income Tax Act, "
        "Arts. 58, 76 and 88-4 of the Restriction of Special Taxation Act and Art. 24 of the Corporate Tax Act.")),
        styles["certify"]))
    story.append(Paragraph(_escape(fmt.day(data.issued_on)), ParagraphStyle(
        "date", parent=styles["body"], alignment=TA_CENTER, spaceAfter=14)))
    story.append(Paragraph(_escape(_("Recipient: %(foundation)s (seal)") % {"foundation": data.foundation}),
                           ParagraphStyle("sign", parent=styles["body"], alignment=TA_RIGHT)))
    doc.build(story, onFirstPage=doc._on_page, onLaterPages=doc._on_page)
    return buffer.getvalue()
