"""Transfers reference accounts through statement-level triggers instead of per-row foreign keys
(see baesang.ledger.dbrules for the rule and the measured reason); accounts are never deleted."""

import django.db.models.deletion
from django.db import migrations, models

from baesang.ledger.dbrules import install


class Migration(migrations.Migration):

    dependencies = [
        ('ledger', '0003_indexes'),
    ]

    operations = [
        migrations.AlterField(
            model_name='transfer',
            name='credit_account',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='credit_transfers', to='ledger.account'),
        ),
        migrations.AlterField(
            model_name='transfer',
            name='debit_account',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='debit_transfers', to='ledger.account'),
        ),
        migrations.RunPython(lambda apps, schema_editor: install(schema_editor), migrations.RunPython.noop),
    ]
