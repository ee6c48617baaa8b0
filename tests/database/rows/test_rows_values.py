"""Cell values of each field type through the row API: what goes in comes back out."""

import pytest

from tests.database.helpers import insert_rows
from tests.database.rows.conftest import add, item_url, list_url

ROUND_TRIPS = [
    ("text", {}, "Ada", "Ada"),
    ("long_text", {}, "line 1\nline 2", "line 1\nline 2"),
    ("url", {}, "https://example.com/x", "https://example.com/x"),
    ("email", {}, "ada@example.com", "ada@example.com"),
    ("phone_number", {}, "+44 20 7946 0000", "+44 20 7946 0000"),
    ("number", {"number_decimal_places": 2}, "3.14", "3.14"),
    ("number", {"number_negative": True}, -7, "-7"),
    ("boolean", {}, True, True),
    ("rating", {"max_value": 5}, 4, 4),
    ("date", {}, "2024-03-01", "2024-03-01"),
    ("date", {"date_include_time": True}, "2024-03-01T10:22:33Z", "2024-03-01T10:22:33Z"),
]


@pytest.mark.parametrize(("type_name", "options", "sent", "expected"), ROUND_TRIPS)
def test_value_round_trip(client, user, table, type_name, options, sent, expected):
    field = add(user, table, type_name, "Cell", **options)
    created = client.post(list_url(table.id), {field.db_column: sent}, format="json")
    assert created.status_code == 200, created.json()
    assert created.json()[field.db_column] == expected
    row_id = created.json()["id"]
    assert client.get(item_url(table.id, row_id)).json()[field.db_column] == expected
    cleared = client.patch(item_url(table.id, row_id), {field.db_column: None}, format="json")
    if cleared.status_code == 200:  # nullable types clear, others fall back to their zero
        assert cleared.json()[field.db_column] in (None, "", 0, False)
    else:
        assert cleared.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


def test_computed_cells_are_listed_not_written(client, user, table, projects, people):
    autonumber = add(user, table, "autonumber", "No")
    lookup = add(
        user,
        table,
        "lookup",
        "Project names",
        through_field_id=people.link.id,
        target_field_id=people.project_name.id,
    )
    (project,) = insert_rows(projects, [{people.project_name.db_column: "Apollo"}])
    first = client.post(list_url(table.id), {people.link.db_column: [project]}, format="json")
    second = client.post(list_url(table.id), {}, format="json")
    assert first.json()[autonumber.db_column] == 1
    assert second.json()[autonumber.db_column] == 2
    assert first.json()[lookup.db_column] == [{"id": project, "value": "Apollo"}]
    refused = client.post(list_url(table.id), {lookup.db_column: []}, format="json")
    assert refused.json()["detail"] == (
        "Field of type lookup is read only and should not be set manually."
    )


def test_link_given_by_primary_text(client, table, projects, people):
    (project,) = insert_rows(projects, [{people.project_name.db_column: "Apollo"}])
    row = client.post(list_url(table.id), {people.link.db_column: ["Apollo"]}, format="json")
    assert [link["id"] for link in row.json()[people.link.db_column]] == [project]
    unknown = client.post(list_url(table.id), {people.link.db_column: [999]}, format="json")
    assert unknown.status_code == 400
    assert unknown.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
