"""`baesang serve`: serve the application with a production-grade WSGI server (waitress)."""

from django.core.management.base import BaseCommand
from waitress import serve


class Command(BaseCommand):
    help = "Serve the staff application with waitress (a production-grade WSGI server)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args, host, port, threads, **options):
        # The application is built when the server starts, not when `baesang --help` lists commands.
        from baesang.wsgi import application  # noqa: PLC0415

        self.stdout.write(f"baesang is serving on http://{host}:{port}/ (Ctrl+C stops it)")
        self.stdout.flush()
        serve(application, host=host, port=port, threads=threads, ident="baesang")
