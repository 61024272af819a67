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
    errors: list[DomainError] = []
    lines = [DonationLine(*values) for values in
             donation_rows(data=data, source=source, today=today, progress=progress, errors=errors)]
    return lines, errors


#: The fields of a valid row as :func:`donation_rows` yields them (a plain tuple, in this
#: order, the order of :class:`DonationLine`).
ROW_FIELDS = ("row", "value_date", "donor", "country", "brn", "kind", "public", "currency", "amount", "rate",
              "amount_won", "reference", "restricted")
#: A cache of cleaned values is emptied when it holds this many (memory stays bounded).
_CACHE_LIMIT = 50_000


def _text(data: bytes | str, source: str) -> str:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationFailed([bad_row(1, "file", f"{source} is not UTF-8 text ({exc.reason} at byte "
                                                       f"{exc.start})")]) from exc
    return data.removeprefix("\ufeff")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their ends, one at a time (``io.StringIO`` would hold a copy of
    the whole text at four bytes a character); text that ends its lines with a bare CR only is
    read through ``io.StringIO``, which splits there too."""
    if "\n" not in text and "\r" in text:
        yield from io.StringIO(text, newline="")
        return
    start, find = 0, text.find
    while True:
        end = find("\n", start)
        if end < 0:
            if start < len(text):
                yield text[start:]
            return
        yield text[start:end + 1]
        start = end + 1


def _header(reader, source: str) -> list[str]:
    header = next(reader, None)
    if header is None:
        return []
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
    return columns


class _Cleaner:
    """The rules of :mod:`rules` for one file, each remembering the values it cleaned: a statement
    repeats its dates, currencies, amounts and donors, so most fields cost one dictionary look-up.
    A value that breaks a rule is never remembered (it raises each time)."""

    def __init__(self, today: date) -> None:
        self.today = today
        self.caches: dict[str, dict] = {}

    def __call__(self, name: str, fn, key):
        cache = self.caches.get(name)
        if cache is None:
            cache = self.caches[name] = {}
        try:
            return cache[key]
        except KeyError:
            pass
        value = fn(*key) if isinstance(key, tuple) else fn(key)
        if len(cache) >= _CACHE_LIMIT:
            cache.clear()
        cache[key] = value
        return value

    def date(self, value: str) -> date:
        return rules.not_after_today(rules.clean_date(value), self.today)

    def cache(self, name: str) -> dict:
        """The cache of ``name``, for a caller that looks values up itself (``dict.get`` with
        :data:`_MISSING`) and calls the cleaner on a miss only: the row loop's hot path."""
        return self.caches.setdefault(name, {})


#: What a cache of :class:`_Cleaner` answers for a value it has not cleaned yet.
_MISSING = object()


def donation_rows(*, data: bytes | str, source: str = "the file", today: date | None = None,
                  progress: Progress | None = None, errors: list[DomainError],
                  duplicates: bool = True) -> Iterator[tuple]:
    """Read and check the file row by row: yield each valid row as a tuple of :data:`ROW_FIELDS`
    and append the errors of the bad ones to ``errors`` (a wrong header or encoding raises at
    once). With ``duplicates=False`` a bank reference used twice in the file is left for the
    caller to find (the import does it in the database, so no row is held in memory here)."""
    today = today or timezone.localdate()
    text = _text(data, source)
    expected = max(0, text.count("\n") - 1 + (0 if text.endswith("\n") else 1))
    reader = _csv_rows(csv.reader(_lines(text)), source)
    del text
    columns = _header(reader, source)
    if not columns:
        raise ValidationFailed([bad_row(1, "file", f"{source} is empty: a header row is required")])
    first_row_of: dict[str, int] = {}
    cleaner = _Cleaner(today)
    width = len(columns)
    at = {name: columns.index(name) for name in columns}
    i_date, i_donor, i_country, i_brn = at["date"], at["donor"], at["donor_country"], at["donor_brn"]
    i_amount, i_currency, i_rate, i_reference = at["amount"], at["currency"], at["rate"], at["reference"]
    i_restricted, i_public, i_kind = at["restricted"], at.get("donor_public"), at.get("donor_kind")
    dates, countries, brns, currencies, amounts, rates, flags, wons = (
        cleaner.cache(name) for name in ("date", "country", "brn", "currency", "amount", "rate", "flag", "won"))
    row = 1
    for values in reader:
        row += 1
        if progress is not None and (row - 1) % PROGRESS_EVERY == 0:
            progress("check", row - 1, expected)
        if len(values) != width:
            if not any(v.strip() for v in values):
                continue
            errors.append(bad_row(row, "row", f"{len(values)} values for {width} columns"))
            continue
        try:
            if (value_date := dates.get(values[i_date], _MISSING)) is _MISSING:
                value_date = cleaner("date", cleaner.date, values[i_date])
            donor = rules.clean_text(values[i_donor], limit=MAX_DONOR)
            if (country := countries.get(values[i_country], _MISSING)) is _MISSING:
                country = cleaner("country", rules.clean_country, values[i_country])
            if (brn := brns.get(values[i_brn], _MISSING)) is _MISSING:
                brn = cleaner("brn", rules.clean_brn, values[i_brn])
            if (currency := currencies.get(values[i_currency], _MISSING)) is _MISSING:
                currency = cleaner("currency", rules.clean_currency, values[i_currency])
            if (amount := amounts.get((values[i_amount], currency), _MISSING)) is _MISSING:
                amount = cleaner("amount", rules.clean_amount, (values[i_amount], currency))
            if (rate := rates.get((values[i_rate], currency), _MISSING)) is _MISSING:
                rate = cleaner("rate", rules.clean_rate, (values[i_rate], currency))
            reference = rules.clean_text(values[i_reference], limit=MAX_REFERENCE)
            if (restricted := flags.get(values[i_restricted], _MISSING)) is _MISSING:
                restricted = cleaner("flag", rules.clean_flag, values[i_restricted])
            public = False
            if i_public is not None and values[i_public].strip():
                public = cleaner("flag", rules.clean_flag, values[i_public])
            kind = cleaner("kind", _clean_kind, ("" if i_kind is None else values[i_kind], bool(brn)))
            if (amount_won := wons.get((amount, rate), _MISSING)) is _MISSING:
                amount_won = cleaner("won", rules.amount_in_won, (amount, rate))
        except rules.RuleBroken:
            if not any(v.strip() for v in values):
                continue
            _row_errors(dict(zip(columns, values, strict=True)), row, today, errors, first_row_of, duplicates)
            continue
        if duplicates:
            first = first_row_of.setdefault(reference, row)
            if first != row:
                errors.append(bad_row(row, "reference", f"bank reference {reference!r} is already used in row "
                                                        f"{first}"))
                continue
        yield (row, value_date, donor, country, brn, kind, public, currency, amount, rate, amount_won, reference,
               restricted)
    if progress is not None:
        progress("check", row - 1, row - 1)


def _row_errors(record: dict, row: int, today: date, errors: list[DomainError], first_row_of: dict[str, int],
                duplicates: bool) -> None:
    """Every error of a bad row, field by field (the slow path of :func:`donation_rows`)."""
    clean: dict = {}

    def check(field: str, fn, *args):
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
    if reference is not None and duplicates:
        if reference in first_row_of:
            errors.append(bad_row(row, "reference", f"bank reference {reference!r} is already used in row "
                                                    f"{first_row_of[reference]}"))
        else:
            first_row_of[reference] = row
    if "amount" in clean and "rate" in clean:
        try:
            rules.amount_in_won(clean["amount"], clean["rate"])
        except rules.RuleBroken as exc:
            errors.append(bad_row(row, "amount", str(exc)))


def _clean_kind(value: str, has_brn: bool) -> str:
    text = value.strip().lower()
    if not text:
        return DonorKind.COMPANY if has_brn else DonorKind.INDIVIDUAL
    if text not in DonorKind.values:
        raise rules.RuleBroken(f"{value!r} is not one of {', '.join(DonorKind.values)}")
    return text
