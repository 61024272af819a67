"""Helpers of the public-page tests: every form in which a creditor's personal data could leak."""

from __future__ import annotations

from baesang.core.formatting import format_date
from baesang.donations.models import Donor
from baesang.judgments.models import Person


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


def personal_strings_of_everyone() -> set[str]:
    """The same for every person in the database (victims and heirs), plus the names of
    donors who did not agree to be named."""

    strings: set[str] = set()
    for person in Person.objects.all():
        for name in (person.name_hangul, person.name_hanja, person.name_roman):
            if name:
                strings |= {name, name.upper()}
        if person.birth_date:
            birth = person.birth_date
            strings |= {birth.isoformat(), f"{birth:%Y.%m.%d}", f"{birth:%Y%m%d}", format_date(birth, "ko"),
                        format_date(birth, "en")}
        for secret in (person.rrn, person.bank_account, person.phone, person.address):
            text = secret.reveal() if hasattr(secret, "reveal") else (secret or "")
            if text:
                strings |= {text, text.replace("-", "")}
    strings |= set(Donor.objects.filter(may_be_named_publicly=False).values_list("name", flat=True))
    return strings
