"""How baesang writes money, dates and rates for people, in Korean and English.

Won has no minor unit (KRW, ISO 4217 exponent 0): amounts are whole won, written with
thousands separators — ``107,452,054원`` in Korean, ``KRW 107,452,054`` in English. The
readable form groups Korean amounts by 만 (10⁴), 억 (10⁸) and 조 (10¹²) — ``1억 2,000만 원``
— and English ones by million, billion and trillion. Exact amounts (``Fraction``) are shown
to a fixed number of decimals, truncated so that a displayed figure never exceeds the
exact one. Used by the command line and the web pages alike; no Django import.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from babel.dates import format_date as babel_format_date

LANGS = ("ko", "en")

_KOREAN_UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))
_ENGLISH_UNITS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)} (got {lang!r})")


def format_won(amount: int, lang: str = "ko") -> str:
    """``107,452,054원`` (ko) or ``KRW 107,452,054`` (en)."""
    _check_lang(lang)
    digits = f"{amount:,}"
    return f"{digits}원" if lang == "ko" else f"KRW {digits}"


def format_won_exact(value: Fraction | int, lang: str = "ko", places: int = 2) -> str:
    """An exact amount to ``places`` decimals, truncated toward zero: ``107,452,054.79원``."""
    _check_lang(lang)
    value = Fraction(value)
    scale = 10**places
    scaled = abs(value.numerator) * scale // value.denominator
    whole, part = divmod(scaled, scale)
    sign = "-" if value < 0 and scaled else ""
    digits = f"{sign}{whole:,}" + (f".{part:0{places}d}" if places else "")
    return f"{digits}원" if lang == "ko" else f"KRW {digits}"


def format_won_readable(amount: int, lang: str = "ko") -> str:
    """A large amount as people say it: ``1억 2,000만 원`` or ``KRW 120 million``.

    Korean is exact (``1억 745만 2,054원``); English keeps two decimals of the largest
    unit, truncated (``KRW 107.45 million``), and writes amounts under a million in full.
    """
    _check_lang(lang)
    sign = "-" if amount < 0 else ""
    rest = abs(amount)
    if lang == "ko":
        if rest == 0:
            return "0원"
        parts = []
        for size, unit in _KOREAN_UNITS:
            count, rest = divmod(rest, size)
            if count:
                parts.append(f"{count:,}{unit}")
        text = " ".join(parts)
        if rest:
            text = f"{text} {rest:,}원" if parts else f"{rest:,}원"
        else:
            text = f"{text} 원"
        return sign + text
    for size, unit in _ENGLISH_UNITS:
        if rest >= size:
            hundredths = rest * 100 // size
            whole, part = divmod(hundredths, 100)
            number = f"{whole:,}" + (f".{part:02d}".rstrip("0") if part else "")
            return f"KRW {sign}{number} {unit}"
    return f"KRW {sign}{rest:,}"


def format_date(d: date, lang: str = "ko") -> str:
    """``2018년 11월 1일`` (ko) or ``1 Nov 2018`` (en)."""
    _check_lang(lang)
    if lang == "ko":
        return babel_format_date(d, format="long", locale="ko")
    return babel_format_date(d, format="d MMM y", locale="en")


def format_plain_decimal(value: Decimal | int) -> str:
    """A decimal without trailing zeros and never in exponent form: ``20`` for 20.000 (not
    ``2E+1``, which ``Decimal.normalize()`` alone gives), ``12.5``, ``1350``."""
    if isinstance(value, int):
        return str(value)
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


def format_rate(rate: Decimal | int) -> str:
    """An annual rate in percent without trailing zeros: ``20%``, ``12.5%``."""
    return f"{format_plain_decimal(rate)}%"
