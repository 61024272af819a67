"""`baesang demo load`: prepare the demo foundation for a development database.
`baesang demo scale --claims N`: build a whole foundation of N claims on an empty PostgreSQL
database (:mod:`baesang.demo.scale`), then run the checks of the tests.

`load` creates one user per staff role (password ``baesang-demo``) and the demo data of
:mod:`baesang.demo.foundation`; it is idempotent. Both refuse to run with ``BAESANG_ENV=production``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from baesang.core import roles
from baesang.core.progress import command_progress
from baesang.demo import foundation, scale
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
    help = ("Demo foundation: `baesang demo load` creates demo users and data; `baesang demo scale --claims N` "
            "builds a foundation of N claims on an empty PostgreSQL database (development and benchmarks only).")

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["load", "scale"],
                            help="load: create demo users and data once; scale: build the world at scale")
        parser.add_argument("--claims", type=int, default=5_000, help="scale: number of claims (default 5,000)")
        parser.add_argument("--heirs-share", type=float, default=0.6,
                            help="scale: share of victims represented by heirs (default 0.6)")
        parser.add_argument("--seed", type=int, default=1, help="scale: seed of the generator (default 1)")
        parser.add_argument("--paid-share", type=float, default=0.05,
                            help="scale: share of claims paid in earlier batches (default 0.05)")
        parser.add_argument("--accepted-share", type=float, default=0.85,
                            help="scale: share of offered claims whose holders accepted (default 0.85; 0.995 for a "
                                 "world where nearly everyone waits to be paid)")
        parser.add_argument("--deposits", type=int, default=300,
                            help="scale: refusing holders whose part is deposited with a court (default 300)")

    def handle(self, *args, action, **options):
        if settings.PRODUCTION:
            raise CommandError("the demo foundation is never loaded with BAESANG_ENV=production", returncode=2)
        if action == "scale":
            self.scale(options)
            return
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

    def scale(self, options) -> None:
        shares = (options["heirs_share"], options["paid_share"], options["accepted_share"])
        if options["claims"] < 1 or not all(0 <= share <= 1 for share in shares) or options["accepted_share"] > 0.995:
            raise CommandError("--claims must be at least 1; --heirs-share and --paid-share between 0 and 1, "
                               "--accepted-share between 0 and 0.995 (0.5 % refuse)", returncode=2)
        try:
            scale.refuse_unless_empty_postgres()
        except scale.ScaleRefused as exc:
            raise CommandError(str(exc), returncode=2) from exc
        demo_users_create()
        settings_ = scale.Options(claims=options["claims"], heirs_share=options["heirs_share"], seed=options["seed"],
                                  paid_share=options["paid_share"], deposits=options["deposits"],
                                  accepted_share=options["accepted_share"])
        self.stdout.write(f"Building the world at scale: {settings_.claims:,} claims, heirs share "
                          f"{settings_.heirs_share}, seed {settings_.seed}")
        with command_progress(self, scale.STAGES) as progress:
            report = scale.build(settings_, stdout=self.stdout, progress=progress)
        self.stdout.write(f"Built in {report.phases['build']:.1f} s; checks in {report.phases['checks']:.1f} s.")
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count:,}")
        failed = []
        for name in ("ledger verify", "each holder paid once", "fund report reconciled",
                     "public figures equal the ledger's"):
            ok = report.checks[name]
            self.stdout.write(f"  check {name}: {'OK' if ok else 'FAILED'} "
                              f"({report.checks['timings'].get(_TIMING[name], 0):.1f} s)")
            if not ok:
                failed.append(name)
        self.stdout.write(f"  staff figures of the day computed and kept (one pass over the claims): "
                          f"{report.checks['timings'].get('figures pass', 0):.1f} s")
        self.stdout.write(f"  fund report: {report.checks['fund report']}")
        if failed:
            raise CommandError(f"the world at scale failed its checks: {', '.join(failed)}", returncode=1)


_TIMING = {"ledger verify": "ledger verify", "each holder paid once": "paid once",
           "fund report reconciled": "fund report", "public figures equal the ledger's": "public figures"}
