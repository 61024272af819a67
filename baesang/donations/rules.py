"""Checks and conversions of donation data; pure functions, each returning the clean value or raising
:class:`RuleBroken` with the rule in words.

- Business registration number (사업자등록번호): ``stdnum.kr.brn`` checks length and parts (tax
  office code ≥ 101, type ≠ 00, serial ≠ 0000); python-stdnum 2.2 does not check the check digit,
  so the National Tax Service's rule is applied as well: weights 1 3 7 1 3 7 1 3 5 on the first
  nine digits, plus ⌊5·d9 / 10⌋, and the tenth digit is (10 − sum mod 10) mod 10.
- Country: ISO 3166-1 alpha-2; currency: ISO 4217 (Babel's CLDR data).
- Won amount of a foreign-currency donation: original amount × rate (won per unit), computed
  exactly in Decimal and truncated to whole won (원 미만 절사) — the foundation never books
  more won than the rate supports; the discarded fraction stays reproducible from the row.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from babel import Locale
from babel.numbers import get_currency_precision, is_currency
from stdnum.exceptions import ValidationError
from stdnum.kr import brn as kr_brn

WON = "KRW"
MAX_WON = 2**63 - 1
_NOT_COUNTRIES = {"ZZ", "EU", "EZ", "UN", "QO"}
_NOT_MONEY = {"XXX", "XTS"}  # ISO 4217's "no currency" and "testing" codes
_COUNTRIES = frozenset(code for code in Locale("en").territories if len(code) == 2 and code.isalpha()) - _NOT_COUNTRIES
_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
_TRUE = {"yes", "y", "true", "1", "지정"}
_FALSE = {"no", "n", "false", "0", "비지정"}


class RuleBroken(ValueError):
    """A value broke a rule; the message says which."""


def brn_check_digit(first_nine: str) -> int:
    total = sum(int(d) * w for d, w in zip(first_nine, _BRN_WEIGHTS, strict=True)) + int(first_nine[8]) * 5 // 10
    return (10 - total % 10) % 10


def clean_brn(value: str) -> str:
    """A valid business registration number in compact form (10 digits), or '' for none."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = kr_brn.validate(value)
    except ValidationError as exc:
        raise RuleBroken(f"{value!r} is not a Korean business registration number "
                         f"(NNN-NN-NNNNN: {exc.message.lower().rstrip('.')})") from exc
    if int(number[9]) != brn_check_digit(number[:9]):
        raise RuleBroken(f"{value!r} is not a Korean business registration number (its check digit is wrong)")
    return number


def clean_country(value: str) -> str:
    code = value.strip().upper()
    if code not in _COUNTRIES:
        raise RuleBroken(f"{value!r} is not an ISO 3166-1 alpha-2 country code (KR, JP, US …)")
    return code


def clean_currency(value: str) -> str:
    code = value.strip().upper() or WON
    if len(code) != 3 or not code.isalpha() or code in _NOT_MONEY or not is_currency(code):
        raise RuleBroken(f"{value!r} is not an ISO 4217 currency code (KRW, USD, JPY …)")
    return code


def _decimal(value: str) -> Decimal:
    text = value.strip()
    if not text or not all(c in "0123456789." for c in text) or text.count(".") > 1 or text == ".":
        raise RuleBroken(f"{value!r} is not a plain decimal number (digits and at most one '.', no sign or commas)")
    try:
        return Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the characters were checked above
        raise RuleBroken(f"{value!r} is not a number") from exc


def clean_amount(value: str, currency: str) -> Decimal:
    text = value.strip()
    if text.startswith("-") and text[1:] and all(c in "0123456789." for c in text[1:]):
        raise RuleBroken(f"{value!r}: the amount must be greater than zero")
    amount = _decimal(value)
    if amount <= 0:
        raise RuleBroken(f"{value!r}: the amount must be greater than zero")
    places = get_currency_precision(currency)
    if -amount.as_tuple().exponent > places and amount != amount.quantize(Decimal(1).scaleb(-places)):
        raise RuleBroken(f"{value!r}: {currency} has {places} decimal place(s)")
    if amount >= Decimal(10) ** 20:
        raise RuleBroken(f"{value!r}: the amount is too large")
    return amount


def clean_rate(value: str, currency: str) -> Decimal:
    """Won per unit of ``currency``: required for a foreign currency, absent or 1 for won."""
    text = value.strip()
    if currency == WON:
        if text and _decimal(text) != 1:
            raise RuleBroken(f"{value!r}: a won amount has no exchange rate (leave it empty or 1)")
        return Decimal(1)
    if not text:
        raise RuleBroken(f"an exchange rate (won per {currency}) is required for a {currency} amount")
    rate = _decimal(text)
    if rate <= 0:
        raise RuleBroken(f"{value!r}: the rate must be greater than zero")
    if -rate.as_tuple().exponent > 6 or rate >= Decimal(10) ** 12:
        raise RuleBroken(f"{value!r}: a rate has at most 6 decimal places and 12 integer digits")
    return rate


def amount_in_won(amount: Decimal, rate: Decimal) -> int:
    """Original amount × rate, truncated to whole won (원 미만 절사)."""
    won = int((amount * rate).to_integral_value(rounding=ROUND_DOWN))
    if won <= 0:
        raise RuleBroken(f"{amount} × {rate} is less than one won")
    if won > MAX_WON:
        raise RuleBroken(f"{amount} × {rate} is too large")
    return won


def clean_date(value: str) -> date:
    text = value.strip()
    try:
        if len(text) != 10:
            raise ValueError
        return date.fromisoformat(text)
    except ValueError as exc:
        raise RuleBroken(f"{value!r} is not a date in the form YYYY-MM-DD") from exc


def not_after_today(value: date, today: date) -> date:
    """An event date (a donation received, a pledge made) lies on or before the foundation's today."""
    if value > today:
        raise RuleBroken(f"{value.isoformat()} is after today ({today.isoformat()}): a future date cannot be recorded")
    return value


def clean_flag(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise RuleBroken(f"{value!r} is not yes or no (yes/no, true/false, 1/0, 지정/비지정)")


def clean_text(value: str, *, limit: int) -> str:
    """A name or reference: not empty, at most ``limit`` characters, no control character (a NUL
    byte cannot be stored in PostgreSQL's text, and no bank statement has one in a name)."""
    text = value.strip()
    if not text:
        raise RuleBroken("a value is required")
    if len(text) > limit:
        raise RuleBroken(f"at most {limit} characters")
    if text.isprintable():  # no control character (the usual case, checked in C)
        return text
    control = next((c for c in text if unicodedata.category(c) == "Cc"), None)
    if control is not None:
        raise RuleBroken(f"a control character (U+{ord(control):04X}) is not allowed")
    return text
