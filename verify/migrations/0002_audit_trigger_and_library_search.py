"""What the ORM cannot say, for the database this runs on.

The audit trail refuses UPDATE and DELETE in PostgreSQL itself, not only through the ORM
(SQLite test databases are flushed with DELETE, which a trigger would refuse; PostgreSQL
flushes with TRUNCATE, which a row trigger does not see).

Full-text search for the reference library:
* PostgreSQL: a GIN index on the same tsvector expression verify.evidence.sources.library
  queries (SearchVector("title", "text", config="english")), so `@@` can use it.
* SQLite: an FTS5 table with external content (the rows stay in verify_librarydocument)
  and three triggers that keep it in sync on insert, update and delete; `rebuild` fills it
  from documents that existed before this migration. Triggers rather than a rebuild on save:
  they also cover bulk_create, update() and the admin, and the index can never drift.

Careful: on SQLite, a later migration that alters verify_librarydocument makes Django rebuild
the table, which drops its triggers. Such a migration must run `create_search` again.
"""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION verify_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'verify_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER verify_auditevent_append_only
    BEFORE UPDATE OR DELETE ON verify_auditevent
    FOR EACH ROW EXECUTE FUNCTION verify_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS verify_auditevent_append_only ON verify_auditevent;
DROP FUNCTION IF EXISTS verify_auditevent_append_only();
"""


def add_trigger(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)  # no placeholders: "%" is plpgsql


def drop_trigger(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


PG_INDEX = """
CREATE INDEX IF NOT EXISTS verify_librarydocument_fts ON verify_librarydocument
USING GIN (to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || COALESCE(text, '')))
"""
PG_DROP = "DROP INDEX IF EXISTS verify_librarydocument_fts"

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS verify_librarydocument_fts USING fts5(
        title, text, content='verify_librarydocument', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS verify_librarydocument_fts_ai
        AFTER INSERT ON verify_librarydocument BEGIN
        INSERT INTO verify_librarydocument_fts(rowid, title, text)
        VALUES (new.id, new.title, new.text); END""",
    """CREATE TRIGGER IF NOT EXISTS verify_librarydocument_fts_ad
        AFTER DELETE ON verify_librarydocument BEGIN
        INSERT INTO verify_librarydocument_fts(verify_librarydocument_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text); END""",
    # Only when the text changes: storing a document's sentence vectors does not re-index it.
    """CREATE TRIGGER IF NOT EXISTS verify_librarydocument_fts_au
        AFTER UPDATE OF title, text ON verify_librarydocument BEGIN
        INSERT INTO verify_librarydocument_fts(verify_librarydocument_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO verify_librarydocument_fts(rowid, title, text)
        VALUES (new.id, new.title, new.text); END""",
    "INSERT INTO verify_librarydocument_fts(verify_librarydocument_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS verify_librarydocument_fts_ai",
    "DROP TRIGGER IF EXISTS verify_librarydocument_fts_ad",
    "DROP TRIGGER IF EXISTS verify_librarydocument_fts_au",
    "DROP TABLE IF EXISTS verify_librarydocument_fts",
]


def create_search(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_INDEX)
    elif vendor == "sqlite":
        for sql in SQLITE_CREATE:
            schema_editor.execute(sql)


def drop_search(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DROP)
    elif vendor == "sqlite":
        for sql in SQLITE_DROP:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("verify", "0001_initial")]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(create_search, drop_search),
    ]
