"""Masking of personal data for display (개인정보 마스킹) and redaction of free text.

Where a person has not asked — with a reason, through :func:`baesang.pii.services.pii_reveal` —
to see a value in full, it is shown masked (Personal Information Protection Act Art. 29 and
the Personal Information Protection Commission's safeguard standard: show no more than the
task needs). The rules, one per kind of data:

- resident registration number: birth date and the sex/century digit stay, the rest is
  hidden — ``900101-1******``;
- bank account: only the last four digits stay, separators are kept — ``***-**-*1234``;
- phone: the prefix and the last four digits stay — ``010-****-5678``;
- address: the first two words (province/city and district) stay — ``서울특별시 종로구 ***``;
- name (for exports meant for the public): first and last character — ``박*이``;
- e-mail: first character of the local part and the domain — ``s*******@example.com``.

:func:`redact_text` finds resident-registration-number-like, phone-like, account-like and
e-mail-like strings in free text (log lines, error reports, reasons typed by staff) and
masks them by the same rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

MASK = "*"
HIDDEN = "●●●"


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def mask_rrn(value: str) -> str:
    """``900101-1234567`` → ``900101-1******``; anything that is not 13 digits is hidden entirely."""
    if not value:
        return ""
    digits = _digits(value)
    if len(digits) != 13:
        return "******-*******"
    return f"{digits[:6]}-{digits[6]}{MASK * 6}"


def mask_account(value: str) -> str:
    """Every digit but the last four becomes ``*``; hyphens, spaces and letters are kept."""
    if not value:
        return ""
    total = sum(ch.isdigit() for ch in value)
    keep = 4 if total > 4 else 0
    seen = 0
    out = []
    for ch in value:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen > total - keep else MASK)
        else:
            out.append(ch)
    return "".join(out)


def split_phone(value: str) -> tuple[str, str, str]:
    """A Korean phone number as (prefix, middle, last four digits); ``+82`` becomes ``0``."""
    digits = _digits(value)
    stripped = value.strip()
    if stripped.startswith("+82") or (stripped.startswith("82") and len(digits) in (11, 12)):
        digits = "0" + digits[2:]
    if len(digits) == 8 and digits[:2] in {"15", "16", "18"}:  # nation-wide numbers 1588-xxxx
        return digits[:4], "", digits[4:]
    if digits.startswith("02"):
        prefix = "02"
    elif digits.startswith("050") and len(digits) == 12:
        prefix = digits[:4]
    else:
        prefix = digits[:3]
    rest = digits[len(prefix):]
    return prefix, rest[:-4], rest[-4:]


def format_phone(value: str) -> str:
    """``01012345678`` → ``010-1234-5678``; ``0221234567`` → ``02-123-4567``."""
    prefix, middle, last = split_phone(value)
    return "-".join(part for part in (prefix, middle, last) if part)


def mask_phone(value: str) -> str:
    """``010-1234-5678`` → ``010-****-5678``: the prefix and the last four digits stay."""
    if not value:
        return ""
    prefix, middle, last = split_phone(value)
    if len(_digits(value)) < 8 or len(last) < 4:
        return mask_account(value)
    return "-".join(part for part in (prefix, MASK * len(middle), last) if part)


def mask_address(value: str) -> str:
    """Keep the first two words (e.g. ``서울특별시 종로구``), hide the rest as ``***``.

    A shorter address keeps one word less than it has, so something is always hidden.
    """
    words = value.split()
    if not words:
        return ""
    keep = min(2, len(words) - 1)
    return " ".join([*words[:keep], MASK * 3])


def mask_name(value: str) -> str:
    """``박순이`` → ``박*이``, ``남궁민수`` → ``남**수``, ``박순`` → ``박*``; Latin: ``Park S***``."""
    text = " ".join(value.split())
    if not text:
        return ""
    if " " in text:
        first, *rest = text.split(" ")
        return " ".join([first, *(word[0] + MASK * (len(word) - 1) for word in rest)])
    if len(text) <= 2:
        return text[0] + MASK * (len(text) - 1)
    return text[0] + MASK * (len(text) - 2) + text[-1]


def mask_email(value: str) -> str:
    """``sunipark@example.com`` → ``s*******@example.com``."""
    if not value:
        return ""
    local, at, domain = value.strip().partition("@")
    if not at:
        return MASK * len(local)
    return local[:1] + MASK * max(len(local) - 1, 1) + "@" + domain


def mask_hidden(value: str) -> str:
    """Hide a value entirely (kinds without a partial mask)."""
    return HIDDEN if value else ""


MASKS: dict[str, Callable[[str], str]] = {
    "rrn": mask_rrn,
    "bank_account": mask_account,
    "phone": mask_phone,
    "address": mask_address,
    "name": mask_name,
    "email": mask_email,
    "hidden": mask_hidden,
}


def mask(value: str, kind: str) -> str:
    """Mask ``value`` by the rule of ``kind`` (a key of :data:`MASKS`)."""
    try:
        rule = MASKS[kind]
    except KeyError:
        raise ValueError(f"unknown kind of personal data {kind!r}; known: {', '.join(MASKS)}") from None
    return rule(value)


# Free-text redaction. The patterns are deliberately broad: a false positive costs a less
# readable log line, a false negative leaks a person's number.
_SEP = r"[ \t.\-]?"
_REDACT = re.compile(
    r"(?P<rrn>(?<![\d-])\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[ \t]*-?[ \t]*[0-9]\d{6}(?![\d-]))"
    r"|(?P<phone>(?<![\d-])(?:\+82[ \t-]?|0)(?:1[016789]|2|[3-6][1-5]|70|50\d)" + _SEP + r"\d{3,4}" + _SEP
    + r"\d{4}(?![\d-]))"
    r"|(?P<account>(?<![\d-])(?:\d{2,7}-){1,4}\d{1,8}(?![\d-])|(?<![\d-])\d{11,16}(?![\d-]))"
    r"|(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
)


def _redact_match(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group("rrn"):
        return mask_rrn(text)
    if match.group("phone"):
        return mask_phone(text)
    if match.group("account"):
        # Dates (2023-03-15), case numbers and short codes are not accounts: Korean bank
        # accounts have 10 to 16 digits.
        if len(_digits(text)) < 10:
            return text
        return mask_account(text)
    return mask_email(text)


def redact_text(text: str) -> str:
    """Mask every resident-registration-number-, phone-, account- and e-mail-like string in ``text``."""
    if not text:
        return text
    return _REDACT.sub(_redact_match, text)
