"""Row change history: recorded by row updates, read at …/{row_id}/history/."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from database.fields.models import Field
from database.fields.services import field_delete
from database.rows.history import row_history_list
from database.rows.models import RowHistory
from database.rows.services import rows_update
from database.tables.models import Table
from database.tasks import prune_row_history
from tests.database.helpers import insert_rows, purge_trash
from tests.database.rows.conftest import batch_url, item_url
from tests.database.rows.test_rows_api import NOT_MEMBER, TABLE_MISSING, missing
from tests.database.tokens.conftest import NOT_PROVIDED

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def history_url(table_id: int, row_id: int) -> str:
    return reverse("api:rows:history", kwargs={"table_id": table_id, "row_id": row_id})


def results(client, table, row_id: int, **query) -> list[dict]:
    response = client.get(history_url(table.id, row_id), query)
    assert response.status_code == 200, response.json()
    return response.json()["results"]


@pytest.fixture
def row(table, people):
    (row_id,) = insert_rows(table, [{people.name.db_column: "Ada", people.age.db_column: "36"}])
    return row_id


def test_a_patch_records_what_it_changed(client, user, table, people, row):
    name, age, done = people.name.db_column, people.age.db_column, people.done.db_column
    body = {name: "Ada", age: "37", done: True}  # the name is written unchanged
    assert client.patch(item_url(table.id, row), body, format="json").status_code == 200
    response = client.get(history_url(table.id, row))
    assert response.status_code == 200
    page = response.json()
    assert (page["count"], page["next"], page["previous"]) == (1, None, None)
    (entry,) = page["results"]
    assert set(entry) == {
        "id",
        "action_type",
        "user",
        "timestamp",
        "before",
        "after",
        "fields_metadata",
    }
    assert entry["action_type"] == "update_rows"
    assert entry["user"] == {"id": user.id, "name": "Ada"}
    assert TIMESTAMP.match(entry["timestamp"]), entry["timestamp"]
    assert entry["before"] == {age: "36", done: False}
    assert entry["after"] == {age: "37", done: True}
    assert entry["fields_metadata"] == {
        age: {
            "id": people.age.id,
            "type": "number",
            "number_decimal_places": 0,
            "number_negative": False,
            "number_prefix": "",
            "number_suffix": "",
            "number_separator": "",
        },
        done: {"id": people.done.id, "type": "boolean"},
    }


def test_nothing_changed_records_nothing(client, table, people, row):
    same = {people.name.db_column: "Ada", people.age.db_column: 36}
    client.patch(item_url(table.id, row), same, format="json")
    client.patch(item_url(table.id, row), {}, format="json")
    client.patch(item_url(table.id, row), {"unknown": 1}, format="json")
    assert results(client, table, row) == []


def test_user_field_names_record_by_field_id(client, table, people, row):
    client.patch(
        f"{item_url(table.id, row)}?user_field_names=true", {"Name": "Ada L."}, format="json"
    )
    (entry,) = results(client, table, row)
    assert entry["before"] == {people.name.db_column: "Ada"}
    assert entry["after"] == {people.name.db_column: "Ada L."}


def test_selects_and_links_by_id_with_their_names_in_the_metadata(
    client, table, projects, people, row
):
    (apollo, gemini) = insert_rows(
        projects,
        [{people.project_name.db_column: "Apollo"}, {people.project_name.db_column: "Gemini"}],
    )
    status, tags, link = people.status.db_column, people.tags.db_column, people.link.db_column
    first = {status: people.open.id, tags: [people.tag_open.id], link: [apollo]}
    client.patch(item_url(table.id, row), first, format="json")
    client.patch(item_url(table.id, row), {status: people.closed.id, link: [gemini]}, format="json")
    newest, oldest = results(client, table, row)
    assert oldest["before"] == {status: None, tags: [], link: []}
    assert oldest["after"] == {status: people.open.id, tags: [people.tag_open.id], link: [apollo]}
    assert newest["before"] == {status: people.open.id, link: [apollo]}
    assert newest["after"] == {status: people.closed.id, link: [gemini]}
    metadata = newest["fields_metadata"]
    assert metadata[status] == {
        "id": people.status.id,
        "type": "single_select",
        "select_options": {
            str(people.open.id): {"id": people.open.id, "value": "Open", "color": "blue"},
            str(people.closed.id): {"id": people.closed.id, "value": "Closed", "color": "red"},
        },
    }
    assert metadata[link] == {
        "id": people.link.id,
        "type": "link_row",
        "linked_rows": {str(apollo): {"value": "Apollo"}, str(gemini): {"value": "Gemini"}},
        "linked_table_id": projects.id,
        "linked_field_id": people.link.link_row_related_field_id,
    }
    assert oldest["fields_metadata"][tags]["select_options"] == {
        str(people.tag_open.id): {"id": people.tag_open.id, "value": "Open", "color": "blue"}
    }


def test_a_batch_records_one_entry_per_changed_row(client, table, people):
    name = people.name.db_column
    a, b, c = insert_rows(table, [{name: "a"}, {name: "b"}, {name: "c"}])
    items = [{"id": a, name: "A"}, {"id": b, name: "b"}, {"id": c, name: "C"}]
    assert client.patch(batch_url(table.id), {"items": items}, format="json").status_code == 200
    assert [e["after"] for e in results(client, table, a)] == [{name: "A"}]
    assert results(client, table, b) == []
    assert [e["before"] for e in results(client, table, c)] == [{name: "c"}]
    assert RowHistory.objects.filter(table=table).count() == 2


def test_a_failed_update_records_nothing(client, table, people, row):
    bad = {people.name.db_column: "x", people.age.db_column: "abc"}
    assert client.patch(item_url(table.id, row), bad, format="json").status_code == 400
    items = [{"id": row, people.name.db_column: "x"}, {"id": 999}]
    assert client.patch(batch_url(table.id), {"items": items}, format="json").status_code == 404
    assert not RowHistory.objects.exists()


def test_newest_first_with_limit_offset_pages(client, table, people, row):
    for n in range(5):
        client.patch(item_url(table.id, row), {people.age.db_column: n}, format="json")
    afters = [e["after"][people.age.db_column] for e in results(client, table, row)]
    assert afters == ["4", "3", "2", "1", "0"]
    response = client.get(history_url(table.id, row), {"limit": 2, "offset": 2})
    page = response.json()
    assert page["count"] == 5
    assert [e["after"][people.age.db_column] for e in page["results"]] == ["2", "1"]
    assert page["next"] == f"http://testserver{history_url(table.id, row)}?limit=2&offset=4"
    assert page["previous"] == f"http://testserver{history_url(table.id, row)}?limit=2"
    past = client.get(history_url(table.id, row), {"limit": 2, "offset": 10**30}).json()
    assert (past["count"], past["results"]) == (5, [])


def test_limit_defaults_to_and_stops_at_200(client, table, people, row):
    entries = [
        RowHistory(
            table=table,
            row_id=row,
            action_type="update_rows",
            action_timestamp="2024-01-01T00:00:00Z",
        )
        for _ in range(201)
    ]
    RowHistory.objects.bulk_create(entries)
    for query in ({}, {"limit": 500}, {"limit": "x"}, {"limit": 0}):
        page = client.get(history_url(table.id, row), query).json()
        assert len(page["results"]) == 200, query
        assert page["count"] == 201
    assert len(results(client, table, row, limit=3, offset="x")) == 3


def test_cells_of_deleted_fields_are_left_out(client, user, table, people, row):
    body = {people.name.db_column: "Ada L.", people.age.db_column: "1"}
    client.patch(item_url(table.id, row), body, format="json")
    field_delete(user=user, field=Field.objects.get(id=people.age.id))
    (entry,) = results(client, table, row)
    assert entry["before"] == {people.name.db_column: "Ada"}
    assert entry["after"] == {people.name.db_column: "Ada L."}
    assert list(entry["fields_metadata"]) == [people.name.db_column]


def test_entries_go_with_their_table(client, table, people, row):
    client.patch(item_url(table.id, row), {people.name.db_column: "x"}, format="json")
    assert RowHistory.objects.filter(table_id=table.id).count() == 1
    response = client.delete(reverse("api:tables:item", kwargs={"table_id": table.id}))
    assert response.status_code == 204
    purge_trash()
    assert not Table.objects.filter(id=table.id).exists()
    assert not RowHistory.objects.filter(table_id=table.id).exists()


def test_errors(client, client_for, other_user, api_client, table, people, row):
    assert client.get(history_url(table.id, 999)).json() == missing(999)
    assert client.get(history_url(table.id, 10**25)).json() == missing(10**25)
    unknown = client.get(history_url(999999, row))
    assert unknown.status_code == 404
    assert unknown.json() == TABLE_MISSING
    outsider = client_for(other_user).get(history_url(table.id, row))
    assert outsider.status_code == 400
    assert outsider.json() == NOT_MEMBER
    anonymous = api_client.get(history_url(table.id, row))
    assert anonymous.status_code == 401
    assert anonymous.json() == NOT_PROVIDED
    client.delete(item_url(table.id, row))
    trashed = client.get(history_url(table.id, row))
    assert trashed.status_code == 404
    assert trashed.json() == missing(row)


def test_history_of_another_table_is_not_shown(client, table, make_table, people, row):
    other = make_table("Other")
    (other_row,) = insert_rows(other, [{}])
    client.patch(item_url(table.id, row), {people.name.db_column: "x"}, format="json")
    assert other_row == row  # the same row id in both tables
    assert results(client, other, other_row) == []


def test_service_records_the_actor(user, table, people, row):
    rows_update(table=table, items=[{"id": row, people.name.db_column: "B"}], actor=user)
    rows_update(table=table, items=[{"id": row, people.name.db_column: "C"}])
    anonymous, by_user = row_history_list(table=table, row_id=row)
    assert (by_user.user_id, by_user.user_name, by_user.after_values) == (
        user.id,
        "Ada",
        {people.name.db_column: "B"},
    )
    assert (anonymous.user_id, anonymous.user_name) == (None, "")


def test_history_list_cost_does_not_grow(client, table, people, row, django_assert_num_queries):
    def cost(entries: int) -> int:
        RowHistory.objects.all().delete()
        RowHistory.objects.bulk_create(
            RowHistory(
                table=table,
                row_id=row,
                action_type="update_rows",
                action_timestamp="2024-01-01T00:00:00Z",
                before_values={people.name.db_column: "a"},
                after_values={people.name.db_column: "b"},
            )
            for _ in range(entries)
        )
        with CaptureQueriesContext(connection) as context:
            assert len(results(client, table, row)) == entries
        return len(context.captured_queries)

    cost(1)  # the table's model, built once
    assert cost(2) == cost(150)
    # user, table with the membership, the row, count and page
    with django_assert_num_queries(5):
        results(client, table, row)


def test_a_batch_of_200_records_history_at_a_constant_cost(
    client, table, people, django_assert_max_num_queries
):
    name, age = people.name.db_column, people.age.db_column
    ids = insert_rows(table, [{name: f"r{n}"} for n in range(200)])
    client.patch(batch_url(table.id), {"items": [{"id": ids[0], name: "warm"}]}, format="json")
    items = [{"id": row_id, name: f"n{row_id}", age: 3} for row_id in ids]
    # The update's own queries, then history: cells read before and after, one insert.
    with django_assert_max_num_queries(15):
        response = client.patch(batch_url(table.id), {"items": items}, format="json")
    assert response.status_code == 200
    assert RowHistory.objects.filter(table=table).count() == 201


def test_prune_row_history_keeps_the_retention(client, table, people, row, settings):
    for age in ("1", "2", "3"):
        client.patch(item_url(table.id, row), {people.age.db_column: age}, format="json")
    old, recent, newest = RowHistory.objects.filter(table=table).order_by("id")
    now = timezone.now()
    RowHistory.objects.filter(id=old.id).update(action_timestamp=now - timedelta(days=181))
    RowHistory.objects.filter(id=recent.id).update(action_timestamp=now - timedelta(days=179))
    out = StringIO()
    call_command("prune_row_history", stdout=out)  # the setting: 180 days
    assert out.getvalue() == "Deleted 1 row history entries older than 180 days.\n"
    assert set(RowHistory.objects.values_list("id", flat=True)) == {recent.id, newest.id}
    call_command("prune_row_history", "--days", "1", stdout=StringIO())
    assert list(RowHistory.objects.values_list("id", flat=True)) == [newest.id]
    settings.ROW_HISTORY_RETENTION_DAYS = 0  # keep for ever
    out = StringIO()
    call_command("prune_row_history", stdout=out)
    assert "kept for ever" in out.getvalue()
    assert RowHistory.objects.count() == 1
    with pytest.raises(CommandError):
        call_command("prune_row_history", "--days", "-1")


def test_the_daily_pruning_task_keeps_the_retention(client, table, people, row, settings):
    for age in ("1", "2"):
        client.patch(item_url(table.id, row), {people.age.db_column: age}, format="json")
    old, recent = RowHistory.objects.filter(table=table).order_by("id")
    old_enough = timezone.now() - timedelta(days=settings.ROW_HISTORY_RETENTION_DAYS + 1)
    RowHistory.objects.filter(id=old.id).update(action_timestamp=old_enough)
    assert prune_row_history.apply().get() == 1  # what Celery beat runs daily
    assert list(RowHistory.objects.values_list("id", flat=True)) == [recent.id]
    settings.ROW_HISTORY_RETENTION_DAYS = 0
    RowHistory.objects.update(action_timestamp=old_enough)
    assert prune_row_history.apply().get() == 0
    assert RowHistory.objects.count() == 1
