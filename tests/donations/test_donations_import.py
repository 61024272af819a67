"""The donations CSV import: all or nothing, every bad row named, re-import posts nothing twice;
foreign-currency donations keep currency, amount and rate and are booked in won once."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from operator_support import operator_env, token_for

from baesang.core.errors import ValidationFailed
from baesang.core.models import AuditEvent
from baesang.donations import services
from baesang.donations.models import Donation, Donor
from baesang.donations.rules import RuleBroken, amount_in_won, brn_check_digit, clean_brn
from baesang.donations.selectors import fund_position
from baesang.donations.services import donations_import
from baesang.ledger import accounts as chart
from baesang.ledger.models import Transfer
from baesang.ledger.selectors import account_balance, ledger_verify
from baesang.ledger.services import InvalidTransfer

HEADER = "date,donor,donor_country,donor_brn,amount,currency,rate,reference,restricted\n"
# Business registration numbers printed in the companies' public disclosures: Samsung Electronics
# 124-81-00998, NAVER 220-81-62517. POSCO's 4 bn won of 2023-03-15 and the Korea Employers
# Federation's 0.1 bn are public figures (DOMAIN.md §1).
GOOD = HEADER + (
    "2023-03-15,POSCO,KR,124-81-00998,4000000000,KRW,,BANK-2023-0001,yes\n"
    "2023-04-03,Korea Employers Federation,KR,220-81-62517,100000000,KRW,1,BANK-2023-0002,no\n"
    "2023-05-10,Friends of Justice,US,,250000.50,USD,1300.55,BANK-2023-0003,yes\n"
    "2023-05-11,Kansai supporters,JP,,1000,JPY,9.4567,BANK-2023-0004,no\n"
)
USD_WON = 325_138_150  # 250,000.50 × 1,300.55 = 325,138,150.275 → truncated to whole won
JPY_WON = 9_456  # 1,000 × 9.4567 = 9,456.7 → truncated


@pytest.fixture
def books(db):
    chart.chart_ensure()


def test_brn_check_digit_of_the_national_tax_service():
    assert clean_brn("124-81-00998") == "1248100998"
    assert brn_check_digit("124810099") == 8
    with pytest.raises(RuleBroken, match="check digit"):
        clean_brn("124-81-00997")
    with pytest.raises(RuleBroken, match="business registration number"):
        clean_brn("12-81-00998")


def test_won_amount_is_truncated():
    assert amount_in_won(Decimal("250000.50"), Decimal("1300.55")) == USD_WON
    assert amount_in_won(Decimal("1000"), Decimal("9.4567")) == JPY_WON
    with pytest.raises(RuleBroken, match="less than one won"):
        amount_in_won(Decimal("0.01"), Decimal("0.5"))


def test_a_good_file_is_booked_once(books, treasurer):
    result = donations_import(data=GOOD.encode(), source="march.csv", user=treasurer)
    assert (result.booked, result.already_imported) == (4, 0)
    assert result.total_won == 4_000_000_000 + 100_000_000 + USD_WON + JPY_WON
    usd = Donation.objects.get(bank_reference="BANK-2023-0003")
    assert (usd.currency, usd.original_amount, usd.rate, usd.amount_won) == (
        "USD", Decimal("250000.50"), Decimal("1300.55"), USD_WON)
    assert usd.transfer_id == "donation:BANK-2023-0003" and usd.transfer.amount == USD_WON
    assert Donor.objects.get(brn="1248100998").kind == "company"
    assert Donor.objects.get(name="Friends of Justice").kind == "individual"
    assert account_balance(code=chart.BANK).balance == result.total_won
    assert account_balance(code=chart.DONATIONS_RESTRICTED).balance == 4_000_000_000 + USD_WON
    assert account_balance(code=chart.DONATIONS_UNRESTRICTED).balance == 100_000_000 + JPY_WON
    position = fund_position()
    assert (position.restricted, position.unrestricted) == (4_000_000_000 + USD_WON, 100_000_000 + JPY_WON)

    again = donations_import(data=GOOD.encode(), user=treasurer)
    assert (again.booked, again.already_imported, again.total_won) == (0, 4, 0)
    more = donations_import(data=GOOD + "2023-06-01,POSCO,KR,1248100998,5000,KRW,,BANK-2023-0005,yes\n",
                            user=treasurer)
    assert (more.booked, more.already_imported) == (1, 4)
    assert Transfer.objects.count() == 5 and Donation.objects.count() == 5
    assert Donor.objects.count() == 4  # POSCO found again by its registration number
    assert ledger_verify().ok


def _errors(data: str, user) -> list[tuple[int, str]]:
    with pytest.raises(ValidationFailed) as caught:
        donations_import(data=data.encode(), user=user)
    return [(e.row, e.field) for e in caught.value.errors]


def test_every_bad_row_is_reported_and_nothing_changes(books, treasurer):
    bad = HEADER + (
        "2023-03-15,POSCO,KR,124-81-00998,4000000000,KRW,,BANK-1,yes\n"  # good
        "2023-03-16,Acme,KR,,100,ABC,,BANK-2,yes\n"  # unknown currency
        "2023-03-17,Acme,US,,100,USD,,BANK-3,yes\n"  # missing rate for a foreign currency
        "2023-03-18,Acme,KR,124-81-00997,100,KRW,,BANK-4,yes\n"  # invalid registration number
        "2023-03-19,Acme,KR,,100,KRW,,BANK-1,yes\n"  # duplicate bank reference
        "2023-03-20,Acme,KR,,0,KRW,,BANK-6,yes\n"  # non-positive amount
        "2023-03-21,Acme,KR,,-5,KRW,,BANK-7,yes\n"  # non-positive amount
        "2023-02-30,Acme,XX,,10.5,KRW,,BANK-8,maybe\n"  # date, country, won decimals, restricted
    )
    assert _errors(bad, treasurer) == [
        (3, "currency"), (4, "rate"), (5, "donor_brn"), (6, "reference"), (7, "amount"), (8, "amount"),
        (9, "date"), (9, "donor_country"), (9, "amount"), (9, "restricted"),
    ]
    assert (Donation.objects.count(), Donor.objects.count(), Transfer.objects.count()) == (0, 0, 0)


def test_a_reference_imported_before_with_other_content_is_refused(books, treasurer):
    donations_import(data=GOOD, user=treasurer)
    changed = GOOD.replace("4000000000,KRW,,BANK-2023-0001", "4000000001,KRW,,BANK-2023-0001")
    assert _errors(changed, treasurer) == [(2, "reference")]
    # a reused reference and a bad row elsewhere are reported together
    assert _errors(changed + "2023-06-01,Acme,KR,,-5,KRW,,BANK-2023-0009,no\n", treasurer) == [
        (2, "reference"), (6, "amount")]
    with pytest.raises(ValidationFailed, match="row 6, amount: '-5': the amount must be greater than zero"):
        donations_import(data=changed + "2023-06-01,Acme,KR,,-5,KRW,,BANK-2023-0009,no\n", user=treasurer)
    assert Donation.objects.get(bank_reference="BANK-2023-0001").amount_won == 4_000_000_000


def test_header_and_encoding_errors(books, treasurer):
    assert _errors("date,donor,amount\n2023-01-01,x,1\n", treasurer) == [(1, "header")]
    with pytest.raises(ValidationFailed, match="not UTF-8"):
        donations_import(data=HEADER.encode() + "2023-01-01,기부자,KR,,1,KRW,,R,yes\n".encode("euc-kr"),
                         user=treasurer)
    # a spreadsheet's byte-order mark
    result = donations_import(data="\ufeff".encode() + GOOD.encode(), user=treasurer)
    assert result.booked == 4


def test_import_command(books, treasurer, tmp_path):
    good = tmp_path / "statement.csv"
    good.write_text(GOOD)
    out = io.StringIO()
    with operator_env(token_for(treasurer.username)):
        call_command("donations", "import", str(good), "--user", treasurer.username, stdout=out)
    assert "4 donation(s) booked" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2023-03-16,Acme,KR,,100,XXX,,BANK-9,yes\n")
    err = io.StringIO()
    with pytest.raises(SystemExit) as caught, operator_env(token_for(treasurer.username)):
        call_command("donations", "import", str(bad), "--user", treasurer.username, stdout=io.StringIO(),
                     stderr=err)
    assert caught.value.code == 2
    assert "row 2, currency" in err.getvalue() and "nothing was imported" in err.getvalue()
    assert not Donation.objects.filter(bank_reference="BANK-9").exists()


def test_donors_created_set_wise_roll_back_with_a_failed_import(books, treasurer, monkeypatch):
    """All or nothing: a failure after the donors were created (here the ledger refuses the journal)
    leaves no donor, no donation and no audit row of a donor behind."""
    def refuse(**kwargs):
        assert Donor.objects.count() == 4  # the donors exist inside the transaction
        raise InvalidTransfer("refused for the test")

    monkeypatch.setattr(services, "journal_stream_create", refuse)
    with pytest.raises(InvalidTransfer):
        donations_import(data=GOOD.encode(), user=treasurer)
    assert Donor.objects.count() == 0 and Donation.objects.count() == 0
    assert not AuditEvent.objects.filter(action="donations.donor_create").exists()


def test_each_new_donor_is_created_once_with_its_audit_row(books, treasurer):
    twice = GOOD + "2023-05-12,POSCO,KR,124-81-00998,1,KRW,,BANK-2023-0005,yes\n"
    donations_import(data=twice.encode(), user=treasurer)
    assert Donor.objects.count() == 4
    audited = AuditEvent.objects.filter(action="donations.donor_create")
    assert sorted(int(e.entity_id) for e in audited) == sorted(Donor.objects.values_list("pk", flat=True))
    assert {e.actor_label for e in audited} == {treasurer.username}
