"""Fixtures of the trash tests: those of the database app, and a second table."""

import pytest

from tests.database.conftest import database_app, make_table, table, workspace  # noqa: F401


@pytest.fixture
def other(make_table):  # noqa: F811
    return make_table("Other")
