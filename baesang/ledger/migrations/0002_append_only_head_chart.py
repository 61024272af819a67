"""Transfers become append-only (triggers); the chain head row and the chart of accounts are created."""

from django.db import migrations

from baesang.core.db import append_only_operation


def head_and_chart(apps, schema_editor):
    from baesang.ledger.accounts import chart_create_historical
    from baesang.ledger.models import GENESIS_HASH

    apps.get_model("ledger", "LedgerHead").objects.get_or_create(id=1, defaults={"seq": 0, "hash": GENESIS_HASH})
    chart_create_historical(apps.get_model("ledger", "Account"))


class Migration(migrations.Migration):

    dependencies = [
        ("ledger", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        append_only_operation("ledger_transfer"),
        migrations.RunPython(head_and_chart, migrations.RunPython.noop),
    ]
