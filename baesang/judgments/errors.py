"""Errors of the judgments app: each means nothing was changed. Codes are stable."""

from __future__ import annotations

from baesang.core.errors import DomainError, InputError, RecordNotFound


class JudgmentError(DomainError):
    code = "judgment_error"


class InvalidCaseNumber(JudgmentError, InputError):
    code = "invalid_case_number"


class InvalidJudgment(JudgmentError, InputError):
    code = "invalid_judgment"


class InvalidPerson(JudgmentError, InputError):
    code = "invalid_person"


class PersonDateInFuture(InvalidPerson):
    """A birth or death date after the foundation's today: a life event is never in the future."""

    code = "person_date_future"


class InvalidDocument(JudgmentError, InputError):
    code = "invalid_document"


class InvalidClaim(JudgmentError, InputError):
    """The judgment order is not one the interest engine accepts, or the claim data is wrong."""

    code = "invalid_claim"


class InvalidShares(JudgmentError, InputError):
    """Holder shares do not add up, or a holder appears twice."""

    code = "invalid_shares"


class HoldingLocked(JudgmentError):
    """A holding that is paid, deposited or in a payment batch or live deposit cannot be replaced."""

    code = "holding_locked"


class HeirshipFailed(JudgmentError, InputError):
    """The heirship engine refused the family file."""

    code = "heirship_failed"


class NotFound(JudgmentError, RecordNotFound):
    code = "not_found"
