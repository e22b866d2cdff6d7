"""One stored vector per sentence of a library document (verify.embeddings).

On SQLite, adding the columns rebuilds verify_librarydocument, which drops the full-text
triggers (see 0003): they are created again, and the update trigger now fires only when the
title or text change, so storing a document's vectors does not re-index its text.
"""

from importlib import import_module

from django.db import migrations, models

_fts = import_module("verify.migrations.0003_library_full_text_search")
UPDATE_OF_TEXT = """CREATE TRIGGER IF NOT EXISTS verify_librarydocument_fts_au
    AFTER UPDATE OF title, text ON verify_librarydocument BEGIN
    INSERT INTO verify_librarydocument_fts(verify_librarydocument_fts, rowid, title, text)
    VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO verify_librarydocument_fts(rowid, title, text)
    VALUES (new.id, new.title, new.text); END"""


def recreate_fts(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for sql in _fts.SQLITE_CREATE:
        schema_editor.execute(sql)
    schema_editor.execute("DROP TRIGGER IF EXISTS verify_librarydocument_fts_au")
    schema_editor.execute(UPDATE_OF_TEXT)


class Migration(migrations.Migration):

    dependencies = [
        ("verify", "0004_reference_not_assessed"),
    ]

    operations = [
        migrations.AddField(
            model_name="librarydocument",
            name="embeddings",
            field=models.BinaryField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="librarydocument",
            name="embeddings_key",
            field=models.CharField(blank=True, editable=False, max_length=100),
        ),
        migrations.RunPython(recreate_fts, migrations.RunPython.noop),
    ]
