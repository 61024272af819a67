"""Fewer indexes on transfers (each one costs time on every insert): the journal index without
PostgreSQL's extra "_like" twin, a partial unique index for "each pending is resolved once"
instead of a full one, and no "_like" index on the id. SQLite rebuilds the table to alter a
field, which drops its triggers, so the append-only triggers are installed again at the end."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from baesang.core.db import drop_append_only, make_append_only


def triggers_and_like_index(apps, schema_editor):
    drop_append_only(schema_editor, "ledger_transfer")
    make_append_only(schema_editor, "ledger_transfer")
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'ledger_transfer' "
                           "AND indexdef LIKE '%%varchar_pattern_ops%%'")
            names = [row[0] for row in cursor.fetchall()]
        for name in names:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0002_append_only_head_chart'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='transfer',
            name='journal',
            field=models.CharField(help_text='transfers created together, all or none', max_length=128),
        ),
        migrations.AlterField(
            model_name='transfer',
            name='pending',
            field=models.ForeignKey(blank=True, db_index=False, help_text='the pending transfer this one posts or voids (each pending is resolved once: see constraints)', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='resolutions', to='ledger.transfer'),
        ),
        migrations.AddIndex(
            model_name='transfer',
            index=models.Index(fields=['journal'], name='ledger_transfer_journal_idx'),
        ),
        migrations.AddConstraint(
            model_name='transfer',
            constraint=models.UniqueConstraint(condition=models.Q(('pending__isnull', False)), fields=('pending',), name='ledger_transfer_pending_resolved_once'),
        ),
        migrations.RunPython(triggers_and_like_index, migrations.RunPython.noop),
    ]
