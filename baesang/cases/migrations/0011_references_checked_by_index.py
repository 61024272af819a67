"""The payment tables' set-wise reference checks are planned without sequential scans
(baesang.cases.dbrules): a parent table filled in the same transaction after its statistics were
taken (a first large batch) looked empty to the planner, which then scanned it once per row."""

from django.db import migrations

from baesang.cases import dbrules


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0010_figures_cache'),
    ]

    operations = [
        migrations.RunPython(lambda apps, schema_editor: dbrules.install(schema_editor), migrations.RunPython.noop),
    ]
