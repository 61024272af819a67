"""The ``baesang`` console command.

``baesang`` with no argument or ``--help`` lists baesang's own subcommands; any other
argument is handed to Django's management machinery with the same settings and
``DATABASE_URL``, so ``baesang migrate`` and ``baesang createsuperuser`` work too.
Each subcommand is a management command of one of baesang's apps.

Output read by a program that stops early (``baesang report fund | head``) ends the command
quietly: no traceback, exit status :data:`BROKEN_PIPE_STATUS` (128 + SIGPIPE, what a shell
reports for a program the pipe closed on). Whatever the command changed was committed before
it wrote its result.
"""

from __future__ import annotations

import os
import sys

import django
from django.core.exceptions import ImproperlyConfigured
from django.core.management import execute_from_command_line, get_commands, load_command_class


def _baesang_commands() -> dict[str, str]:
    """Management commands that belong to baesang's apps, with their one-line help."""

    commands: dict[str, str] = {}
    for name, app in sorted(get_commands().items()):
        if not app.startswith("baesang"):
            continue
        try:
            command = load_command_class(app, name)
            commands[name] = (command.help or "").strip().splitlines()[0] if command.help else ""
        except Exception as exc:  # a broken command must not hide the others
            commands[name] = f"(cannot load: {exc})"
    return commands


def _print_help() -> None:
    print("usage: baesang <command> [options]\n")
    print("baesang — system of record for court-ordered compensation of forced-labour victims.\n")
    print("Commands:")
    commands = _baesang_commands()
    width = max((len(n) for n in commands), default=10)
    for name, help_text in commands.items():
        print(f"  {name.ljust(width)}  {help_text}")
    print(
        "\nDjango's management commands pass through as well (baesang migrate, "
        "baesang createsuperuser, ...);\n`baesang help --commands` lists them all, "
        "`baesang <command> --help` explains one."
    )


#: Exit status when the reader of standard output went away (128 + SIGPIPE).
BROKEN_PIPE_STATUS = 141


def _quiet_broken_pipe() -> None:
    """Point standard output at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (an embedding caller's stream)
        pass


def main(argv: list[str] | None = None) -> None:
    try:
        _main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        _quiet_broken_pipe()
        raise SystemExit(BROKEN_PIPE_STATUS) from None


def _main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baesang.settings")

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # a missing or weak secret: one line, no traceback
        print(f"baesang: cannot start: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if not argv or argv[0] in {"-h", "--help"}:
        _print_help()
        return

    execute_from_command_line(["baesang", *argv])


if __name__ == "__main__":
    main()
