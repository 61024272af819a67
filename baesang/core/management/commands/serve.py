"""`baesang serve`: serve the application with gunicorn, several worker processes (docs/deploy.md).

Why gunicorn: Django renders pages in Python, and one Python process uses one core at a time
(the interpreter lock), so a server that only adds threads cannot use a second core. gunicorn
pre-forks worker processes — ``--workers``, by default ``2 × cores + 1`` as gunicorn advises —
and restarts one that dies or hangs. Each worker is a ``gthread`` worker with ``--threads``
threads: a slow page or a long streamed export occupies one thread, not a whole process, and
the worker's heartbeat does not depend on a request finishing, so a long download is not cut
by ``--timeout``. Workers are recycled after about ``--max-requests`` requests (memory of a long
life given back).

The application is loaded once in the master process and forked (``preload_app``); database
connections are never shared across the fork: each worker opens its own, kept for
``BAESANG_DB_CONN_MAX_AGE`` seconds and health-checked before reuse (settings). One app server
therefore holds up to ``workers × threads`` database connections.

Static files are served by the application itself (WhiteNoise); no access log is written by
default: URLs of the staff pages carry searched names, which stay out of logs
(docs/personal-data.md).
"""

from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from gunicorn.app.base import BaseApplication
from gunicorn.util import import_app

WSGI_APPLICATION = "baesang.wsgi:application"


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def default_workers() -> int:
    """gunicorn's advice: two workers per core plus one (one waits on the database while another computes)."""
    return 2 * available_cores() + 1


def _close_connections_before_fork(server, worker) -> None:
    """Run in the master before each fork: a connection it opened (while loading the application)
    is closed, so no worker inherits a socket that another process also uses."""
    connections.close_all()


class BaesangServer(BaseApplication):
    """gunicorn with its configuration from the command's options (no configuration file read)."""

    def __init__(self, options: dict) -> None:
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return import_app(WSGI_APPLICATION)


class Command(BaseCommand):
    help = "Serve the staff application with gunicorn: --workers processes (default 2 × cores + 1)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
        parser.add_argument("--workers", type=int, default=None,
                            help=f"worker processes (default 2 × cores + 1 = {default_workers()} here)")
        parser.add_argument("--threads", type=int, default=2,
                            help="threads per worker (default 2); database connections = workers × threads")
        parser.add_argument("--timeout", type=int, default=120,
                            help="seconds a silent worker is given before it is restarted (default 120)")
        parser.add_argument("--max-requests", type=int, default=2000,
                            help="recycle a worker after about this many requests (default 2000; 0: never)")
        parser.add_argument("--access-log", default=None, metavar="FILE",
                            help="write an access log to FILE ('-' for standard output); none by default, "
                                 "because URLs carry searched names")

    def handle(self, *args, host: str, port: int, workers: int | None, threads: int, timeout: int,
               max_requests: int, access_log: str | None, **options):
        workers = workers if workers is not None else default_workers()
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1")
        server = BaesangServer({
            "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
            "workers": workers,
            "worker_class": "gthread",
            "threads": threads,
            "timeout": timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            "max_requests": max_requests,
            "max_requests_jitter": max_requests // 10,
            "preload_app": True,
            "pre_fork": _close_connections_before_fork,
            "proc_name": "baesang",
            "accesslog": access_log,
            "errorlog": "-",
            "loglevel": "warning",
        })
        self.stdout.write(f"baesang is serving on http://{host}:{port}/ with {workers} worker processes × "
                          f"{threads} threads (Ctrl+C stops it)")
        self.stdout.flush()
        server.run()
