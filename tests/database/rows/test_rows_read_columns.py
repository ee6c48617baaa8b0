"""Row reads skip the row's own timestamps unless a shown field reads them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from database.fields.services import field_create
from tests.database.helpers import insert_rows


@pytest.mark.django_db
def test_rows_read_their_timestamps_only_for_fields_that_show_them(client_for, user, table):
    client = client_for(user)
    insert_rows(table, [{}, {}])
    url = reverse("api:rows:list", kwargs={"table_id": table.id})
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json()["count"] == 2
    rows_query = next(q["sql"] for q in queries if f"database_table_{table.id}" in q["sql"])
    assert "created_on" not in rows_query and "updated_on" not in rows_query

    for type_name, name in (("created_on", "Created"), ("last_modified", "Changed")):
        field_create(user=user, table=table, type=type_name, name=name, options={})
    table.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        rows = client.get(f"{url}?user_field_names=true").json()["results"]
    stamps = [(row["Created"], row["Changed"]) for row in rows]
    assert all(created and changed for created, changed in stamps)
    # Both columns come with the page, not a query per row.
    assert sum(f"database_table_{table.id}" in q["sql"] for q in queries) == 1
