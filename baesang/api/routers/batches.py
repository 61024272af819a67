"""Payment batches: prepare (finance officer), approve (an approver who did not prepare),
export the bank file (finance officer; access-logged), import the bank's result, cancel."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import FileResponse, Http404
from ninja import Field as F
from ninja import Query, Router, Schema

from baesang.api.auth import allowed
from baesang.api.routers.common import Id, Won, page_out, record_or_404
from baesang.api.schemas import PAGING, EventDate, Page, PageQuery, PaymentDate, responses
from baesang.cases.models import PaymentBatch
from baesang.cases.selectors import batch_detail, batches_page
from baesang.cases.services import (
    BankResult,
    bank_results_parse,
    batch_approve,
    batch_cancel,
    batch_export,
    batch_prepare,
    batch_result_import,
)
from baesang.core.errors import DomainError
from baesang.judgments.models import Claim

router = Router(tags=["payment batches"])

BatchState = Literal["prepared", "approved", "exported", "settled", "cancelled"]


class BatchRow(Schema):
    id: int
    payment_date: date
    state: str
    lines: int
    total: int
    prepared_by: str
    approved_by: str | None


class BatchDetail(BatchRow):
    rounding: str
    export_sha256: str | None
    by_state: dict[str, dict[str, int]]


class BatchesQuery(PageQuery):
    state: BatchState | None = None


@router.get("/batches", response=responses(Page[BatchRow]), auth=allowed("view_batches"),
            summary="Payment batches, newest first", description=PAGING + " No `count`.")
def batches(request, query: Query[BatchesQuery]):
    return page_out(request, batches_page(state=query.state, cursor=query.cursor, limit=query.limit))


@router.get("/batches/{batch_id}", response=responses(BatchDetail), auth=allowed("view_batches"),
            summary="One payment batch with its lines counted by state")
def batch(request, batch_id: int):
    record_or_404(PaymentBatch, batch_id, "payment batch")
    return batch_detail(batch_id=batch_id)


class PrepareIn(Schema):
    payment_date: PaymentDate
    claims: list[Id] | None = F(None, max_length=100_000, description="only these claims (default: all ready)")
    limit: int | None = F(None, ge=1, le=1_000_000, description="only the first claims in waiting order")


@router.post("/batches", response=responses(BatchDetail, 201), auth=allowed("prepare_batch"),
             summary="Prepare a batch: one line per accepted holder not yet paid, amounts to the payment date")
def batch_prepare_endpoint(request, payload: PrepareIn):
    claims = None
    if payload.claims is not None:
        claims = list(Claim.objects.filter(pk__in=payload.claims))
        missing = sorted(set(payload.claims) - {c.pk for c in claims})
        if missing:

            raise Http404(f"no claim {', '.join(map(str, missing[:10]))}")
    prepared = batch_prepare(payment_date=payload.payment_date, preparer=request.auth, claims=claims,
                             limit=payload.limit)
    return 201, batch_detail(batch_id=prepared.pk)


@router.post("/batches/{batch_id}/approve", response=responses(BatchDetail), auth=allowed("approve_batch"),
             summary="Approve a prepared batch (never its preparer) and reserve its money in the ledger")
def batch_approve_endpoint(request, batch_id: int):
    found = record_or_404(PaymentBatch, batch_id, "payment batch")
    batch_approve(batch=found, approver=request.auth)
    return batch_detail(batch_id=batch_id)


@router.post("/batches/{batch_id}/export", auth=allowed("execute_batch"),
             response={200: str, **{k: v for k, v in responses(str).items() if k != 200}},
             summary="The bank transfer file (CSV) of an approved batch; recorded in the personal-data access log")
def batch_export_endpoint(request, batch_id: int):
    found = record_or_404(PaymentBatch, batch_id, "payment batch")
    bank_file = batch_export(batch=found, actor=request.auth, channel="api")
    # Streamed from the file written (a temporary file, closed and gone once sent).
    response = FileResponse(bank_file.file, as_attachment=True, filename=f"batch-{found.pk}.csv",
                            content_type="text/csv; charset=utf-8")
    response["X-Content-SHA256"] = bank_file.sha256
    return response


class ResultLine(Schema):
    line: Id
    amount: Won
    status: Literal["paid", "failed"]
    bank_reference: str = F("", max_length=100)
    reason: str = F("", max_length=500)


class ResultIn(Schema):
    results: list[ResultLine] | None = F(None, max_length=1_000_000)
    csv: str | None = F(None, max_length=50_000_000, description="the bank's result file, instead of results")
    value_date: EventDate | None = F(None, description="the bank's value date (default: the payment date); "
                                                      "not after today")


class ImportOut(Schema):
    batch_id: int
    paid: int
    failed: int
    unchanged: int
    paid_amount: int
    settled: bool


@router.post("/batches/{batch_id}/result", response=responses(ImportOut), auth=allowed("reconcile_batch"),
             summary="Import the bank's result: paid lines are posted, failed ones released; all or nothing")
def batch_result_endpoint(request, batch_id: int, payload: ResultIn):

    found = record_or_404(PaymentBatch, batch_id, "payment batch")
    if (payload.results is None) == (payload.csv is None):
        raise DomainError("send either results or csv", code="invalid_input", field="results")
    if payload.csv is not None:
        results = bank_results_parse(payload.csv)
    else:
        results = [BankResult(line=r.line, amount=r.amount, status=r.status, bank_reference=r.bank_reference,
                              reason=r.reason) for r in payload.results]
    return batch_result_import(batch=found, results=results, actor=request.auth, value_date=payload.value_date)


class CancelIn(Schema):
    reason: str = F(..., min_length=1, max_length=2000)


@router.post("/batches/{batch_id}/cancel", response=responses(BatchDetail), auth=allowed("cancel_batch"),
             summary="Cancel a batch before it reaches the bank; reservations are released")
def batch_cancel_endpoint(request, batch_id: int, payload: CancelIn):
    found = record_or_404(PaymentBatch, batch_id, "payment batch")
    batch_cancel(batch=found, actor=request.auth, reason=payload.reason)
    return batch_detail(batch_id=batch_id)
