"""Helpers of the public-page tests: every form in which a creditor's personal data could leak."""

from __future__ import annotations

from baesang.core.formatting import format_date


def personal_strings(foundation) -> set[str]:
    """Names (Hangul, Hanja, romanized), birth dates (ISO, dotted, compact, Korean and English
    long forms), resident registration numbers and bank accounts (with and without hyphens)."""
    strings: set[str] = set()
    for creditor in foundation.creditors:
        birth = creditor.birth
        strings |= {
            creditor.hangul, creditor.hanja, creditor.roman, creditor.roman.upper(),
            birth.isoformat(), f"{birth:%Y.%m.%d}", f"{birth:%Y%m%d}", format_date(birth, "ko"),
            format_date(birth, "en"),
            creditor.rrn, creditor.rrn.replace("-", ""),
            creditor.bank_account, creditor.bank_account.replace("-", ""),
        }
    return strings
