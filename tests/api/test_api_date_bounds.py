"""The bounds of the dates a batch is given are stated in the API schema and enforced on each
request (issue 14 §3): a payment date at most a year after today, a bank value date not after
today (baesang.cases.dates)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _schema_of(schema: dict, path: str) -> dict:
    body = schema["paths"][path]["post"]["requestBody"]["content"]["application/json"]["schema"]
    ref = body["$ref"].rsplit("/", 1)[-1]
    return schema["components"]["schemas"][ref]["properties"]


def test_the_schema_states_the_payment_and_value_date_bounds():
    schema = Client().get("/api/openapi.json").json()
    prepare = _schema_of(schema, "/api/batches")
    assert "today + 1 year" in str(prepare["payment_date"])
    result = _schema_of(schema, "/api/batches/{batch_id}/result")
    assert "today" in str(result["value_date"]) and "100 years" not in str(result["value_date"])


def test_a_payment_date_two_years_ahead_is_refused_with_400(role_tokens, bearer):
    two_years_ahead = timezone.localdate() + timedelta(days=2 * 366)
    response = Client().post("/api/batches", {"payment_date": two_years_ahead.isoformat()},
                             content_type="application/json",
                             **bearer(role_tokens["finance_officer"]))
    assert response.status_code == 400
    assert "payment_date" in response.content.decode()
