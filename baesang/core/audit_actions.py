"""The catalogue of audit actions (감사 기록 작업 목록): the readable label, in Korean and English,
of each ``action`` code an audit row carries (``deposit.objection_dismissed`` → 공탁 이의 기각).

The code stays the stable key stored in the audit log and searched by auditors; people read the
label in their language (the dashboard's activity panels, the audit log). An action not in the
catalogue is shown as its code, never hidden.
"""

from __future__ import annotations

# ruff: noqa: E501 — a catalogue, one pair per line

#: action code → (Korean, English)
AUDIT_ACTIONS: dict[str, tuple[str, str]] = {
    # sign-in and accounts
    "auth.login": ("로그인", "Signed in"),
    "auth.login_failed": ("로그인 실패", "Sign-in failed"),
    "auth.logout": ("로그아웃", "Signed out"),
    "auth.second_factor_enrol": ("2단계 인증 등록", "Second factor enrolled"),
    "auth.second_factor_reset": ("2단계 인증 초기화", "Second factor reset"),
    "api_token.create": ("API 토큰 발급", "API token created"),
    "api_token.revoke": ("API 토큰 폐기", "API token revoked"),
    # the creditors' portal
    "portal.invite": ("채권자 포털 초대", "Invited to the creditors' portal"),
    "portal.revoke": ("채권자 포털 접근 해지", "Portal access revoked"),
    "portal.invitation_use": ("포털 초대 링크 사용", "Portal invitation used"),
    "portal.sign_in": ("채권자 포털 로그인", "Signed in to the creditors' portal"),
    "portal.request_submit": ("포털 요청 접수", "Portal request received"),
    "portal.request_decide": ("포털 요청 처리", "Portal request decided"),
    "portal.passkey_add": ("포털 패스키 등록", "Portal passkey added"),
    "portal.passkey_remove": ("포털 패스키 삭제", "Portal passkey removed"),
    # registry
    "court.create": ("법원 등록", "Court registered"),
    "debtor.create": ("채무자 등록", "Debtor registered"),
    "judgment.create": ("판결 등록", "Judgment registered"),
    "judgment.register_from_text": ("판결문에서 판결 등록", "Judgment registered from its text"),
    "claim.create": ("채권 등록", "Claim registered"),
    "claim.holders_replace": ("채권자 변경", "Claim holders replaced"),
    "person.create": ("인물 등록", "Person registered"),
    "person.update": ("인물 정보 수정", "Person updated"),
    "person.death_record": ("사망 기록", "Death recorded"),
    "person.bank_account_set": ("계좌 변경 반영", "Bank account changed"),
    "document.store": ("문서 보관", "Document stored"),
    "pending_lawsuit.create": ("계류 소송 등록", "Pending lawsuit registered"),
    "pending_lawsuit.change": ("계류 소송 변경", "Pending lawsuit changed"),
    "pending_lawsuit.delete": ("계류 소송 삭제", "Pending lawsuit deleted"),
    # holders and accounts under four eyes
    "holder_change.propose": ("채권자 변경 제안", "Holder change proposed"),
    "holder_change.approve": ("채권자 변경 승인", "Holder change approved"),
    "holder_change.reject": ("채권자 변경 반려", "Holder change rejected"),
    "account_change.propose": ("계좌 변경 제안", "Bank account change proposed"),
    "account_change.approve": ("계좌 변경 승인", "Bank account change approved"),
    "account_change.reject": ("계좌 변경 반려", "Bank account change rejected"),
    # case work
    "offer.make": ("지급 제안", "Offer made"),
    "offer.accept": ("제안 수락(동의 확인)", "Offer accepted (consent verified)"),
    "offer.refuse": ("제안 거절", "Offer refused"),
    "offer.withdraw": ("제안 철회", "Offer withdrawn"),
    "consent.revoke": ("동의 철회", "Consent revoked"),
    "limitation.record": ("시효중단 사유 기록", "Limitation event recorded"),
    "statement.issue": ("지급 명세서 발급", "Statement issued"),
    # court deposits (공탁)
    "deposit.file": ("공탁 신청", "Court deposit filed"),
    "deposit.accepted": ("공탁 수리", "Court deposit accepted"),
    "deposit.refused": ("공탁 불수리", "Court deposit refused"),
    "deposit.objection_filed": ("공탁 이의 신청", "Objection to the deposit filed"),
    "deposit.objection_dismissed": ("공탁 이의 기각", "Objection to the deposit dismissed"),
    "deposit.returned": ("공탁금 회수", "Court deposit returned"),
    # payment batches
    "batch.prepare": ("지급 배치 준비", "Payment batch prepared"),
    "batch.approve": ("지급 배치 승인", "Payment batch approved"),
    "batch.export": ("은행 파일 내보내기", "Bank file exported"),
    "batch.result_import": ("은행 결과 반영", "Bank result imported"),
    "batch.cancel": ("지급 배치 취소", "Payment batch cancelled"),
    # ledger
    "ledger.account_create": ("원장 계정 개설", "Ledger account opened"),
    "ledger.transfers_create": ("원장 이체 기입", "Ledger transfers booked"),
    "ledger.checkpoint": ("원장 검증 기록(체크포인트)", "Ledger checkpoint signed"),
    "ledger.pendings_resolve": ("예약 이체 확정·취소", "Pending transfers resolved"),
    "ledger.verify": ("원장 검증", "Ledger verified"),
    # donations
    "donations.donor_create": ("기부자 등록", "Donor registered"),
    "donations.import": ("기부금 가져오기", "Donations imported"),
    "donations.pledge_create": ("기부 약정 등록", "Pledge recorded"),
    "donations.pledge_withdraw": ("기부 약정 철회", "Pledge withdrawn"),
    "donations.receipts_issue": ("기부금 영수증 발급", "Donation receipts issued"),
    "donations.reversal_propose": ("기부금 입금 취소 제안", "Donation reversal proposed"),
    "donations.reversal_approve": ("기부금 입금 취소 승인", "Donation reversal approved"),
    "donations.reversal_reject": ("기부금 입금 취소 반려", "Donation reversal rejected"),
    "receipt.print": ("영수증 출력", "Receipt printed"),
    # the world at scale (baesang demo scale)
    "demo.scale": ("대규모 시연 데이터 생성", "World at scale built (demo)"),
    # personal data
    "pii.field_key.rotate": ("개인정보 암호화 키 교체", "Field key rotated"),
    "pii_access_log.export": ("개인정보 접근 기록 내보내기", "Personal-data access log exported"),
}


def audit_action_label(code: str, language: str = "ko") -> str:
    """The label of ``code`` in ``language`` ("ko" or "en", e.g. "ko-kr"); the code itself when
    the catalogue has none."""
    labels = AUDIT_ACTIONS.get(code or "")
    if labels is None:
        return code or ""
    return labels[1] if (language or "ko").lower().startswith("en") else labels[0]
