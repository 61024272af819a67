"""On PostgreSQL, a GIN index (``jsonb_path_ops``) on ``Person.search_keys``: a whole name
(``김영수``, ``Kim Young-soo``) is found by its keys' containment (``search_keys @> '["gim:yongsu"]'``),
one exact look-up per key, instead of the trigram index of ``search_text`` (migration 0009), whose
common trigrams (``gim``) make every such search read millions of entries: 470 ms → 8 ms at 6.2
million persons. The trigram index stays for a lone surname or given name (parts of a key).
SQLite has no such index and keeps ``contains`` on ``search_text``."""

from django.db import migrations

KEYS_INDEX = "judgments_person_search_keys_gin"


def keys_index_create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {KEYS_INDEX} ON judgments_person "
                          "USING gin (search_keys jsonb_path_ops)")


def keys_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {KEYS_INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ('judgments', '0009_keyset_and_search_indexes'),
    ]

    operations = [
        migrations.RunPython(keys_index_create, keys_index_drop),
    ]
