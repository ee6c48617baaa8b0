"""Jobs work on tables: reuse the database fixtures; the test-only slow job type is registered."""

import tests.jobs.slow_job  # noqa: F401  (registers the slow_for_tests job type)
from tests.database.conftest import database_app, make_table, table, workspace

__all__ = ["database_app", "make_table", "table", "workspace"]
