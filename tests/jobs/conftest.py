"""Jobs work on tables: reuse the database fixtures."""

from tests.database.conftest import database_app, make_table, table, workspace

__all__ = ["database_app", "make_table", "table", "workspace"]
