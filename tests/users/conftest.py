import pytest


@pytest.fixture(autouse=True)
def _db(db):
    """Every users test talks to the database."""
