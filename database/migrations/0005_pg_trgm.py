"""pg_trgm on PostgreSQL, for the trigram indexes of indexed text fields (search, contains).

pg_trgm is a trusted extension: any role that may create objects in the database can install
it. Where even that is refused (a locked-down managed database), the migration still applies
and text fields get their b-tree index only.
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)


def install_pg_trgm(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError as exc:
        logger.warning("pg_trgm not installed (%s): text search indexes are skipped", exc)


class Migration(migrations.Migration):
    dependencies = [("database", "0004_views")]

    operations = [migrations.RunPython(install_pg_trgm, migrations.RunPython.noop)]
