"""PostgreSQL: statistics of UPPER(column) for the existing text fields' columns, which new
fields get when their column is made (see table_models.create_search_statistics)."""

from django.db import migrations

# The field types whose search compares UPPER(column) (trigram_searchable), at this migration.
TEXT_TYPES = ("text", "long_text", "url", "email", "phone_number")

# The text fields whose column exists, as (table id, field id).
COLUMNS = """
SELECT f.table_id, f.id FROM database_field f
JOIN information_schema.columns c ON c.table_schema = current_schema()
 AND c.table_name = 'database_table_' || f.table_id AND c.column_name = 'field_' || f.id
WHERE f.type = ANY(%s)
"""


def create_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(COLUMNS, [list(TEXT_TYPES)])
        for table_id, field_id in cursor.fetchall():
            cursor.execute(
                f'CREATE STATISTICS IF NOT EXISTS "tbl{table_id}_fld{field_id}_stx" '
                f'ON (UPPER("field_{field_id}")) FROM "database_table_{table_id}"'
            )


def drop_statistics(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT stxname FROM pg_statistic_ext WHERE stxnamespace = current_schema()::regnamespace"
            " AND stxname LIKE 'tbl%_fld%_stx'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP STATISTICS IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("database", "0007_table_data_version")]

    operations = [migrations.RunPython(create_statistics, drop_statistics)]
