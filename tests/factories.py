"""factory_boy factories of the tests: staff users with roles, and the registry's records built
through the same services as real work (so every factory-made record passed the rules, the
permission table and the audit log).

A factory that registers something needs the acting user: ``JudgmentFactory(actor=case)``.
The defaults are Nippon Steel's judgment of the Supreme Court, 2013다61381, decided and final
on 2018-10-30, 4 plaintiffs, 100,000,000 won each at 20 % a year from 2013-06-19 (DOMAIN.md §4).
"""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from baesang.cases import holdings
from baesang.core import roles
from baesang.judgments import services as registry
from baesang.judgments.models import Claim, Judgment, Person
from baesang.ledger import accounts
from baesang.ledger.services import TransferSpec, transfers_create


class StaffUserFactory(factory.django.DjangoModelFactory):
    """A staff user; ``StaffUserFactory(username="case", roles=[roles.CASE_OFFICER])``."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        roles.ensure_role_groups()
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=role))


def staff_user(username: str, *role_names: str):
    return StaffUserFactory(username=username, roles=list(role_names))


class JudgmentFactory(factory.Factory):
    """A judgment registered with its court and debtor (``judgment_register``)."""

    class Meta:
        model = Judgment

    case_number = "2013다61381"
    court_name = "대법원"
    debtor_code = "NSC"
    debtor_name = "일본제철"
    debtor_name_en = "Nippon Steel"
    decided_on = date(2018, 10, 30)
    final_on = date(2018, 10, 30)
    plaintiffs_count = 4

    @classmethod
    def _create(cls, model_class, *, actor, **kwargs):
        return registry.judgment_register(actor=actor, **kwargs)


class PersonFactory(factory.Factory):
    """An invented victim or heir (``person_create``)."""

    class Meta:
        model = Person

    name_hangul = factory.Sequence(lambda n: f"피해자{n + 1}")

    @classmethod
    def _create(cls, model_class, *, actor, **kwargs):
        return registry.person_create(actor=actor, **kwargs)


class ClaimFactory(factory.Factory):
    """A creditor's claim with its victim, held by the plaintiff unless ``plaintiff_holds=False``."""

    class Meta:
        model = Claim

    position = factory.Sequence(lambda n: n + 1)
    principal = 100_000_000
    segments = factory.LazyFunction(lambda: ["2013-06-19:paid:20"])
    plaintiff_holds = True

    @classmethod
    def _create(cls, model_class, *, actor, victim: Person | None = None, **kwargs):
        if victim is None:
            victim = PersonFactory(actor=actor)
        return holdings.claim_register(actor=actor, victim_id=victim.pk, **kwargs)


def fund_donate(amount: int, *, actor, on: date = date(2023, 3, 15), ref: str = "donation-1") -> None:
    """Money in the bank, booked as a restricted donation (Dr bank / Cr restricted donations)."""
    accounts.chart_ensure()
    transfers_create(specs=[TransferSpec(id=ref, debit=accounts.BANK, credit=accounts.DONATIONS_RESTRICTED,
                                         amount=amount, value_date=on, description="test donation")], user=actor)
