import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("judgments", "0005_holdings_moved_to_cases"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="death_document",
            field=models.ForeignKey(blank=True, help_text="the evidence of the death (e.g. a basic certificate, "
                                    "기본증명서)", null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to="judgments.document"),
        ),
        migrations.AlterField(
            model_name="person",
            name="death_date",
            field=models.DateField(blank=True, help_text="set through person_death_record (a recorded fact with its "
                                   "evidence), or at registration", null=True),
        ),
    ]
