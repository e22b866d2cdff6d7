"""The audit trail refuses UPDATE and DELETE in PostgreSQL itself, not only through the ORM;
claims that already carry a verdict start out at the final stage."""

from django.db import migrations

TRIGGER = """
CREATE OR REPLACE FUNCTION claims_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'claims_auditevent is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER claims_auditevent_append_only
    BEFORE UPDATE OR DELETE ON claims_auditevent
    FOR EACH ROW EXECUTE FUNCTION claims_auditevent_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS claims_auditevent_append_only ON claims_auditevent;
DROP FUNCTION IF EXISTS claims_auditevent_append_only();
"""


def add_trigger(apps, schema_editor):
    # SQLite test databases are flushed with DELETE, which a trigger would refuse; PostgreSQL
    # flushes with TRUNCATE, which a row trigger does not see.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER, params=None)  # no placeholders: "%" is plpgsql


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


def backfill_stage(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    Claim.objects.exclude(review_state="pending").update(stage="final")


class Migration(migrations.Migration):
    dependencies = [("claims", "0004_review_workflow_stage_lock_comments_audit")]

    operations = [
        migrations.RunPython(add_trigger, drop_trigger),
        migrations.RunPython(backfill_stage, migrations.RunPython.noop),
    ]
