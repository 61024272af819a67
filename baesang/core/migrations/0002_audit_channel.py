"""The audit log records the channel (web, API, command line) and the credential used.

The append-only triggers are dropped around the new columns (SQLite rebuilds the table to add
a column, and a rebuilt table has no triggers) and installed again."""

from django.db import migrations, models

from baesang.core.db import drop_append_only, make_append_only

TABLE = "core_auditevent"


def _drop(apps, schema_editor):
    drop_append_only(schema_editor, TABLE)


def _make(apps, schema_editor):
    make_append_only(schema_editor, TABLE)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_drop, _make),
        migrations.AddField(
            model_name="auditevent",
            name="channel",
            field=models.CharField(blank=True, choices=[("web", "staff screens (session)"), ("api", "REST API"),
                                                        ("cli", "command line")], default="",
                                   help_text="empty for work done by the system itself (migrations, the demo "
                                   "loader, tests)", max_length=10),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="credential",
            field=models.CharField(blank=True, default="", help_text="what proved who acted: 'session', or 'token "
                                   "bsg_…' (the token's prefix), with '+otp' when a second factor was checked for "
                                   "this action", max_length=80),
            preserve_default=False,
        ),
        migrations.RunPython(_make, _drop),
    ]
