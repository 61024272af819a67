"""Donation reversals (four eyes) and receipt cancellations (append-only)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from baesang.core.db import append_only_operation


class Migration(migrations.Migration):

    dependencies = [
        ('donations', '0002_append_only'),
        ('ledger', '0004_account_rules'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='DonationReversal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField()),
                ('state', models.CharField(choices=[('proposed', 'proposed (제안)'), ('approved', 'approved and booked (승인·기입)'), ('rejected', 'rejected (반려)')], default='proposed', max_length=10)),
                ('proposed_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.TextField(blank=True)),
                ('reversed_on', models.DateField(blank=True, help_text='value date of the reversing transfer', null=True)),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('donation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reversals', to='donations.donation')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('transfer', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='donation_reversal', to='ledger.transfer')),
            ],
            options={
                'verbose_name': 'donation reversal (기부금 입금 취소)',
                'ordering': ['-proposed_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='ReceiptCancellation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField()),
                ('cancelled_on', models.DateField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('cancelled_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('receipt', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='cancellation', to='donations.donationreceipt')),
                ('reversal', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='receipt_cancellation', to='donations.donationreversal')),
            ],
            options={
                'verbose_name': 'donation receipt cancellation (기부금 영수증 취소)',
                'ordering': ['cancelled_on', 'id'],
            },
        ),
        migrations.AddConstraint(
            model_name='donationreversal',
            constraint=models.CheckConstraint(condition=models.Q(('decided_by__isnull', True), models.Q(('decided_by', models.F('proposed_by')), _negated=True), _connector='OR'), name='donations_reversal_four_eyes'),
        ),
        migrations.AddConstraint(
            model_name='donationreversal',
            constraint=models.UniqueConstraint(condition=models.Q(('state__in', ['proposed', 'approved'])), fields=('donation',), name='donations_reversal_one_open_or_approved'),
        ),
        migrations.AddConstraint(
            model_name='donationreversal',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('state', 'approved'), _negated=True), models.Q(('decided_by__isnull', False), ('reversed_on__isnull', False), ('transfer__isnull', False)), _connector='OR'), name='donations_reversal_approved_is_booked'),
        ),
        migrations.AddConstraint(
            model_name='donationreversal',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='donations_reversal_reason_required'),
        ),
        migrations.AddIndex(
            model_name='donation',
            index=models.Index(fields=['value_date', 'id'], name='donations_donation_date_id'),
        ),
        append_only_operation("donations_receiptcancellation"),
    ]
