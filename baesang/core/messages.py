"""The catalogue of error messages people read (오류 메시지 목록), in Korean and English.

A domain error carries a stable ``code`` and a detailed English message naming the record and
the rule (for logs, the command line and the API's ``detail``). People read the catalogue's
sentence for the code, in their language: the staff screens in the page's language, the API
by ``Accept-Language``. An error whose code is not in the catalogue is described by the
nearest class that is (a subclass of ``InputError`` reads as bad input, and so on), so no
refusal ever reaches a Korean page in English alone.
"""

# ruff: noqa: E501 — a catalogue of sentences, one pair per line
from __future__ import annotations

from baesang.core.errors import DomainError

#: code → (Korean, English). ``{label}`` etc. are filled from the error's ``params``.
CATALOGUE: dict[str, tuple[str, str]] = {
    # general
    "domain_error": ("요청을 처리할 수 없습니다. 아무것도 변경되지 않았습니다.",
                     "The request could not be carried out; nothing was changed."),
    "invalid_input": ("입력값이 규칙에 맞지 않습니다. 아무것도 변경되지 않았습니다.",
                      "The input breaks a rule; nothing was changed."),
    "validation_failed": ("입력에 오류가 있어 아무것도 변경되지 않았습니다.",
                          "The input has errors; nothing was changed."),
    "invalid_cursor": ("페이지 위치(cursor)가 이 목록에서 만든 것이 아닙니다. 목록의 첫 페이지부터 다시 보세요.",
                       "The page cursor was not made by this list; start again from the list's first page."),
    "not_found": ("해당 기록이 없습니다.", "There is no such record."),
    "permission_denied": ("권한이 없습니다: {label}은(는) 이 역할로 할 수 없습니다.",
                          "Not allowed: your roles do not permit this ({action})."),
    "role_required": ("이 작업에 필요한 역할이 없습니다.", "Your roles do not permit this."),
    "csrf_failed": ("보안 토큰(CSRF)이 없어 요청을 거부했습니다.", "Refused: the CSRF token is missing."),
    "credential_refused": ("누가 작업하는지 확인할 수 없습니다: 유효한 API 토큰이 필요합니다"
                           "(--user만으로는 안 됩니다).",
                           "Who is acting is not proven: a valid API token is needed (--user alone is not enough)."),
    "second_factor_required": ("이 작업에는 지금 입력한 2단계 인증 코드(TOTP)가 필요합니다.",
                               "This action needs a fresh second-factor (TOTP) code."),
    # creditors' portal
    "portal_not_permitted": ("포털에 로그인한 본인만 할 수 있습니다.", "Only the signed-in portal account may do this."),
    "portal_invitation_invalid": ("이 링크는 쓸 수 없습니다(만료, 사용됨 또는 취소). 재단에 새 초대를 요청하세요.",
                                  "This link cannot be used (expired, already used or revoked); ask the foundation for a new invitation."),
    "portal_locked": ("잘못된 코드가 여러 번 입력되어 잠시 로그인이 잠겼습니다. 나중에 다시 시도하세요.",
                      "Too many wrong codes: sign-in is locked for a while; try again later."),
    "portal_contact_missing": ("휴대전화 번호나 전자우편 주소를 적어 주세요.", "Give a mobile number or an e-mail address."),
    "portal_upload_refused": ("파일을 받을 수 없습니다: 10MB 이하의 PDF, JPEG, PNG 파일만 받습니다.",
                              "The file cannot be taken: only PDF, JPEG or PNG files up to 10 MB."),
    "portal_upload_infected": ("바이러스 검사에서 파일이 거부되었습니다. 아무것도 저장되지 않았습니다.",
                               "The virus scanner refused the file; nothing was kept."),
    "portal_scanner_unavailable": ("바이러스 검사기를 쓸 수 없어 파일을 받을 수 없습니다. 나중에 다시 시도하세요.",
                                   "The virus scanner is unavailable, so the file cannot be taken; try again later."),
    "portal_request_invalid": ("요청 내용이 규칙에 맞지 않습니다. 아무것도 변경되지 않았습니다.",
                               "The request breaks a rule; nothing was changed."),
    "portal_request_not_open": ("이미 처리된 요청입니다.", "The request was already decided."),
    "portal_account_revoked": ("포털 계정이 해지되었습니다.", "The portal account is revoked."),
    # registry
    "judgment_error": ("판결 정보를 처리할 수 없습니다.", "The judgment could not be registered."),
    "invalid_case_number": ("사건번호는 2013다61381처럼 연도, 사건 부호, 일련번호로 적어야 합니다.",
                            "Write the case number like 2013다61381 (year, case type, serial)."),
    "invalid_judgment": ("판결 정보가 규칙에 맞지 않습니다.", "The judgment's details break a rule."),
    "invalid_person": ("인물 정보가 규칙에 맞지 않습니다.", "The person's details break a rule."),
    "person_date_future": ("출생일이나 사망일은 재단의 오늘({today})보다 뒤일 수 없습니다.",
                           "A birth or death date cannot be after the foundation's today ({today})."),
    "person_not_found": ("해당 번호의 인물이 없습니다.", "There is no person with that number."),
    "invalid_document": ("문서를 보관할 수 없습니다.", "The document cannot be kept."),
    "document_not_found": ("해당 번호의 문서가 없습니다.", "There is no document with that number."),
    "document_too_large": ("파일이 너무 큽니다.", "The file is too large."),
    "judgment_empty": ("판결문 파일이 비어 있습니다.", "The judgment file is empty."),
    "judgment_unreadable": ("판결문을 읽을 수 없습니다. UTF-8 또는 EUC-KR 텍스트나 텍스트가 있는 PDF로 저장하세요.",
                            "The judgment cannot be read; save it as UTF-8 or EUC-KR text, or as a PDF with text."),
    "judgment_reading_not_confirmed": ("확인한 판결문과 다른 파일이거나 확인한 채권자가 없습니다. 판결문을 다시 읽고 확인하세요. 아무것도 등록되지 않았습니다.",
                                       "The file is not the one whose reading was confirmed, or no creditor was confirmed; read the judgment again. Nothing was registered."),
    "judgment_unsupported_kind": ("판결문은 텍스트(.txt) 또는 PDF 파일이어야 합니다.",
                                  "The judgment must be a text (.txt) or PDF file."),
    "judgment_pdf_without_text": ("PDF에 텍스트가 없습니다(스캔 이미지). 문자 인식(OCR)을 거친 뒤 다시 읽으세요.",
                                  "The PDF has no text layer (a scan); run it through OCR first."),
    "judgment_no_operative_part": ("판결문에 주문이 없습니다. 판결문 전체를 올리세요.",
                                   "The text has no operative part; give the whole judgment."),
    "invalid_claim": ("채권(판결 주문) 정보가 규칙에 맞지 않습니다.", "The claim (judgment order) breaks a rule."),
    "invalid_shares": ("지분이 정확한 분수가 아니거나, 그 합이 바뀌는 지분의 합과 같지 않습니다.",
                       "The shares are not exact fractions adding up to what they replace."),
    "shares_not_whole": ("문서의 지분은 각각 0보다 크고 합이 정확히 1이어야 합니다(입력한 합: {total}).",
                         "The shares from a document must each be above 0 and add up to exactly 1 (given: {total})."),
    "holding_locked": ("지급되었거나 공탁되었거나 지급 배치·공탁 중인 채권 보유분은 바꿀 수 없습니다.",
                       "A holding that is paid, deposited, in a batch or under a live deposit cannot be "
                       "replaced."),
    "claim_has_holders": ("이 채권에는 이미 채권자가 있습니다. 가족관계 파일이나 문서로 상속인을 기록하세요.",
                          "This claim already has holders; record heirs from a family file or a document."),
    "family_disagrees": ("가족관계 파일이 기록된 인물과 다릅니다: {problems}",
                         "The family file disagrees with the recorded persons: {problems}"),
    "proposal_not_open": ("이 변경 제안은 이미 승인되었거나 반려되었습니다.",
                          "This proposal was already approved or rejected."),
    "proposal_stale": ("제안 이후 채권자가 바뀌었습니다. 반려하고 다시 제안하세요.",
                       "The holders changed since the proposal; reject it and propose again."),
    "account_change_invalid": ("은행명과 계좌번호를 입력하세요.", "Give the bank and the account number."),
    "person_field_guarded": ("사망일은 증빙과 함께 사망 기록으로, 계좌는 승인받는 변경 제안으로만 바꿀 수 있습니다.",
                             "A death is recorded with its evidence, and an account changes only by an approved "
                             "proposal."),
    "death_not_recordable": ("사망을 기록할 수 없습니다(이미 기록됨, 출생일 이전, 또는 증빙 없음).",
                             "The death cannot be recorded (already recorded, before birth, or no evidence)."),
    "holder_not_plaintiff": ("원고나 피해자가 아닌 사람은 승인받는 변경 제안으로만 채권자가 됩니다.",
                             "Anyone but the plaintiff or victim holds a claim only by an approved proposal."),
    "heirship_failed": ("상속 계산에서 가족관계 파일이 거부되었습니다.",
                        "The heirship engine refused the family file."),
    # case work
    "case_error": ("처리할 수 없습니다.", "This cannot be done."),
    "illegal_transition": ("현재 상태에서는 할 수 없는 작업입니다.", "This cannot be done in the current state."),
    "duplicate_undecided": ("같은 사람일 수 있는 채권자 {persons}명의 중복 여부를 먼저 결정하세요. 아무것도 작성되지 않았습니다.",
                            "{persons} holder(s) may be the same person as someone already paid or in the batch: decide each pair first; nothing was prepared."),
    "invalid_date": ("날짜가 기록과 맞지 않습니다(예: 제안일 이전, 이자 기산일 이전).",
                     "The date is out of order with the record (before the offer, before the interest starts)."),
    "claim_position_taken": ("판결 {case_number}에는 이미 원고 {position}번의 채권이 등록되어 있습니다.",
                             "Judgment {case_number} already has a claim of plaintiff no. {position}."),
    # probable duplicates
    "duplicate_error": ("중복 인물 후보를 처리할 수 없습니다.", "The probable duplicate could not be handled."),
    "pair_already_decided": ("이미 판정된 중복 후보입니다.", "This pair has already been decided."),
    "invalid_decision": ("판정은 '동일인' 또는 '다른 사람'이어야 하고 사유를 적어야 합니다.",
                         "The decision must be 'same' or 'different', with a reason."),
    "person_already_merged": ("이미 다른 인물에 병합된 인물입니다.", "The person is already merged into another."),
    "merge_conflict": ("두 인물이 같은 채권을 함께 보유하고 있어 병합할 수 없습니다. 먼저 채권자를 정리하세요.",
                       "Both persons hold the same claim; settle its holders before merging."),
    "merge_payment_in_progress": ("옮길 채권 보유분이 은행 결과를 기다리는 지급 배치에 있습니다. 결과를 반영한 뒤 병합하세요.",
                                  "A holding that would move is in a batch awaiting the bank; merge after the bank's answer."),
    "merge_already_reversed": ("이미 취소된 병합입니다.", "This merge has already been reversed."),
    "match_failed": ("중복 인물 찾기를 실행할 수 없습니다.", "The matcher could not run."),
    "holding_not_current": ("채권자가 변경되었습니다. 현재 채권자에 대해 처리하세요.",
                            "The holder was replaced; act on the current holders."),
    "consent_not_verified": ("{holder}의 동의를 기록할 수 없습니다: {problems}",
                             "The consent lacks its verification (identity, capacity, witness, signed form)."),
    "four_eyes_violation": ("지급 배치를 작성한 사람은 그 배치를 승인할 수 없습니다(4안 원칙).",
                            "Whoever prepared a payment batch cannot also approve it (four eyes)."),
    "insufficient_fund": ("기금 잔액이 부족합니다. 아무것도 예약되지 않았습니다.",
                          "The fund does not have enough money available; nothing was reserved."),
    "already_paid": ("이미 지급된 채권자입니다. 두 번 지급할 수 없습니다.", "Already paid; nobody is paid twice."),
    "empty_batch": ("지급할 채권자가 없습니다.", "No accepted holder is waiting for payment."),
    "payment_date_too_far": ("지급일은 오늘({today})부터 1년 이내여야 합니다(가장 늦은 날: {latest}).",
                             "The payment date must lie within a year of today ({today}); the latest is {latest}."),
    "bank_date_future": ("은행 결과의 일자가 재단의 오늘({today})보다 뒤입니다. 은행이 지급한 뒤에 반영하세요.",
                         "The bank result is dated after the foundation's today ({today}); import it once the bank has paid."),
    "bank_result_invalid": ("은행 결과 파일이 배치와 맞지 않습니다. 아무것도 반영되지 않았습니다.",
                            "The bank result does not match the batch; nothing was imported."),
    "invalid_deposit": ("공탁을 신청하거나 기록할 수 없습니다.", "The court deposit cannot be filed or recorded."),
    "invalid_limitation_event": ("시효중단 사유를 기록할 수 없습니다.", "The limitation event cannot be recorded."),
    # money
    "ledger_error": ("원장에 기입할 수 없습니다.", "The ledger refused the booking."),
    "limit_exceeded": ("계정 한도를 넘습니다.", "The account's limit would be exceeded."),
    "transfer_id_conflict": ("같은 번호의 다른 이체가 이미 있습니다.", "Another transfer with that id exists."),
    "account_not_found": ("해당 계정이 없습니다.", "There is no such account."),
    "pending_not_found": ("예약 이체가 없습니다.", "There is no such pending transfer."),
    "pending_already_resolved": ("예약 이체가 이미 처리되었습니다.", "The pending transfer was already resolved."),
    "ledger_not_verified": ("원장 검증에 실패하여 검증 기록(체크포인트)을 남기지 않았습니다.",
                            "The ledger does not verify; no checkpoint was recorded."),
    "account_conflict": ("같은 코드의 계정이 다른 속성으로 이미 있습니다.", "An account with that code exists with other settings."),
    "account_exists": ("같은 코드의 계정이 이미 있습니다.", "An account with that code exists already."),
    "invalid_account": ("계정 정보가 규칙에 맞지 않습니다.", "The account's details break a rule."),
    "invalid_transfer": ("이체 정보가 규칙에 맞지 않습니다. 아무것도 기입되지 않았습니다.",
                         "The transfer breaks a rule; nothing was booked."),
    "pending_amount_exceeded": ("예약된 금액보다 많이 확정할 수 없습니다.",
                                "A pending transfer cannot be posted for more than it reserved."),
    "donations_error": ("기부금을 기록할 수 없습니다.", "The donation cannot be recorded."),
    "invalid_donation": ("기부금 정보가 규칙에 맞지 않습니다.", "The donation breaks a rule."),
    "donor_exists": ("이미 등록된 기부자입니다.", "The donor is registered already."),
    "receipt_error": ("영수증을 발급할 수 없습니다.", "The receipt cannot be issued."),
    "future_date": ("{field} 날짜가 재단의 오늘({today})보다 뒤입니다. 미래의 날짜는 기록할 수 없습니다.",
                    "The date is after the foundation's today; a future date cannot be recorded."),
    "reversal_error": ("기부금 입금 취소를 처리할 수 없습니다.", "The donation reversal cannot be carried out."),
    "reversal_exists": ("이 기부금에는 이미 제안되었거나 승인된 취소가 있습니다.",
                        "This donation already has a proposed or approved reversal."),
    "reversal_not_proposed": ("제안 상태의 취소만 승인하거나 반려할 수 있습니다.",
                              "Only a proposed reversal can be approved or rejected."),
    "reversal_reason_required": ("취소 사유를 적어야 합니다.", "Give the reason for the reversal."),
    "reversal_four_eyes": ("기부금 입금 취소를 제안한 사람은 그 취소를 승인할 수 없습니다(4안 원칙).",
                           "Whoever proposed a donation reversal cannot also approve it (four eyes)."),
    "donation_reversed": ("취소된 기부금입니다.", "The donation was reversed."),
    "bad_row": ("파일의 행에 오류가 있습니다.", "A row of the file breaks a rule."),
    # personal data and accounts
    "pii_reason_required": ("개인정보를 보려면 사유를 적어야 합니다.", "Give a reason to see personal data."),
    "pii_reveal_not_permitted": ("이 역할로는 해당 개인정보를 볼 수 없습니다.",
                                 "Your roles may not see this personal data in full."),
    "pii_access_log_not_permitted": ("개인정보 접근 기록은 감사인과 관리자만 볼 수 있습니다.",
                                     "Only auditors and administrators read the access log."),
    "rrn_format": ("주민등록번호는 13자리(예: 900101-1234567)로 적어야 합니다.",
                   "Write the resident registration number as 13 digits (900101-1234567)."),
    "rrn_birth_date": ("주민등록번호의 생년월일이 올바르지 않습니다.", "The birth date in the registration number is not valid."),
    "rrn_region": ("주민등록번호의 지역 번호가 올바르지 않습니다.", "The region digits of the registration number are not valid."),
    "rrn_checksum": ("주민등록번호의 검증 숫자가 맞지 않습니다.", "The check digit of the registration number does not match."),
    "pii_unknown_channel": ("알 수 없는 열람 경로입니다.", "Unknown channel of access."),
    "pending_lawsuit_invalid": ("계류 소송 정보가 규칙에 맞지 않습니다.", "The pending lawsuit's details break a rule."),
    "rrn_invalid": ("주민등록번호가 올바르지 않습니다.", "The resident registration number is not valid."),
    "token_name_missing": ("API 토큰에는 이름이 필요합니다.", "An API token needs a name."),
    "token_already_revoked": ("이미 폐기된 API 토큰입니다.", "The API token was revoked already."),
}

#: Korean sentences of the problems a consent verification can have (``params["problems"]``).
CONSENT_PROBLEMS_KO: dict[str, str] = {
    "identity_method": "신원 확인 방법이 목록에 없습니다",
    "witness": "입회인의 이름을 적어야 합니다",
    "form": "서명한 동의서(consent_form 문서)가 필요합니다",
    "before_offer": "확인일이 지급 제안일보다 앞섭니다",
    "holder_dead": "채권자가 사망했습니다. 상속인을 먼저 채권자로 기록하세요",
    "needs_representative": "혼자 결정할 수 없는 채권자입니다. 후견인이나 법원이 선임한 대리인만 동의할 수 있습니다",
    "self_names_representative": "본인 동의에는 대리인을 적지 않습니다",
    "representative_name": "후견인 또는 대리인의 이름을 적어야 합니다",
    "representative_document": "후견인 또는 대리인을 선임한 법원 문서가 필요합니다",
    "capacity": "자격은 본인, 후견인, 대리인 중 하나여야 합니다",
}

LANGUAGES = ("ko", "en")


def _entry(error: DomainError) -> tuple[str, str]:
    code = getattr(error, "code", "") or ""
    if code in CATALOGUE:
        return CATALOGUE[code]
    prefix = code.split(".", 1)[0]
    if prefix in CATALOGUE:
        return CATALOGUE[prefix]
    for cls in type(error).__mro__:
        base = getattr(cls, "code", None)
        if isinstance(base, str) and base in CATALOGUE and cls is not type(error):
            return CATALOGUE[base]
    return CATALOGUE["domain_error"]


def error_text(error: DomainError, language: str) -> str:
    """The sentence people read for ``error`` in ``language`` (``ko`` or ``en``)."""
    korean, english = _entry(error)
    template = korean if (language or "ko").lower().startswith("ko") else english
    params = {"label": "", "action": "", "holder": "", "problems": "", "total": "", "persons": ""}
    params |= dict(getattr(error, "params", {}) or {})
    if isinstance(params.get("problems"), list):
        params["problems"] = "; ".join(CONSENT_PROBLEMS_KO.get(code, code) for code in params["problems"])
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):
        return template


def error_message(error: DomainError, language: str) -> str:
    """What a person reads: the catalogue's sentence, and in English the detailed message
    (which names the record and the rule) after it; in Korean the record numbers and dates of
    the detail are not repeated in English."""
    text = error_text(error, language)
    if (language or "ko").lower().startswith("en"):
        detail = getattr(error, "message", "") or str(error)
        return f"{text} ({detail})" if detail and detail != text else text
    return text


def language_of(accept_language: str | None, default: str = "en") -> str:
    """``ko`` or ``en`` from an ``Accept-Language`` header (quality values honoured)."""
    best, best_q = default, -1.0
    for part in (accept_language or "").split(","):
        tag, _, q = part.strip().partition(";q=")
        tag = tag.strip().lower()[:2]
        try:
            quality = float(q) if q else 1.0
        except ValueError:
            quality = 0.0
        if tag in LANGUAGES and quality > best_q:
            best, best_q = tag, quality
    return best
