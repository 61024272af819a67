"""`baesang demo-code USER`: the current second-factor code of a demo user (development only).

The demo approver and administrator share the documented demo secret
(``baesang.staff.signin.DEMO_TOTP_SECRET``); this prints what an authenticator app would show,
so the demo can be tried without a phone. It refuses in production and for any user whose
second factor is not the demo secret.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from baesang.staff.models import SecondFactor
from baesang.staff.signin import DEMO_TOTP_SECRET, current_code


class Command(BaseCommand):
    help = "Print the current second-factor code of a demo user (development only)."

    def add_arguments(self, parser):
        parser.add_argument("username", help="a demo user with the demo second factor (approver, admin)")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION:
            raise CommandError("demo codes are never shown with BAESANG_ENV=production", returncode=2)
        user = get_user_model().objects.filter(username=username).first()
        factor = SecondFactor.objects.filter(user=user).first() if user else None
        if factor is None or factor.secret != DEMO_TOTP_SECRET:
            raise CommandError(f"{username!r} has no demo second factor (run `baesang demo load` first)", returncode=2)
        self.stdout.write(current_code(DEMO_TOTP_SECRET))
