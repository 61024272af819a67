

import baesang.pii.fields
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_holdings_moved_here'),
        ('judgments', '0006_death_recorded'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HolderChangeProposal',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('holders', 'who holds a claim (채권자 변경)'), ('account', "a holder's bank account (계좌 변경)")], max_length=10)),
                ('state', models.CharField(choices=[('proposed', 'awaiting a second person (승인 대기)'), ('approved', 'approved (승인)'), ('rejected', 'rejected (반려)')], default='proposed', max_length=10)),
                ('basis', models.CharField(blank=True, choices=[('plaintiff', 'the plaintiff named in the judgment'), ('heirship', 'statutory heirship computed from a family file (상속)'), ('document', 'shares entered from a document')], max_length=20)),
                ('shares', models.JSONField(blank=True, help_text="[{person, share 'n/d'}] of the whole claim", null=True)),
                ('replaces', models.JSONField(blank=True, help_text='ids of the holdings the change replaces', null=True)),
                ('family', models.JSONField(blank=True, null=True)),
                ('family_sha256', models.CharField(blank=True, max_length=64)),
                ('explanation', models.JSONField(blank=True, null=True)),
                ('regime', models.CharField(blank=True, max_length=40)),
                ('valid_from', models.DateField(blank=True, null=True)),
                ('bank_name', models.CharField(blank=True, max_length=60)),
                ('bank_account', baesang.pii.fields.EncryptedTextField(blank=True, mask='bank_account')),
                ('reason', models.TextField(blank=True)),
                ('proposed_at', models.DateTimeField(auto_now_add=True)),
                ('decided_at', models.DateTimeField(blank=True, null=True)),
                ('decision_note', models.TextField(blank=True)),
                ('change', models.ForeignKey(blank=True, help_text='the holder change made on approval', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cases.holderchange')),
                ('claim', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='holder_proposals', to='judgments.claim')),
                ('decedent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='judgments.person')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='judgments.document')),
                ('person', models.ForeignKey(blank=True, help_text='whose bank account changes (kind account)', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='judgments.person')),
                ('proposed_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'holder change proposal (채권자·계좌 변경 제안)',
                'ordering': ['-proposed_at', '-id'],
                'indexes': [models.Index(fields=['state', 'kind'], name='cases_holde_state_46fef9_idx'), models.Index(fields=['person', 'state'], name='cases_holde_person__41df73_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['holders', 'account'])), name='proposal_kind_known'), models.CheckConstraint(condition=models.Q(('state__in', ['proposed', 'approved', 'rejected'])), name='proposal_state_known'), models.CheckConstraint(condition=models.Q(('decided_by__isnull', True), models.Q(('decided_by', models.F('proposed_by')), _negated=True), _connector='OR'), name='proposal_four_eyes'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'proposed'), ('decided_by__isnull', True), ('decided_at__isnull', True)), models.Q(models.Q(('state', 'proposed'), _negated=True), ('decided_by__isnull', False), ('decided_at__isnull', False)), _connector='OR'), name='proposal_decided_with_decider'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'holders'), ('claim__isnull', False), ('shares__isnull', False)), models.Q(('kind', 'account'), ('person__isnull', False)), _connector='OR'), name='proposal_kind_has_subject'), models.CheckConstraint(condition=models.Q(models.Q(('state', 'approved'), _negated=True), models.Q(('kind', 'holders'), _negated=True), ('change__isnull', False), _connector='OR'), name='proposal_approved_holders_has_change')],
            },
        ),
    ]
