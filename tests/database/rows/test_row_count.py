"""The maintained row count: exact after every write; it spares list requests a COUNT."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from database.compose.tables import table_create_unchecked, table_duplicate
from database.tables.models import Table, TableCounts
from database.tables.selectors import table_counts
from tests.database.helpers import insert_rows


def stored_and_real(table: Table) -> tuple[int, int]:
    stored = table_counts(Table.objects.get(id=table.id))[0]
    with connection.cursor() as cursor:
        quoted = connection.ops.quote_name(table.db_table)
        cursor.execute(f"SELECT COUNT(*) FROM {quoted} WHERE NOT trashed")
        (real,) = cursor.fetchone()
    return stored, real


def rows_url(table: Table) -> str:
    return f"/api/database/rows/table/{table.id}/"


def test_count_follows_creates_and_deletes_through_the_api(client_for, user, table):
    client = client_for(user)
    assert stored_and_real(table) == (0, 0)
    created = client.post(rows_url(table), {}, format="json").json()
    batch = client.post(rows_url(table) + "batch/", {"items": [{}] * 5}, format="json").json()
    assert stored_and_real(table) == (6, 6)
    client.delete(f"{rows_url(table)}{created['id']}/")
    ids = [row["id"] for row in batch["items"][:3]]
    client.post(rows_url(table) + "batch-delete/", {"items": ids}, format="json")
    assert stored_and_real(table) == (2, 2)
    # A failing batch changes nothing, the count included.
    failing = client.post(rows_url(table) + "batch-delete/", {"items": [ids[0]]}, format="json")
    assert failing.status_code == 404
    assert stored_and_real(table) == (2, 2)
    assert client.get(rows_url(table)).json()["count"] == 2


def test_tables_made_with_rows_and_their_copies_are_counted(user, table, database_app):
    insert_rows(table, [{}, {}, {}])
    made = table_create_unchecked(database=database_app, name="Default")
    assert stored_and_real(made) == (2, 2)  # the default table's two empty rows
    copy = table_duplicate(user=user, table_id=table.id)
    assert stored_and_real(copy) == (3, 3)


def test_an_unfiltered_list_reads_the_count_and_a_filtered_one_counts(client_for, user, table):
    name = table.fields.get()
    insert_rows(table, [{name.db_column: "Ada"}, {name.db_column: "Alan"}])
    client = client_for(user)
    with CaptureQueriesContext(connection) as plain:
        assert client.get(rows_url(table)).json()["count"] == 2
    assert not any("COUNT(" in q["sql"].upper() for q in plain.captured_queries)
    with CaptureQueriesContext(connection) as searched:
        assert client.get(rows_url(table), {"search": "ala"}).json()["count"] == 1
    assert any("COUNT(" in q["sql"].upper() for q in searched.captured_queries)
    filtered = client.get(rows_url(table), {f"filter__{name.db_column}__equal": "Ada"})
    assert filtered.json()["count"] == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's xmin")
def test_row_writes_leave_the_table_row_alone(client_for, user, table):
    """Schema changes lock the table's row: a write that updated it after writing rows could
    wait there for a schema change that waits for the write (a deadlock). Row writes keep
    their figures in the table's `TableCounts` row instead."""

    def table_row_version() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT xmin::text FROM database_table WHERE id = %s", [table.id])
            return cursor.fetchone()[0]

    client = client_for(user)
    before = table_row_version()
    created = client.post(rows_url(table), {}, format="json").json()
    client.patch(f"{rows_url(table)}{created['id']}/", {}, format="json")
    client.post(rows_url(table) + "batch/", {"items": [{}] * 3}, format="json")
    client.delete(f"{rows_url(table)}{created['id']}/")
    assert table_row_version() == before
    assert stored_and_real(table) == (3, 3)
    assert TableCounts.objects.get(table_id=table.id).data_version == 4
