"""Reading a bank-statement style CSV of donations received; every bad row is reported.

Columns (header row required, any order, names case-insensitive):
``date,donor,donor_country,donor_brn,amount,currency,rate,reference,restricted`` and,
optionally, ``donor_kind`` (company/association/individual/government; default company when a
business registration number is given, else individual) and ``donor_public`` (yes/no, default no).
Rows are numbered as in a spreadsheet: the header is row 1, the first donation row 2.
The file is UTF-8 (a byte-order mark from a spreadsheet is accepted). A date after the
foundation's today (``timezone.localdate()``) is a bad row: money is recorded when received.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from baesang.core.errors import DomainError, ValidationFailed
from baesang.donations import rules
from baesang.donations.models import DonorKind

REQUIRED_COLUMNS = ("date", "donor", "donor_country", "donor_brn", "amount", "currency", "rate", "reference",
                    "restricted")
OPTIONAL_COLUMNS = ("donor_kind", "donor_public")
MAX_REFERENCE = 100
MAX_DONOR = 200
#: Rows checked between two progress reports.
PROGRESS_EVERY = 10_000

#: ``progress(stage, done, total)``: told how far an import has come (for a progress bar).
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class DonationLine:
    """One valid row: a donation received, with its amount in won."""

    row: int
    value_date: date
    donor: str
    country: str
    brn: str
    kind: str
    public: bool
    currency: str
    amount: Decimal
    rate: Decimal
    amount_won: int
    reference: str
    restricted: bool

    @property
    def donor_key(self) -> tuple:
        return ("brn", self.brn) if self.brn else ("name", self.donor, self.country)


def bad_row(row: int, field: str, rule: str) -> DomainError:
    return DomainError(f"row {row}, {field}: {rule}", code="bad_row", field=field, row=row)


def _csv_rows(reader, source: str) -> Iterator[list[str]]:
    """The rows of ``reader``; a line the csv module cannot read (a field over its size limit, …)
    refuses the whole file like a wrong header, instead of escaping as ``csv.Error``."""
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationFailed([bad_row(reader.line_num, "file", f"not readable as CSV ({exc})")],
                                   summary=f"{source}: line {reader.line_num} is not readable CSV; nothing was "
                                           "imported") from None
        yield values


def donations_parse(*, data: bytes | str, source: str = "the file", today: date | None = None) -> list[DonationLine]:
    """Parse and check the whole file; raise :class:`ValidationFailed` listing every bad row and field."""
    lines, errors = donations_check(data=data, source=source, today=today)
    if errors:
        raise ValidationFailed(errors, summary=summary(errors, source))
    return lines


def summary(errors: list[DomainError], source: str) -> str:
    rows = len({e.row for e in errors})
    return f"{source}: {rows} bad row(s), {len(errors)} error(s); nothing was imported"


def donations_check(*, data: bytes | str, source: str = "the file", today: date | None = None,
                    progress: Progress | None = None) -> tuple[list[DonationLine], list[DomainError]]:
    """The valid rows and the errors of the bad ones (a wrong header or encoding raises at once);
    ``today`` is the foundation's today (default ``timezone.localdate()``); ``progress`` is told
    every :data:`PROGRESS_EVERY` rows (stage ``check``)."""
    today = today or timezone.localdate()
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed([bad_row(1, "file", f"{source} is not UTF-8 text ({exc.reason} at byte "
                                                       f"{exc.start})")]) from exc
    else:
        text = data.removeprefix("\ufeff")
    reader = _csv_rows(csv.reader(io.StringIO(text, newline="")), source)
    expected = max(0, text.count("\n") - 1 + (0 if text.endswith("\n") else 1))
    header = next(reader, None)
    if header is None:
        raise ValidationFailed([bad_row(1, "file", f"{source} is empty: a header row is required")])
    columns = [name.strip().lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    duplicated = sorted({name for name in columns if columns.count(name) > 1})
    if missing or unknown or duplicated:
        problems = []
        if missing:
            problems.append(bad_row(1, "header", f"missing column(s) {', '.join(missing)}"))
        if unknown:
            problems.append(bad_row(1, "header", f"unknown column(s) {', '.join(unknown)}"))
        if duplicated:
            problems.append(bad_row(1, "header", f"column(s) named twice: {', '.join(duplicated)}"))
        raise ValidationFailed(problems, summary=f"{source}: the header is wrong; nothing was imported")

    errors: list[DomainError] = []
    lines: list[DonationLine] = []
    first_row_of: dict[str, int] = {}
    row = 1
    for values in reader:
        row += 1
        if progress is not None and (row - 1) % PROGRESS_EVERY == 0:
            progress("check", row - 1, expected)
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            errors.append(bad_row(row, "row", f"{len(values)} values for {len(columns)} columns"))
            continue
        record = dict(zip(columns, values, strict=True))
        clean: dict = {}

        def check(field: str, fn, *args, record=record, clean=clean, row=row):
            try:
                clean[field] = fn(record.get(field, ""), *args)
            except rules.RuleBroken as exc:
                errors.append(bad_row(row, field, str(exc)))

        check("date", lambda v: rules.not_after_today(rules.clean_date(v), today))
        check("donor", lambda v: rules.clean_text(v, limit=MAX_DONOR))
        check("donor_country", rules.clean_country)
        check("donor_brn", rules.clean_brn)
        check("currency", rules.clean_currency)
        if "currency" in clean:
            check("amount", rules.clean_amount, clean["currency"])
            check("rate", rules.clean_rate, clean["currency"])
        check("reference", lambda v: rules.clean_text(v, limit=MAX_REFERENCE))
        check("restricted", rules.clean_flag)
        check("donor_public", lambda v: rules.clean_flag(v) if v.strip() else False)
        check("donor_kind", _clean_kind, bool(clean.get("donor_brn")))
        reference = clean.get("reference")
        if reference is not None:
            if reference in first_row_of:
                errors.append(bad_row(row, "reference", f"bank reference {reference!r} is already used in row "
                                                        f"{first_row_of[reference]}"))
                clean.pop("reference")
            else:
                first_row_of[reference] = row
        if "amount" in clean and "rate" in clean:
            try:
                clean["amount_won"] = rules.amount_in_won(clean["amount"], clean["rate"])
            except rules.RuleBroken as exc:
                errors.append(bad_row(row, "amount", str(exc)))
        wanted = ("date", "donor", "donor_country", "donor_brn", "currency", "amount", "rate", "amount_won",
                  "reference", "restricted", "donor_public", "donor_kind")
        if all(k in clean for k in wanted):
            lines.append(DonationLine(
                row=row, value_date=clean["date"], donor=clean["donor"], country=clean["donor_country"],
                brn=clean["donor_brn"], kind=clean["donor_kind"], public=clean["donor_public"],
                currency=clean["currency"], amount=clean["amount"], rate=clean["rate"],
                amount_won=clean["amount_won"], reference=clean["reference"], restricted=clean["restricted"],
            ))
    if progress is not None:
        progress("check", row - 1, row - 1)
    return lines, errors


def _clean_kind(value: str, has_brn: bool) -> str:
    text = value.strip().lower()
    if not text:
        return DonorKind.COMPANY if has_brn else DonorKind.INDIVIDUAL
    if text not in DonorKind.values:
        raise rules.RuleBroken(f"{value!r} is not one of {', '.join(DonorKind.values)}")
    return text
