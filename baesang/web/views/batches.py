"""Payment batches: list and detail for the roles that read money; prepare and execute (send
the bank file, import the bank's result) for finance officers; approve for approvers — never
the preparer (four eyes, checked again by the service); cancel before the bank."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baesang.cases import exports
from baesang.cases.models import BatchLine, PaymentBatch
from baesang.cases.selectors import batch_detail, batches_page
from baesang.cases.services import (
    bank_results_parse,
    batch_approve,
    batch_cancel,
    batch_export,
    batch_prepare,
    batch_result_import,
)
from baesang.web.downloads import spreadsheet_download
from baesang.web.feedback import attempt
from baesang.web.forms import BatchPrepareForm, BatchResultForm, ReasonForm
from baesang.web.paging import filters_query, queryset_page, screen_page
from baesang.web.permissions import requires, user_may

LINES_PER_PAGE = 100
#: The steps offered on a batch's page: the permission and the states in which it is offered
#: (a settled or cancelled batch offers none, and its page shows no empty card).
STEP_ACTIONS = {
    "approve_batch": (PaymentBatch.PREPARED,),
    "execute_batch": (PaymentBatch.APPROVED, PaymentBatch.EXPORTED),
    "reconcile_batch": (PaymentBatch.EXPORTED,),
    "cancel_batch": (PaymentBatch.PREPARED, PaymentBatch.APPROVED),
}
MAX_RESULT_FILE_BYTES = 50 * 1024 * 1024


def _form_errors_to_messages(request: HttpRequest, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


@requires("view_batches")
def batches_view(request: HttpRequest) -> HttpResponse:
    page = screen_page(request, batches_page)
    return render(request, "web/batches.html", {
        "batches": page.items, "page": page, "query": filters_query(request),
        "prepare_form": BatchPrepareForm(initial={"payment_date": timezone.localdate()})})


@requires("prepare_batch")
@require_POST
def batch_prepare_view(request: HttpRequest) -> HttpResponse:
    form = BatchPrepareForm(request.POST)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("web:batches")
    done, batch = attempt(request, lambda: batch_prepare(payment_date=form.cleaned_data["payment_date"],
                                                         preparer=request.user, limit=form.cleaned_data["limit"]),
                          _("Batch prepared. Another person must approve it."))
    return redirect("web:batch", batch_id=batch.pk) if done else redirect("web:batches")


@requires("view_batches")
def batch_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch, pk=batch_id)
    lines = (BatchLine.objects.filter(batch=batch).select_related("holder", "claim__judgment").order_by("pk"))
    page = queryset_page(request, lines, name=f"batch_lines:{batch.pk}", order=("pk",), limit=LINES_PER_PAGE)
    detail = batch_detail(batch_id=batch.pk)
    return render(request, "web/batch.html", {
        "batch": batch, "detail": detail, "page": page, "query": "",
        "result_form": BatchResultForm(), "cancel_form": ReasonForm(),
        "is_preparer": batch.prepared_by_id == request.user.pk,
        "has_actions": bool(detail["recent_account_changes"]) or any(
            batch.state in states and user_may(request.user, action) for action, states in STEP_ACTIONS.items())})


@requires("view_batches")
def batch_lines_export_view(request: HttpRequest, batch_id: int, kind: str) -> HttpResponseBase:
    """A batch's lines as XLSX or CSV with Korean headers (holder names and amounts; the bank
    accounts are only in the logged bank file)."""
    batch = get_object_or_404(PaymentBatch, pk=batch_id)
    return spreadsheet_download(kind, f"batch-{batch.pk}", exports.BATCH_LINE_COLUMNS,
                                exports.batch_line_rows(batch), title=f"{exports.BATCH_SHEET} {batch.pk}")


@requires("approve_batch")
@require_POST
def batch_approve_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch, pk=batch_id)
    attempt(request, lambda: batch_approve(batch=batch, approver=request.user),
            _("Batch approved; its money is reserved in the ledger."))
    return redirect("web:batch", batch_id=batch.pk)


@requires("execute_batch")
@require_POST
def batch_export_view(request: HttpRequest, batch_id: int) -> HttpResponseBase:
    batch = get_object_or_404(PaymentBatch, pk=batch_id)
    done, bank_file = attempt(request, lambda: batch_export(batch=batch, actor=request.user, channel="web"))
    if not done:
        return redirect("web:batch", batch_id=batch.pk)
    # Streamed from the file written (a temporary file, closed and gone once sent).
    return FileResponse(bank_file.file, as_attachment=True, filename=f"batch-{batch.pk}-bank.csv",
                        content_type="text/csv; charset=utf-8")


@requires("reconcile_batch")
@require_POST
def batch_result_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch, pk=batch_id)
    form = BatchResultForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors_to_messages(request, form)
        return redirect("web:batch", batch_id=batch.pk)
    upload = form.cleaned_data["result_file"]
    if upload.size > MAX_RESULT_FILE_BYTES:
        messages.error(request, _("The file is too large."))
        return redirect("web:batch", batch_id=batch.pk)
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        messages.error(request, _("The bank result file must be UTF-8 text (CSV)."))
        return redirect("web:batch", batch_id=batch.pk)
    done, summary = attempt(request, lambda: batch_result_import(
        batch=batch, results=bank_results_parse(text), actor=request.user,
        value_date=form.cleaned_data["value_date"]))
    if done:
        messages.success(request, _("Bank result imported: %(paid)s paid, %(failed)s failed, %(unchanged)s unchanged.")
                         % {"paid": summary.paid, "failed": summary.failed, "unchanged": summary.unchanged})
    return redirect("web:batch", batch_id=batch.pk)


@requires("cancel_batch")
@require_POST
def batch_cancel_view(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(PaymentBatch, pk=batch_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the batch is cancelled."))
        return redirect("web:batch", batch_id=batch.pk)
    attempt(request, lambda: batch_cancel(batch=batch, actor=request.user, reason=form.cleaned_data["reason"]),
            _("Batch cancelled."))
    return redirect("web:batch", batch_id=batch.pk)
