"""Fixtures of the views tests."""

import pytest

from tests.database.filters.helpers import create
from tests.database.helpers import insert_rows, primary_of


@pytest.fixture
def people(user, table):
    """Ada 36, Bob 20, Cy (no age), Dee 50."""
    age = create(user, table, "number", "Age")
    name = primary_of(table)
    ids = insert_rows(
        table,
        [
            {name.db_column: "Ada", age.db_column: "36"},
            {name.db_column: "Bob", age.db_column: "20"},
            {name.db_column: "Cy"},
            {name.db_column: "Dee", age.db_column: "50"},
        ],
    )
    return {"name": name, "age": age, "ids": ids}
