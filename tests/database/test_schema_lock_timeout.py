"""Schema changes give up on locks after SCHEMA_LOCK_TIMEOUT and answer 409 (PostgreSQL)."""

import time

import psycopg
import pytest
from django.db import connection

from database.fields.models import Field
from database.fields.services import field_create
from tests.database.helpers import POSTGRESQL_CONCURRENCY

pytestmark = POSTGRESQL_CONCURRENCY

FIELDS = "/api/database/fields"
CONFLICT = "ERROR_FAILED_TO_LOCK_TABLE_DUE_TO_CONFLICT"


@pytest.fixture
def other_session():
    """A connection of its own to the test database, as another request's would be."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as session:
        yield session


@pytest.fixture
def amount(user, busy_table, settings):
    settings.SCHEMA_LOCK_TIMEOUT = 500
    field, _ = field_create(user=user, table=busy_table, type="text", name="Amount")
    return field


def change_type(client, field: Field) -> tuple[float, object]:
    started = time.monotonic()
    response = client.patch(f"{FIELDS}/{field.id}/", {"type": "number"}, format="json")
    return time.monotonic() - started, response


def test_a_type_change_behind_a_long_row_write_answers_409(user_client, amount, other_session):
    # A row write holds its shared lock on the table (lock_table_for_rows) for a long time.
    other_session.execute(
        "SELECT id FROM database_table WHERE id = %s FOR KEY SHARE", [amount.table_id]
    )
    elapsed, response = change_type(user_client, amount)
    assert response.status_code == 409
    assert response.json()["error"] == CONFLICT
    assert "try again" in response.json()["detail"]
    assert elapsed < 5
    assert Field.objects.get(id=amount.id).type == "text"
    other_session.rollback()
    elapsed, response = change_type(user_client, amount)
    assert response.status_code == 200, response.json()
    assert Field.objects.get(id=amount.id).type == "number"


def test_a_field_change_behind_a_long_read_of_the_rows_answers_409(
    user_client, amount, other_session
):
    # A long read of the table's rows holds its lock on the data, which the DDL needs alone.
    other_session.execute(f'SELECT * FROM "database_table_{amount.table_id}"')
    for request in (
        lambda: user_client.patch(f"{FIELDS}/{amount.id}/", {"type": "number"}, format="json"),
        lambda: user_client.post(
            f"{FIELDS}/table/{amount.table_id}/", {"name": "N", "type": "text"}, format="json"
        ),
    ):
        started = time.monotonic()
        response = request()
        assert response.status_code == 409, response.json()
        assert response.json()["error"] == CONFLICT
        assert time.monotonic() - started < 5
    # A delete only moves the field to the trash (no DDL): it does not wait for the read.
    started = time.monotonic()
    assert user_client.delete(f"{FIELDS}/{amount.id}/").status_code == 200
    assert time.monotonic() - started < 5
    other_session.rollback()
    assert Field.objects.filter(table_id=amount.table_id).count() == 1
