"""Benchmark of a payment batch end to end on PostgreSQL: 100,000 claims with heirs.

Generates N claims (default 100,000) spread over 100 judgments; a share of the victims
(default 60 %) died and are represented by two to five heirs with statutory-looking shares,
the others hold their claim themselves. Every holder has accepted with a consent record, so
the batch holds one line per holder (about 2.2 lines per claim). Generation uses bulk
inserts and is not timed. Then, timed, each step through the real services with every rule on:

- prepare — ``batch_prepare``: amount due to the day per claim with its calculation sheet,
  apportioned to the won among the holders, bulk-inserted lines;
- approve — ``batch_approve`` by another person: checks, one set-wise ledger journal of
  pending transfers (one per line), all or none;
- export — ``batch_export``: the bank transfer file (CSV, bank accounts decrypted);
- parse result — ``bank_results_parse`` of the bank's answer (every line paid);
- post — ``batch_result_import``: pending transfers posted set-wise, an indemnity claim and its
  ledger transfer per line, holdings and claims marked paid.

Afterwards ``ledger_verify`` recomputes the hash chain and every balance (timed separately) and
the script checks that each holder was paid once and the ledger agrees with the lines.

    .venv/bin/python bench/batch.py [--claims 100000] [--deceased 0.6]
        [--db postgres://postgres@127.0.0.1:5432/bench_batch]

The database named by ``--db`` is dropped and created anew. Figures go to BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import time
from datetime import date
from fractions import Fraction
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAYMENT_DATE = date(2024, 9, 2)
SEGMENT_STARTS = [date(2013, 6, 19), date(2013, 7, 31), date(2015, 6, 25), date(2018, 12, 1), date(2020, 3, 2)]
HEIR_SHARES = {  # spouse 1.5 : each child 1 (Civil Code Art. 1009), or children alone
    2: [Fraction(3, 5), Fraction(2, 5)], 3: [Fraction(3, 7), Fraction(2, 7), Fraction(2, 7)],
    4: [Fraction(1, 3), Fraction(2, 9), Fraction(2, 9), Fraction(2, 9)],
    5: [Fraction(1, 5)] * 5,
}


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def configure(url: str, var_dir: Path) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["BAESANG_DEBUG"] = "0"  # no query log
    os.environ.setdefault("BAESANG_VAR_DIR", str(var_dir))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")
    import django

    django.setup()


def generate(n_claims: int, deceased: float, rng: random.Random) -> dict:
    """Bulk-insert judgments, persons, claims, holders, offers and consents (not timed)."""
    from django.contrib.auth.models import Group, User
    from django.db import transaction

    from baesang.cases.models import ConsentVerification, Offer
    from baesang.core import roles
    from baesang.judgments import services as judgments
    from baesang.judgments.models import Claim, ClaimHolding, ClaimSegment, HolderChange, Judgment, Person
    from baesang.ledger import accounts
    from baesang.ledger.services import TransferSpec, transfers_create

    roles.ensure_role_groups()
    users = {}
    for name, role in (("case", roles.CASE_OFFICER), ("finance", roles.FINANCE_OFFICER),
                       ("approver", roles.APPROVER)):
        users[name] = User.objects.create_user(name)
        users[name].groups.add(Group.objects.get(name=role))
    case = users["case"]
    with transaction.atomic():
        court = judgments.court_ensure(name="대법원")
        debtors = [judgments.debtor_ensure(code=code, name=name) for code, name in
                   (("NSC", "일본제철"), ("MHI", "미쓰비시중공업"), ("HZ", "히타치조선"), ("FJK", "후지코시"))]
        form = judgments.document_store(kind="consent_form", title="bench consent form", content=b"bench form",
                                        filename="form.pdf", actor=case)
        per_judgment = max(1, n_claims // 100)
        judgment_rows = Judgment.objects.bulk_create(
            Judgment(case_number=f"20{10 + i % 14}다{60000 + i}", court=court, debtor=debtors[i % 4],
                     decided_on=date(2018, 10, 30), final_on=date(2018, 10, 30 if i < 50 else 31),
                     plaintiffs_count=per_judgment) for i in range((n_claims + per_judgment - 1) // per_judgment))
        victims = Person.objects.bulk_create(
            (Person(name_hangul=f"피해자{i}", birth_date=date(1920 + i % 12, 1 + i % 12, 1 + i % 28),
                    death_date=date(2015, 1, 1) if rng.random() < deceased else None,
                    bank_name="은행", bank_account=f"{100 + i % 900}-{i:08d}", pseudonymous=True)
             for i in range(n_claims)), batch_size=5000)
        claims = Claim.objects.bulk_create(
            (Claim(judgment=judgment_rows[i // per_judgment], position=i % per_judgment + 1, victim=victims[i],
                   principal=rng.choice((80_000_000, 100_000_000, 120_000_000)), state=Claim.ACCEPTED)
             for i in range(n_claims)), batch_size=5000)
        ClaimSegment.objects.bulk_create(
            (ClaimSegment(claim=claim, position=1, start=rng.choice(SEGMENT_STARTS), end=None, rate=20)
             for claim in claims), batch_size=5000)
        changes = HolderChange.objects.bulk_create(
            (HolderChange(claim=claim, basis=HolderChange.DOCUMENT if victims[i].death_date else
                          HolderChange.PLAINTIFF, document=form if victims[i].death_date else None,
                          valid_from=date(2018, 10, 30), made_by=case)
             for i, claim in enumerate(claims)), batch_size=5000)
        heirs_wanted = []
        for i, victim in enumerate(victims):
            if victim.death_date:
                count = rng.randint(2, 5)
                heirs_wanted.extend((i, k, share) for k, share in enumerate(HEIR_SHARES[count]))
        heirs = Person.objects.bulk_create(
            (Person(name_hangul=f"상속인{i}-{k}", bank_name="은행", bank_account=f"{200 + k}-{i:08d}",
                    pseudonymous=True) for i, k, _ in heirs_wanted), batch_size=5000)
        holdings = []
        for i, victim in enumerate(victims):
            if not victim.death_date:
                holdings.append(ClaimHolding(claim=claims[i], holder=victim, share_numerator=1, share_denominator=1,
                                             change=changes[i], state=ClaimHolding.ACCEPTED,
                                             valid_from=date(2018, 10, 30)))
        for (i, _, share), heir in zip(heirs_wanted, heirs, strict=True):
            holdings.append(ClaimHolding(claim=claims[i], holder=heir, share_numerator=share.numerator,
                                         share_denominator=share.denominator, change=changes[i],
                                         state=ClaimHolding.ACCEPTED, valid_from=date(2018, 10, 30)))
        holdings = ClaimHolding.objects.bulk_create(holdings, batch_size=5000)
        offers = Offer.objects.bulk_create(
            (Offer(holding=h, offered_on=date(2024, 8, 1), amount_quoted=1, state=Offer.ACCEPTED,
                   answered_on=date(2024, 8, 5), made_by=case) for h in holdings), batch_size=5000)
        ConsentVerification.objects.bulk_create(
            (ConsentVerification(offer=o, holding=o.holding, verified_on=date(2024, 8, 5),
                                 identity_method="id_card_in_person", capacity="self", witness_name="직원",
                                 form_document=form, verified_by=case) for o in offers), batch_size=5000)
        accounts.chart_ensure()
        transfers_create(specs=[TransferSpec(id="bench-endowment", debit=accounts.BANK,
                                             credit=accounts.DONATIONS_RESTRICTED, amount=10**15,
                                             value_date=date(2024, 1, 2), description="bench endowment")])
    return {"users": users, "claims": len(claims), "holdings": len(holdings), "heirs": len(heirs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--deceased", type=float, default=0.6, help="share of victims represented by heirs")
    parser.add_argument("--db", default="postgres://postgres@127.0.0.1:5432/bench_batch")
    parser.add_argument("--seed", type=int, default=20230315)
    args = parser.parse_args()
    if not args.db.startswith("postgres"):
        parser.error("the batch benchmark runs on PostgreSQL (--db postgres://…)")

    import tempfile

    var_dir = Path(tempfile.mkdtemp(prefix="bench_batch_"))
    recreate_database(args.db)
    configure(args.db, var_dir)
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = var_dir / "media"
    call_command("migrate", verbosity=0)

    from baesang.cases import services
    from baesang.cases.models import BatchLine, IndemnityClaim
    from baesang.cases.selectors import paid_total
    from baesang.judgments.models import ClaimHolding
    from baesang.ledger import accounts
    from baesang.ledger.selectors import account_balance, ledger_verify

    started = time.perf_counter()
    world = generate(args.claims, args.deceased, random.Random(args.seed))
    print(f"generated {world['claims']:,} claims, {world['holdings']:,} holders ({world['heirs']:,} heirs) "
          f"in {time.perf_counter() - started:.1f} s (not timed)")
    users = world["users"]
    timings: list[tuple[str, float]] = []

    def step(name, fn):
        begin = time.perf_counter()
        result = fn()
        timings.append((name, time.perf_counter() - begin))
        print(f"  {name:<14} {timings[-1][1]:7.2f} s", flush=True)
        return result

    batch = step("prepare", lambda: services.batch_prepare(payment_date=PAYMENT_DATE, preparer=users["finance"]))
    step("approve", lambda: services.batch_approve(batch=batch, approver=users["approver"]))
    bank_file = step("export", lambda: services.batch_export(batch=batch, actor=users["finance"]))
    result_csv = "line,amount,status,bank_reference,reason\n" + "".join(
        f"{row.split(',')[0]},{row.split(',')[-1]},paid,B{row.split(',')[0]},\n"
        for row in bank_file.content.splitlines()[1:])
    results = step("parse result", lambda: services.bank_results_parse(result_csv))
    summary = step("post", lambda: services.batch_result_import(batch=batch, results=results,
                                                                actor=users["finance"]))
    total = sum(seconds for _, seconds in timings)
    begin = time.perf_counter()
    verified = ledger_verify()
    verify_seconds = time.perf_counter() - begin

    lines = BatchLine.objects.filter(batch=batch)
    assert summary.paid == lines.count() == world["holdings"], "every holder is paid"
    assert lines.filter(state=BatchLine.PAID).count() == world["holdings"]
    assert IndemnityClaim.objects.count() == world["holdings"]
    assert ClaimHolding.objects.filter(state=ClaimHolding.PAID).count() == world["holdings"]
    assert account_balance(code=accounts.JUDGMENT_PAYMENTS_EXPENSE).balance == paid_total() == batch.total_amount
    assert verified.ok, verified.reason
    print(f"batch {batch.pk}: {batch.line_count:,} lines for {world['claims']:,} claims, {batch.total_amount:,} won")
    print(f"total {total:.2f} s (prepare + approve + export + parse + post); "
          f"{batch.line_count / total:,.0f} lines/s end to end")
    print(f"ledger_verify: {verified.transfers:,} transfers in {verify_seconds:.2f} s (not in the total)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")


if __name__ == "__main__":
    main()
