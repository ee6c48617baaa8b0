"""/api/database/tables/: list, create (empty, from data, async), read, rename, delete, order."""

import pytest
from django.db import connection
from django.urls import reverse

from database.applications.models import Application
from database.fields.models import Field
from database.fields.services import field_create_unchecked
from database.tables.models import Table
from jobs.models import Job
from tests.database.helpers import purge_trash, read_rows

NOT_MEMBER = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}
NO_TABLE = {"error": "ERROR_TABLE_DOES_NOT_EXIST", "detail": "The requested table does not exist."}
NO_DATABASE = {
    "error": "ERROR_APPLICATION_DOES_NOT_EXIST",
    "detail": "The requested application does not exist.",
}


def url(name: str, **kwargs: int) -> str:
    return reverse(f"api:tables:{name}", kwargs=kwargs)


def table_json(table: Table) -> dict:
    return {
        "id": table.id,
        "name": table.name,
        "order": table.order,
        "database_id": table.database_id,
        "data_sync": None,
    }


def fields_of(table_id: int) -> list[tuple[str, str, bool]]:
    return [(f.name, f.type, f.primary) for f in Field.objects.filter(table_id=table_id)]


def cells(table_id: int) -> list[list]:
    """The rows' values in field order."""
    table = Table.objects.get(id=table_id)
    columns = [f.db_column for f in Field.objects.filter(table=table)]
    return [[row[column] for column in columns] for row in read_rows(table)]


@pytest.fixture
def client(client_for, user):
    return client_for(user)


@pytest.fixture
def bobs_table(other_user) -> Table:
    """The Customers table of Bob's example database."""
    return Table.objects.get(database__workspace__memberships__user=other_user, name="Customers")


# List.


def test_list_gives_the_tables_of_a_database_by_order(client, database_app, make_table):
    first, second = make_table("First"), make_table("Second")
    Table.objects.filter(id=first.id).update(order=3)
    first.refresh_from_db()
    response = client.get(url("list", database_id=database_app.id))
    assert response.status_code == 200
    assert response.json() == [table_json(second), table_json(first)]


def test_list_errors(client, bobs_table):
    assert client.get(url("list", database_id=999999)).json() == NO_DATABASE
    response = client.get(url("list", database_id=bobs_table.database_id))
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)


# Create.


def test_create_without_data_makes_three_fields_and_two_empty_rows(client, database_app):
    response = client.post(url("list", database_id=database_app.id), {"name": "Customers"})
    assert response.status_code == 200
    table = Table.objects.get(id=response.json()["id"])
    assert response.json() == table_json(table)
    assert (table.name, table.order, table.database_id) == ("Customers", 1, database_app.id)
    assert fields_of(table.id) == [
        ("Name", "text", True),
        ("Notes", "long_text", False),
        ("Active", "boolean", False),
    ]
    assert cells(table.id) == [[None, None, False], [None, None, False]]
    assert table.db_table in connection.introspection.table_names()


def test_new_tables_go_last(client, database_app, make_table):
    make_table("First")
    response = client.post(url("list", database_id=database_app.id), {"name": "Next"})
    assert response.json()["order"] == 2


def test_create_with_a_header_row(client, database_app):
    data = [["Name", "Age"], ["Ada", 36, "extra"], ["Alan"], [True, None, 1.5]]
    response = client.post(
        url("list", database_id=database_app.id),
        {"name": "People", "data": data, "first_row_header": True},
        format="json",
    )
    assert response.status_code == 200
    table_id = response.json()["id"]
    assert fields_of(table_id) == [
        ("Name", "text", True),
        ("Age", "text", False),
        ("Field 3", "text", False),
    ]
    assert cells(table_id) == [["Ada", "36", "extra"], ["Alan", "", ""], ["true", "", "1.5"]]
    orders = [row["order"] for row in read_rows(Table.objects.get(id=table_id))]
    assert orders == ["1.00000000000000000000", "2.00000000000000000000", "3.00000000000000000000"]


def test_create_without_a_header_row_names_the_fields(client, database_app):
    response = client.post(
        url("list", database_id=database_app.id),
        {"name": "Raw", "data": [["a", "b"], ["c"]]},
        format="json",
    )
    table_id = response.json()["id"]
    assert fields_of(table_id) == [("Field 1", "text", True), ("Field 2", "text", False)]
    assert cells(table_id) == [["a", "b"], ["c", ""]]


def test_a_header_row_alone_makes_a_table_without_rows(client, database_app):
    response = client.post(
        url("list", database_id=database_app.id),
        {"name": "Empty", "data": [["Name"]], "first_row_header": True},
        format="json",
    )
    assert fields_of(response.json()["id"]) == [("Name", "text", True)]
    assert cells(response.json()["id"]) == []


INVALID_DATA = {
    "error": "ERROR_INVALID_INITIAL_TABLE_DATA",
    "detail": "The provided table data must at least contain one row and one column.",
}


@pytest.mark.parametrize(
    ("data", "header", "code"),
    [
        ([], False, "ERROR_INVALID_INITIAL_TABLE_DATA"),
        ([[], []], False, "ERROR_INVALID_INITIAL_TABLE_DATA"),
        ([["A", "A"], ["1", "2"]], True, "ERROR_INITIAL_TABLE_DATA_HAS_DUPLICATE_NAMES"),
        ([["Field 2"], ["a", "b"]], True, "ERROR_INITIAL_TABLE_DATA_HAS_DUPLICATE_NAMES"),
        ([["id"]], True, "ERROR_RESERVED_BASEROW_FIELD_NAME"),
        ([["order", "x"]], True, "ERROR_RESERVED_BASEROW_FIELD_NAME"),
        ([["Name", " "]], True, "ERROR_INVALID_BASEROW_FIELD_NAME"),
        ([["Name", None]], True, "ERROR_INVALID_BASEROW_FIELD_NAME"),
        ([["x" * 256]], True, "ERROR_MAX_FIELD_NAME_LENGTH_EXCEEDED"),
    ],
)
def test_create_refuses_bad_initial_data(client, database_app, data, header, code):
    response = client.post(
        url("list", database_id=database_app.id),
        {"name": "Bad", "data": data, "first_row_header": header},
        format="json",
    )
    assert (response.status_code, response.json()["error"]) == (400, code)
    assert not Table.objects.filter(name="Bad").exists()


def test_create_refuses_more_columns_than_a_table_may_have(client, database_app, settings):
    settings.MAX_FIELDS_PER_TABLE = 3
    response = client.post(
        url("list", database_id=database_app.id),
        {"name": "Wide", "data": [["a", "b", "c", "d"]]},
        format="json",
    )
    assert (response.status_code, response.json()["error"]) == (
        400,
        "ERROR_MAX_FIELD_COUNT_EXCEEDED",
    )
    assert not Table.objects.filter(name="Wide").exists()


def test_create_refuses_more_rows_than_the_limit(client, database_app, settings):
    settings.INITIAL_TABLE_DATA_LIMIT = 2
    endpoint = url("list", database_id=database_app.id)
    response = client.post(endpoint, {"name": "Long", "data": [["a"]] * 3}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_INITIAL_TABLE_DATA_LIMIT_EXCEEDED",
        "detail": "The initial table data limit has been exceeded. "
        "You can provide a maximum of 2 rows.",
    }
    ok = client.post(endpoint, {"name": "Ok", "data": [["a"]] * 2}, format="json")
    assert ok.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"name": "x" * 256},
        {"name": "T", "data": [[["nested"]]]},
        {"name": "T", "data": [[{"a": 1}]]},
        {"name": "T", "data": ["not a row"]},
        {"name": "T", "data": [["nul\x00"]]},
    ],
)
def test_create_validates_the_body(client, database_app, body):
    response = client.post(url("list", database_id=database_app.id), body, format="json")
    assert (response.status_code, response.json()["error"]) == (
        400,
        "ERROR_REQUEST_BODY_VALIDATION",
    )


def test_create_errors(client, bobs_table):
    assert client.post(url("list", database_id=999999), {"name": "T"}).json() == NO_DATABASE
    response = client.post(url("list", database_id=bobs_table.database_id), {"name": "Mine"})
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    assert not Table.objects.filter(name="Mine").exists()


# Async create.


def test_async_create_answers_the_pending_file_import_job_which_then_runs(
    client, database_app, start_job
):
    endpoint = url("create_async", database_id=database_app.id)
    body = {"name": "Imported", "data": [["Name"], ["Ada"]], "first_row_header": True}
    response, polled = start_job(client, endpoint, body)
    assert response.status_code == 200
    table = Table.objects.get(name="Imported")
    job = Job.objects.get()
    expected = {
        "id": job.id,
        "type": "file_import",
        "progress_percentage": 0,
        "state": "pending",
        "human_readable_error": "",
        "database_id": database_app.id,
        "name": "Imported",
        "table_id": None,
        "report": {"failing_rows": {}},
    }
    assert response.json() == expected
    assert polled == {
        **expected,
        "progress_percentage": 100,
        "state": "finished",
        "table_id": table.id,
    }
    assert cells(table.id) == [["Ada"]]


def test_async_create_without_data_makes_the_default_table(client, database_app, start_job):
    _, job = start_job(client, url("create_async", database_id=database_app.id), {"name": "T"})
    assert fields_of(job["table_id"])[0] == ("Name", "text", True)


def test_async_create_checks_before_starting_a_job(client, database_app, bobs_table):
    endpoint = url("create_async", database_id=database_app.id)
    response = client.post(endpoint, {"name": "T", "data": []}, format="json")
    assert response.json() == INVALID_DATA
    response = client.post(url("create_async", database_id=bobs_table.database_id), {"name": "T"})
    assert response.json() == NOT_MEMBER
    assert client.post(url("create_async", database_id=999999), {"name": "T"}).status_code == 404
    assert not Job.objects.exists()


# Read, rename.


def test_get_and_patch(client, table):
    item = url("item", table_id=table.id)
    assert client.get(item).json() == table_json(table)
    response = client.patch(item, {"name": "Renamed"}, format="json")
    table.refresh_from_db()
    assert (response.status_code, response.json(), table.name) == (
        200,
        table_json(table),
        "Renamed",
    )
    too_long = client.patch(item, {"name": "x" * 256}, format="json")
    assert too_long.json()["detail"]["name"][0]["code"] == "max_length"


def test_unknown_and_foreign_tables(client, bobs_table):
    unknown = url("item", table_id=999999)
    for response in (
        client.get(unknown),
        client.patch(unknown, {"name": "x"}),
        client.delete(unknown),
        client.post(url("duplicate", table_id=999999)),
    ):
        assert (response.status_code, response.json()) == (404, NO_TABLE)
    foreign = url("item", table_id=bobs_table.id)
    for response in (
        client.get(foreign),
        client.patch(foreign, {"name": "Mine"}),
        client.delete(foreign),
        client.post(url("duplicate", table_id=bobs_table.id)),
    ):
        assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    assert Table.objects.get(id=bobs_table.id).name == "Customers"
    assert Table.objects.filter(database=bobs_table.database).count() == 2
    assert bobs_table.db_table in connection.introspection.table_names()


# Delete.


def test_delete_removes_the_table_its_fields_and_its_sql_table(client, table):
    field_ids = list(table.fields.values_list("id", flat=True))
    assert client.delete(url("item", table_id=table.id)).status_code == 204
    purge_trash()
    assert not Table.objects.filter(id=table.id).exists()
    assert not Field.objects.filter(id__in=field_ids).exists()
    assert table.db_table not in connection.introspection.table_names()
    assert client.get(url("item", table_id=table.id)).json() == NO_TABLE
    assert client.delete(url("item", table_id=table.id)).status_code == 404


def test_delete_removes_the_links_of_other_tables_to_it(client, table, make_table):
    other = make_table("Other")
    field_create_unchecked(
        table=other,
        type="link_row",
        name="Link",
        options={"link_row_table_id": table.id, "has_related_field": True},
    )
    assert Field.objects.filter(table=table, type="link_row").exists()
    assert client.delete(url("item", table_id=table.id)).status_code == 204
    assert fields_of(other.id) == [("Name", "text", True)]
    assert not Field.objects.filter(link_row_table_id=table.id).exists()
    assert other.db_table in connection.introspection.table_names()
    assert read_rows(other) == []


# Order.


def test_order_gives_positions_in_list_order(client, database_app, make_table):
    first, second = make_table("First"), make_table("Second")
    response = client.post(
        url("order", database_id=database_app.id),
        {"table_ids": [second.id, first.id]},
        format="json",
    )
    assert response.status_code == 204
    listed = client.get(url("list", database_id=database_app.id)).json()
    assert [(t["name"], t["order"]) for t in listed] == [("Second", 1), ("First", 2)]


def test_order_refuses_tables_of_other_databases(client, database_app, table, bobs_table):
    example = Table.objects.get(database__workspace=database_app.workspace, name="Customers")
    for foreign in (example.id, bobs_table.id, 999999):
        response = client.post(
            url("order", database_id=database_app.id),
            {"table_ids": [table.id, foreign]},
            format="json",
        )
        assert response.status_code == 400
        assert response.json() == {
            "error": "ERROR_TABLE_NOT_IN_DATABASE",
            "detail": f"The table id {foreign} does not belong to the database.",
        }


def test_order_errors(client, bobs_table):
    body = {"table_ids": [bobs_table.id]}
    assert client.post(url("order", database_id=999999), body, format="json").json() == (
        NO_DATABASE
    )
    response = client.post(url("order", database_id=bobs_table.database_id), body, format="json")
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)


def test_a_non_database_id_is_no_database(client, database_app):
    Application.objects.filter(id=database_app.id).update(type="builder")
    assert client.get(url("list", database_id=database_app.id)).json() == NO_DATABASE


# Duplicate.


def test_duplicate_answers_the_pending_job_which_then_copies_the_table(client, table, start_job):
    response, polled = start_job(client, url("duplicate", table_id=table.id))
    assert response.status_code == 202
    copy = Table.objects.get(name="Table 2")
    job = Job.objects.get()
    expected = {
        "id": job.id,
        "type": "duplicate_table",
        "progress_percentage": 0,
        "state": "pending",
        "human_readable_error": "",
        "original_table": table_json(table),
        "duplicated_table": None,
    }
    assert response.json() == expected
    finished = {
        "progress_percentage": 100,
        "state": "finished",
        "duplicated_table": table_json(copy),
    }
    assert polled == {**expected, **finished}
    assert (copy.database_id, copy.order) == (table.database_id, table.order + 1)
    assert fields_of(copy.id) == [("Name", "text", True)]
