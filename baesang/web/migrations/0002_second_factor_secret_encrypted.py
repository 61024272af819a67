# Second-factor secrets are encrypted at rest (baesang.pii); secrets stored before in plain text
# are encrypted in place.

import baesang.pii.fields
from django.db import migrations


def encrypt_plain_secrets(apps, schema_editor):
    from baesang.pii import crypto

    connection = schema_editor.connection
    table = "web_secondfactor"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, secret FROM {table}")
        rows = cursor.fetchall()
        for pk, secret in rows:
            if secret and not crypto.is_token(secret):
                cursor.execute(f"UPDATE {table} SET secret = %s WHERE id = %s", [crypto.encrypt(secret), pk])


class Migration(migrations.Migration):

    dependencies = [
        ('web', '0001_initial'),
        ('pii', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='secondfactor',
            name='secret',
            field=baesang.pii.fields.EncryptedTextField(help_text='base32 TOTP secret, encrypted at rest with BAESANG_FIELD_KEY'),
        ),
        migrations.RunPython(encrypt_plain_secrets, migrations.RunPython.noop),
    ]
