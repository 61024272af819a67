"""Donations received and donation receipts become append-only (triggers)."""

from django.db import migrations

from baesang.core.db import append_only_operation


class Migration(migrations.Migration):

    dependencies = [
        ("donations", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        append_only_operation("donations_donation"),
        append_only_operation("donations_donationreceipt"),
    ]
