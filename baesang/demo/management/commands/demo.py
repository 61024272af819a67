"""`baesang demo load`: prepare the demo foundation for a development database.

It creates one user per staff role (password ``baesang-demo``) and, through the
demo data of :mod:`baesang.demo.foundation`.
It is idempotent and refuses to run with ``BAESANG_ENV=production``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baesang.core import roles
from baesang.demo import foundation
from baesang.staff.signin import DEMO_TOTP_SECRET, second_factor_required, second_factor_set_demo

DEMO_PASSWORD = "baesang-demo"
DEMO_USERS = [
    ("admin", roles.ADMINISTRATOR, True),
    ("case", roles.CASE_OFFICER, False),
    ("finance", roles.FINANCE_OFFICER, False),
    ("approver", roles.APPROVER, False),
    ("auditor", roles.AUDITOR, False),
]


def demo_users_create() -> list[str]:
    roles.ensure_role_groups()
    user_model = get_user_model()
    created = []
    for username, role, is_superuser in DEMO_USERS:
        user, was_created = user_model.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": is_superuser}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(username)
        user.groups.add(Group.objects.get(name=role))
    for username, _role, _superuser in DEMO_USERS:
        user = user_model.objects.get(username=username)
        if second_factor_required(user):  # approver and admin: the documented demo TOTP secret
            second_factor_set_demo(user=user)
    return created


class Command(BaseCommand):
    help = "Demo foundation: `baesang demo load` creates demo users and data (development only)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load"], help="load: create demo users and data once")

    def handle(self, *args, action, **options):
        if settings.PRODUCTION:
            raise CommandError("the demo foundation is never loaded with BAESANG_ENV=production", returncode=2)
        with transaction.atomic():
            demo_users_create()
            foundation.load(stdout=self.stdout)
        self.stdout.write("Demo foundation ready. Sign in at http://127.0.0.1:8000/ with one of:")
        for username, role, _ in DEMO_USERS:
            self.stdout.write(f"  {username:<9} / {DEMO_PASSWORD}   ({roles.ROLES[role]})")
        self.stdout.write(
            f"approver and admin also need a second-factor code: add the demo key {DEMO_TOTP_SECRET} to an\n"
            "authenticator app, or run `baesang demo-code approver` for the current code."
        )
