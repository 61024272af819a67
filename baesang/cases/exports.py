"""Case work as spreadsheets (채권 목록·지급 대기 목록·지급 배치 엑셀·CSV): the columns, with
Korean headers, and the rows of the claims list, the waiting list and a payment batch's lines,
written by the one spreadsheet writer of baesang (:mod:`baesang.core.spreadsheets`: no cell
runs as a formula, amounts stay whole won numbers, dates stay dates, CSV in UTF-8 with a
byte-order mark for Excel). The bank transfer file is not one of these: its layout is the
bank's (``baesang.cases.services.batch_export``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from baesang.cases.models import BatchLine, PaymentBatch
from baesang.cases.selectors import WaitingClaim
from baesang.core.spreadsheets import Column

#: Korean words of the states a claim, a holding or a batch line is in.
STATE_KO = {
    "registered": "등록", "pending": "제안 전", "offered": "제안함", "accepted": "수락", "refused": "거절",
    "deposited": "공탁", "paid": "지급", "open": "진행 중", "failed": "실패", "cancelled": "취소",
}
YES, NO = "예", "아니오"

CLAIM_COLUMNS: tuple[Column, ...] = (
    Column("id", "채권 번호"),
    Column("case_number", "사건번호"),
    Column("victim_name", "피해자"),
    Column("state", "상태"),
    Column("amount_due", "미지급액(원)"),
    Column("holders", "채권자(지분)"),
    Column("limitation_on", "소멸시효 만료일"),
    Column("days_left", "남은 일수"),
)
CLAIMS_SHEET = "채권"

WAITING_COLUMNS: tuple[Column, ...] = (
    Column("rank", "순위"),
    Column("claim", "채권 번호"),
    Column("case_number", "사건번호"),
    Column("position", "원고 순번"),
    Column("victim_name", "피해자"),
    Column("victim_living", "생존"),
    Column("victim_birth_date", "생년월일"),
    Column("final_on", "판결 확정일"),
    Column("state", "상태"),
    Column("amount_due", "지급할 금액(원)"),
    Column("interest_per_day", "일일 지연이자(원)"),
)
WAITING_SHEET = "지급 대기"

BATCH_LINE_COLUMNS: tuple[Column, ...] = (
    Column("line", "행 번호"),
    Column("case_number", "사건번호"),
    Column("position", "원고 순번"),
    Column("holder", "채권자"),
    Column("principal", "원금(원)"),
    Column("interest", "이자(원)"),
    Column("amount", "지급액(원)"),
    Column("state", "상태"),
    Column("resolved_on", "처리일"),
    Column("bank_reference", "은행 거래번호"),
    Column("failure_reason", "실패 사유"),
)
BATCH_SHEET = "지급 배치"


def _day(value: str | date | None) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else value


def claim_rows(claims: Iterable[dict]) -> Iterator[dict[str, Any]]:
    """Rows of :func:`baesang.cases.selectors.claims_list` by column key."""
    for claim in claims:
        limitation = claim.get("limitation") or {}
        yield {"id": claim["id"], "case_number": claim["case_number"], "victim_name": claim["victim_name"],
               "state": STATE_KO.get(claim["state"], claim["state"]), "amount_due": claim["amount_due"],
               "holders": "; ".join(f"{h['name']} ({h['share']})" for h in claim["holders"]),
               "limitation_on": _day(limitation.get("last_day")), "days_left": limitation.get("days_left")}


def waiting_rows(waiting: Iterable[WaitingClaim], rounding: str) -> Iterator[dict[str, Any]]:
    """Rows of the waiting list (:func:`baesang.cases.selectors.claims_waiting_iter`, or the
    claims of a whole list) by column key; the interest per day rounded by the batch policy."""
    for row in waiting:
        figures = row.as_json(rounding)
        yield {"rank": row.rank, "claim": row.claim_id, "case_number": row.case_number, "position": row.position,
               "victim_name": row.victim_name, "victim_living": YES if row.victim_living else NO,
               "victim_birth_date": row.victim_birth_date, "final_on": row.final_on,
               "state": STATE_KO.get(row.state, row.state), "amount_due": row.amount_due,
               "interest_per_day": figures["interest_per_day"]}


def batch_line_rows(batch: PaymentBatch) -> Iterator[dict[str, Any]]:
    """The lines of a batch in line order, read in chunks (a batch may hold many thousand lines).
    Holder names only: the bank accounts are in the bank file, whose export is logged."""
    for (pk, case_number, position, holder, principal, interest, amount, state, resolved_on, reference,
         reason) in BatchLine.objects.filter(batch=batch).order_by("pk").values_list(
            "pk", "claim__judgment__case_number", "claim__position", "holder__name_hangul", "principal_part",
            "interest_part", "amount", "state", "resolved_on", "bank_reference", "failure_reason").iterator(
            chunk_size=2000):
        yield {"line": pk, "case_number": case_number, "position": position, "holder": holder,
               "principal": principal, "interest": interest, "amount": amount,
               "state": STATE_KO.get(state, state), "resolved_on": resolved_on, "bank_reference": reference,
               "failure_reason": reason}
