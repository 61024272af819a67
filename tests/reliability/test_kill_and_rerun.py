"""Reliability (issue 14 §5): every step that moves money survives a SIGKILL at a random point.

Each step — batch prepare, approve, export, bank result import, court deposit filing and
decision, donations import, holder change approval, donation reversal approval — runs in a
subprocess (``python -c`` with the test database's ``DATABASE_URL``) that is killed with
SIGKILL a few random moments after Django is ready, then run again until it completes, as an
operator would after a power failure. After every kill and every completed run the invariants
hold: the ledger's hash chain and balances verify, no holding has two paid lines, the fund
report agrees with the ledger's fund position and the reservations equal the open lines and
filed deposits, and a donations file is imported whole or not at all.

The random delays come from a seeded generator; the seed is printed (``-s``) and can be set
with ``BAESANG_RELIABILITY_SEED`` to replay a run. PostgreSQL only: a killed client's
transaction is rolled back by the server, which is what the suite proves the product relies on.
"""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from fractions import Fraction

import pytest
from casework_support import World, accept_all, fund_donate, make_staff
from django.conf import settings
from django.db import connection
from django.db.models import Count, Sum
from django.utils import timezone

from baesang.cases import holdings, services
from baesang.cases.models import BatchLine, ClaimHolding, CourtDeposit, PaymentBatch
from baesang.cases.selectors import fund_report
from baesang.donations.models import Donation, DonationReversal
from baesang.donations.services import donation_reversal_propose
from baesang.judgments import services as judgments
from baesang.ledger import accounts
from baesang.ledger.selectors import account_balance, fund_position, ledger_verify

# marked postgres and slow_once: conftest.py here adds requires_postgres and runs_once_in_postgres_pass
pytestmark = [pytest.mark.postgres, pytest.mark.slow_once, pytest.mark.django_db(transaction=True)]

PAY_DATE = date(2023, 4, 10)
FILED_ON = date(2023, 7, 3)
KILLS_PER_STEP = 4
#: Bounds of the random delay after the step's process said it is ready (seconds): most steps of
#: this small world take 0.1 to 0.4 s once loaded, so most kills land inside the step.
DELAYS = ((0.0, 0.05), (0.0, 0.15), (0.02, 0.4))
RERUNS = 4
STEP_TIMEOUT = 120
#: The steps' connections carry this name (libpq reads PGAPPNAME), so the test can wait for them.
STEP_APPLICATION = "baesang-reliability-step"

PRELUDE = """
import os, sys
from datetime import date
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
django.setup()
from django.contrib.auth import get_user_model
def user(name):
    return get_user_model().objects.get(username=name)
# the modules of every step are loaded before READY, so the delays fall in the step's own work
import baesang.cases.holdings, baesang.cases.services, baesang.donations.services  # noqa: E401,F401
print("READY", flush=True)
"""

STEPS = {
    "donations_import": """
from pathlib import Path
from baesang.donations.services import donations_import
donations_import(data=Path(sys.argv[1]).read_bytes(), user=user("finance"), source="reliability.csv")
""",
    "batch_prepare": """
from baesang.cases import services
from baesang.cases.models import PaymentBatch
if not PaymentBatch.objects.filter(payment_date=date(2023, 4, 10)).exists():
    services.batch_prepare(payment_date=date(2023, 4, 10), preparer=user("finance"))
""",
    "batch_approve": """
from baesang.cases import services
from baesang.cases.models import PaymentBatch
batch = PaymentBatch.objects.get(payment_date=date(2023, 4, 10))
if batch.state == PaymentBatch.PREPARED:
    services.batch_approve(batch=batch, approver=user("approver"))
""",
    "batch_export": """
from pathlib import Path
from baesang.cases import services
from baesang.cases.models import PaymentBatch
batch = PaymentBatch.objects.get(payment_date=date(2023, 4, 10))
with Path(sys.argv[1] + ".part").open("wb") as part:
    services.batch_export(batch=batch, actor=user("finance"), target=part)
os.replace(sys.argv[1] + ".part", sys.argv[1])
""",
    "bank_result_import": """
from pathlib import Path
from baesang.cases import services
from baesang.cases.models import PaymentBatch
batch = PaymentBatch.objects.get(payment_date=date(2023, 4, 10))
results = services.bank_results_parse(Path(sys.argv[1]).read_text(encoding="utf-8"))
services.batch_result_import(batch=batch, results=results, actor=user("finance"))
""",
    "deposit_file": """
from baesang.cases import services
from baesang.cases.models import ClaimHolding, CourtDeposit
holding = ClaimHolding.objects.get(pk=int(sys.argv[1]))
if not CourtDeposit.objects.filter(holding=holding).exists():
    services.deposit_file(holding=holding, filed_on=date(2023, 7, 3), actor=user("case"),
                          court_name="광주지방법원")
""",
    "deposit_decide": """
from baesang.cases import services
from baesang.cases.models import CourtDeposit
deposit = CourtDeposit.objects.get(holding_id=int(sys.argv[1]))
if deposit.state == CourtDeposit.FILED:
    services.deposit_decide(deposit=deposit, outcome=CourtDeposit.ACCEPTED, decided_on=date(2023, 8, 1),
                            actor=user("case"))
""",
    "holder_change_approve": """
from baesang.cases import holdings
from baesang.cases.models import HolderChangeProposal
proposal = HolderChangeProposal.objects.get(pk=int(sys.argv[1]))
if proposal.state == HolderChangeProposal.PROPOSED:
    holdings.holder_change_approve(proposal=proposal, actor=user("approver"))
""",
    "donation_reversal_approve": """
from baesang.donations.models import DonationReversal, ReversalState
from baesang.donations.services import donation_reversal_approve
reversal = DonationReversal.objects.get(pk=int(sys.argv[1]))
if reversal.state == ReversalState.PROPOSED:
    donation_reversal_approve(reversal=reversal, approver=user("approver"))
""",
}


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Runner:
    """Runs a step in a subprocess against the test database; kills it or lets it finish."""

    def __init__(self, rng: random.Random, tmp_path):
        self.rng = rng
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "baesang.settings", "DATABASE_URL": _database_url(),
                    "BAESANG_SECRET_KEY": settings.SECRET_KEY, "BAESANG_FIELD_KEY": settings.FIELD_KEY,
                    "BAESANG_VAR_DIR": str(tmp_path / "var"), "BAESANG_DEBUG": "0",
                    "PGAPPNAME": STEP_APPLICATION}
        self.log: list[str] = []

    def _start(self, step: str, args: tuple[str, ...]) -> subprocess.Popen:
        code = textwrap.dedent(PRELUDE) + textwrap.dedent(STEPS[step]) + '\nprint("DONE", flush=True)\n'
        process = subprocess.Popen([sys.executable, "-c", code, *args], env=self.env, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        ready = process.stdout.readline()
        assert ready.strip() == "READY", f"{step} did not start: {ready!r} {process.stderr.read()}"
        return process

    def kill_at_random(self, step: str, *args: str) -> None:
        low, high = self.rng.choice(DELAYS)
        delay = self.rng.uniform(low, high)
        process = self._start(step, args)
        time.sleep(delay)
        finished = process.poll() is not None
        if not finished:
            process.send_signal(signal.SIGKILL)
        out, err = process.communicate(timeout=STEP_TIMEOUT)
        if finished or process.returncode == 0:
            assert process.returncode == 0 and "DONE" in out, f"{step} failed before the kill:\n{err}"
        self.wait_for_server()
        self.log.append(f"{step}: {'finished before' if finished else 'killed'} after {delay:.3f} s")

    @staticmethod
    def wait_for_server() -> None:
        """Wait until the killed client's server process has ended.

        A client killed after sending COMMIT leaves a server process that still runs the
        commit's deferred checks and then commits: the step's work lands a moment after the
        client died. Checking the invariants before then would read the database half before
        and half after that commit (one query seeing the import, the next not).
        """
        deadline = time.monotonic() + STEP_TIMEOUT
        with connection.cursor() as cursor:
            while True:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                               [STEP_APPLICATION])
                if cursor.fetchone()[0] == 0:
                    return
                assert time.monotonic() < deadline, "a killed step's server process did not end"
                time.sleep(0.02)

    def run_until_done(self, step: str, *args: str) -> None:
        for _ in range(RERUNS):
            process = self._start(step, args)
            out, err = process.communicate(timeout=STEP_TIMEOUT)
            if process.returncode == 0 and "DONE" in out:
                return
            self.log.append(f"{step}: re-run ended {process.returncode}: {err[-2000:]}")
        raise AssertionError(f"{step} did not complete in {RERUNS} runs:\n" + "\n".join(self.log[-RERUNS:]))


def assert_invariants(donation_references: list[str]) -> None:
    verification = ledger_verify()
    assert verification.ok, verification
    twice = list(BatchLine.objects.filter(state=BatchLine.PAID).values("holding_id")
                 .annotate(n=Count("pk")).filter(n__gt=1))
    assert twice == [], f"holdings paid more than once: {twice}"
    paid_holdings = set(ClaimHolding.objects.filter(state=ClaimHolding.PAID).values_list("pk", flat=True))
    paid_lines = set(BatchLine.objects.filter(state=BatchLine.PAID).values_list("holding_id", flat=True))
    assert paid_holdings == paid_lines, "a holding's state and its batch line disagree"
    today = timezone.localdate()
    position, report = fund_position(as_of=today), fund_report(as_of=today)
    assert (report["balance"], report["reserved"], report["available"], report["deposits_held"]) == (
        position.bank_balance, position.reserved, position.available, position.deposits_held)
    assert position.bank_balance == account_balance(code=accounts.BANK).balance
    assert position.available == position.bank_balance - position.reserved
    # every won reserved in the ledger is an open line of an approved batch or a filed deposit
    open_lines = BatchLine.objects.filter(state=BatchLine.OPEN, batch__state__in=[
        PaymentBatch.APPROVED, PaymentBatch.EXPORTED]).aggregate(s=Sum("amount"))["s"] or 0
    filed = CourtDeposit.objects.filter(state=CourtDeposit.FILED).aggregate(s=Sum("amount"))["s"] or 0
    assert position.reserved == open_lines + filed
    # money in = money held + money paid out (no other income or expense in this world)
    paid_out = (BatchLine.objects.filter(state=BatchLine.PAID).aggregate(s=Sum("amount"))["s"] or 0) + (
        CourtDeposit.objects.filter(state=CourtDeposit.ACCEPTED).aggregate(s=Sum("amount"))["s"] or 0)
    assert report["donations_received"] == position.bank_balance + position.deposits_held + report["paid"]
    assert report["paid"] + position.deposits_held == paid_out
    imported = Donation.objects.filter(bank_reference__in=donation_references).count()
    assert imported in (0, len(donation_references)), f"half-imported file: {imported} of {len(donation_references)}"


def donations_file(tmp_path, rows: int = 400):
    header = "date,donor,donor_country,donor_brn,amount,currency,rate,reference,restricted\n"
    references = [f"REL-{i:05d}" for i in range(rows)]
    body = "".join(f"2023-03-1{i % 5},Supporter {i % 37},KR,,{1_000_000 + i},KRW,,{ref},yes\n"
                   for i, ref in enumerate(references))
    path = tmp_path / "donations.csv"
    path.write_text(header + body, encoding="utf-8")
    return path, references


def test_every_step_that_moves_money_survives_a_kill_and_a_rerun(django_user_model, tmp_path):
    seed = int(os.environ.get("BAESANG_RELIABILITY_SEED", "0")) or random.SystemRandom().randrange(1, 2**31)
    print(f"reliability seed: {seed} (BAESANG_RELIABILITY_SEED={seed} replays it)")
    runner = Runner(random.Random(seed), tmp_path)
    world = World(make_staff(django_user_model))
    fund_donate(3_000_000_000)
    for _ in range(6):
        accept_all(world, world.claim())
    refused = world.claim().holdings.get()
    offer = services.offer_make(holding=refused, offered_on=date(2023, 3, 16), actor=world.staff.case)
    services.offer_refuse(offer=offer, actor=world.staff.case, refused_on=date(2023, 3, 20))
    inherited = world.claim()
    widow, son = world.person("한순자", sex="F"), world.person("정일남", sex="M")
    ruling = judgments.document_store(kind="court_decision", title="shares", content=b"shares", filename="r.pdf",
                                      actor=world.staff.case)
    proposal = holdings.holders_propose_document(
        claim=inherited, shares={widow: Fraction(3, 5), son: Fraction(2, 5)}, document=ruling,
        actor=world.staff.case, valid_from=world.judgment.final_on)
    donations_csv, references = donations_file(tmp_path)
    bank_file = tmp_path / "bank.csv"
    results_file = tmp_path / "results.csv"

    def step(name: str, *args: str) -> None:
        for _ in range(KILLS_PER_STEP):
            runner.kill_at_random(name, *args)
            assert_invariants(references)
        runner.run_until_done(name, *args)
        assert_invariants(references)

    try:
        step("donations_import", str(donations_csv))
        assert Donation.objects.filter(bank_reference__in=references).count() == len(references)
        step("batch_prepare")
        batch = PaymentBatch.objects.get(payment_date=PAY_DATE)
        assert batch.lines.count() == 6
        step("batch_approve")
        step("batch_export", str(bank_file))
        rows = list(csv.DictReader(io.StringIO(bank_file.read_text(encoding="utf-8"))))
        failed = rows[0]["line"]  # the bank could not pay the first line: its reservation is voided
        results = ["line,amount,status,bank_reference,reason"] + [
            f"{row['line']},{row['amount']},{'failed' if row['line'] == failed else 'paid'},B-{row['line']},"
            for row in rows]
        results_file.write_text("\n".join(results) + "\n", encoding="utf-8")
        step("bank_result_import", str(results_file))
        batch.refresh_from_db()
        assert batch.state == PaymentBatch.SETTLED
        assert BatchLine.objects.filter(batch=batch, state=BatchLine.PAID).count() == 5
        step("deposit_file", str(refused.pk))
        step("deposit_decide", str(refused.pk))
        assert CourtDeposit.objects.get(holding=refused).state == CourtDeposit.ACCEPTED
        step("holder_change_approve", str(proposal.pk))
        current = set(ClaimHolding.objects.filter(claim=inherited, superseded_at__isnull=True)
                      .values_list("holder_id", flat=True))
        assert current == {widow.pk, son.pk}
        donation = Donation.objects.get(bank_reference=references[0])
        reversal = donation_reversal_propose(donation=donation, reason="booked twice by the bank",
                                             actor=world.staff.finance)
        step("donation_reversal_approve", str(reversal.pk))
        assert DonationReversal.objects.get(pk=reversal.pk).state == "approved"
    finally:
        print(f"seed {seed}\n" + "\n".join(runner.log))
