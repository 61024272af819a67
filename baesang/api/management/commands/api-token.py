"""`baesang api-token`: create, list and revoke API tokens for integrations.

``baesang api-token create USER --name N`` prints the token once, and nothing else, on standard
output (so ``export BAESANG_CLI_TOKEN=$(baesang api-token create …)`` works); only its digest is
kept. It needs no operator token: it is how the first credential of an installation is made by
whoever runs commands on the machine, and the audit row names the channel ``cli`` and
``shell (bootstrap)``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from baesang.core.errors import DomainError
from baesang.core.services import CLI, acting_through
from baesang.staff.models import ApiToken
from baesang.staff.tokens import BOOTSTRAP_ACTOR, api_token_bootstrap, api_token_revoke


class Command(BaseCommand):
    help = "API tokens for integrations: create USER --name N (prints the token once), list, revoke ID."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token acting as USER")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="which integration uses it")
        listing = sub.add_parser("list", help="list tokens (never the token text)")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, action, **options):
        # the bootstrap of the first credential: the operator on the machine's shell, audited as such
        with acting_through(CLI, "shell (bootstrap)"):
            self._handle(action, options)

    def _handle(self, action, options):
        try:
            if action == "create":
                user = get_user_model().objects.filter(username=options["username"]).first()
                if user is None:
                    raise CommandError(f"no user named {options['username']!r}", returncode=2)
                token, raw = api_token_bootstrap(user=user, name=options["name"])
                self.stdout.write(raw)
                self.stderr.write(
                    f"API token #{token.pk} '{token.name}' acts as {user.get_username()}. It is shown only "
                    "now: store it in the integration's secret store."
                )
            elif action == "list":
                tokens = ApiToken.objects.select_related("user")
                if options.get("username"):
                    tokens = tokens.filter(user__username=options["username"])
                for token in tokens:
                    state = f"revoked {token.revoked_at:%Y-%m-%d}" if token.revoked_at else "active"
                    used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
                    self.stdout.write(
                        f"#{token.pk:<4} {token.prefix}…  {token.user.get_username():<12} {token.name:<30} "
                        f"created {token.created_at:%Y-%m-%d}  last used {used}  {state}"
                    )
            else:
                token = ApiToken.objects.filter(pk=options["token_id"]).first()
                if token is None:
                    raise CommandError(f"no API token #{options['token_id']}", returncode=2)
                api_token_revoke(token=token, actor=BOOTSTRAP_ACTOR)
                self.stdout.write(f"API token #{token.pk} '{token.name}' revoked")
        except DomainError as exc:
            raise CommandError(exc.message, returncode=2) from exc
