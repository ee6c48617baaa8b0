"""What a database token reaches: each row endpoint, operation and scope; fields; all-tables."""

import pytest

from database.applications.models import Application
from database.fields.models import Field
from database.tables.models import Table
from database.tables.selectors import table_counts
from tests.database.helpers import insert_rows, primary_of
from tests.database.tokens.conftest import ALL_TABLES_URL, NO_PERMISSION, NOT_PROVIDED

ROWS = "/api/database/rows/table"
OPERATIONS = ("create", "read", "update", "delete")


def row_requests(table_id: int, rows: dict[str, int]):
    """Every row endpoint a token may use: (name, operation it needs, method, url, body, ok)."""
    t = f"{ROWS}/{table_id}"
    r = rows["kept"]
    return [
        ("list", "read", "get", f"{t}/", None, 200),
        ("get", "read", "get", f"{t}/{r}/", None, 200),
        ("names", "read", "get", f"/api/database/rows/names/?table__{table_id}={r}", None, 200),
        ("create", "create", "post", f"{t}/", {}, 200),
        ("batch create", "create", "post", f"{t}/batch/", {"items": [{}]}, 200),
        ("update", "update", "patch", f"{t}/{r}/", {}, 200),
        ("move", "update", "patch", f"{t}/{r}/move/", None, 200),
        ("batch update", "update", "patch", f"{t}/batch/", {"items": [{"id": r}]}, 200),
        ("delete", "delete", "delete", f"{t}/{rows['deleted']}/", None, 204),
        (
            "batch delete",
            "delete",
            "post",
            f"{t}/batch-delete/",
            {"items": [rows["batch_deleted"]]},
            204,
        ),
    ]


@pytest.fixture
def other_database(workspace) -> Application:
    return Application.objects.create(workspace=workspace, name="Other database")


@pytest.fixture
def scopes(table, make_table, database_app, other_database):
    """Per scope name: the permission value, and whether it covers `table`."""
    sibling = make_table(name="Sibling")
    return {
        "all": (True, True),
        "its database": ([["database", database_app.id]], True),
        "the table": ([["table", table.id]], True),
        "another table": ([["table", sibling.id]], False),
        "another database": ([["database", other_database.id]], False),
        "none": (False, False),
    }


def scope_value(scopes, name):
    value, _ = scopes[name]
    return value if isinstance(value, bool) else [list(entry) for entry in value]


@pytest.mark.parametrize(
    "scope", ["all", "its database", "the table", "another table", "another database", "none"]
)
@pytest.mark.parametrize("granted", OPERATIONS)
def test_a_token_reaches_exactly_what_it_may(
    table, make_token, token_client, scopes, granted, scope
):
    value, covers = scopes[scope]
    permissions = dict.fromkeys(OPERATIONS, False) | {granted: value}
    client = token_client(make_token(**permissions))
    name = primary_of(table).db_column
    kept, deleted, batch_deleted = insert_rows(table, [{name: "a"}, {name: "b"}, {name: "c"}])
    rows = {"kept": kept, "deleted": deleted, "batch_deleted": batch_deleted}
    for what, needs, method, url, body, ok in row_requests(table.id, rows):
        response = getattr(client, method)(url, body, format="json")
        if needs == granted and covers:
            assert response.status_code == ok, (what, response.content)
        else:
            assert response.status_code == 401, (what, response.content)
            assert response.json() == NO_PERMISSION, what
    expected = 3 + (2 if granted == "create" and covers else 0)
    expected -= 2 if granted == "delete" and covers else 0
    assert table_counts(table)[0] == expected


@pytest.mark.parametrize("scope", ["all", "its database", "the table", "another table", "none"])
@pytest.mark.parametrize("granted", OPERATIONS)
def test_field_listing_needs_read_create_or_update(
    table, make_token, token_client, scopes, granted, scope
):
    value, covers = scopes[scope]
    client = token_client(make_token(**dict.fromkeys(OPERATIONS, False) | {granted: value}))
    response = client.get(f"/api/database/fields/table/{table.id}/")
    if covers and granted != "delete":
        assert response.status_code == 200
        assert [field["name"] for field in response.json()] == ["Name"]
    else:
        assert response.status_code == 401
        assert response.json() == NO_PERMISSION


def test_field_creation_always_refuses_a_token(table, make_token, token_client):
    client = token_client(make_token())
    response = client.post(
        f"/api/database/fields/table/{table.id}/", {"name": "New", "type": "text"}, format="json"
    )
    assert response.status_code == 401
    assert response.json() == NO_PERMISSION
    assert not Field.objects.filter(table=table, name="New").exists()
    response = client.post("/api/database/fields/table/999999/", {"name": "N", "type": "text"})
    assert response.status_code == 404
    assert response.json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"


def test_a_database_permission_covers_tables_created_later(
    make_token, token_client, database_app, make_table
):
    client = token_client(make_token(read=[["database", database_app.id]], create=False))
    later = make_table(name="Later")
    assert client.get(f"{ROWS}/{later.id}/").status_code == 200
    assert client.post(f"{ROWS}/{later.id}/", {}, format="json").json() == NO_PERMISSION


def test_a_table_of_another_workspace_is_out_of_reach(
    make_token, token_client, other_user, make_table, client_for
):
    from workspaces.models import WorkspaceUser

    theirs = WorkspaceUser.objects.filter(user=other_user).first().workspace
    database = Application.objects.create(workspace=theirs, name="Theirs")
    their_table = make_table(database=database)
    client = token_client(make_token())
    for response in (
        client.get(f"{ROWS}/{their_table.id}/"),
        client.post(f"{ROWS}/{their_table.id}/", {}, format="json"),
        client.get(f"/api/database/rows/names/?table__{their_table.id}=1"),
        client.get(f"/api/database/fields/table/{their_table.id}/"),
    ):
        assert response.status_code == 401
        assert response.json() == NO_PERMISSION
    their_token = make_token(owner=other_user, on=theirs)
    assert token_client(their_token).get(f"{ROWS}/{their_table.id}/").status_code == 200


def test_a_missing_table_is_a_404_before_any_token_check(make_token, token_client):
    client = token_client(make_token(**dict.fromkeys(OPERATIONS, False)))
    for response in (
        client.get(f"{ROWS}/999999/"),
        client.patch(f"{ROWS}/999999/1/", {}, format="json"),
        client.get("/api/database/fields/table/999999/"),
    ):
        assert response.status_code == 404
        assert response.json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"


def test_a_missing_row_is_a_404_once_the_token_may(table, make_token, token_client):
    response = token_client(make_token()).get(f"{ROWS}/{table.id}/424242/")
    assert response.status_code == 404
    assert response.json()["error"] == "ERROR_ROW_DOES_NOT_EXIST"


def test_adjacent_and_history_refuse_a_token_yet_history_names_its_user(
    table, make_token, token_client, user, user_client
):
    (row_id,) = insert_rows(table, [{}])
    client = token_client(make_token())
    for endpoint in ("adjacent", "history"):
        response = client.get(f"{ROWS}/{table.id}/{row_id}/{endpoint}/")
        assert response.status_code == 401, endpoint
        assert response.json() == NOT_PROVIDED
    body = {primary_of(table).db_column: "Ada"}
    assert client.patch(f"{ROWS}/{table.id}/{row_id}/", body, format="json").status_code == 200
    history = user_client.get(f"{ROWS}/{table.id}/{row_id}/history/").json()
    assert [entry["user"] for entry in history["results"]] == [
        {"id": user.id, "name": user.first_name}
    ]


def test_all_tables_lists_what_any_permission_reaches(
    make_token, token_client, table, make_table, database_app, other_database, other_user
):
    sibling = make_table(name="Sibling")
    elsewhere = make_table(name="Elsewhere", database=other_database)
    from workspaces.models import WorkspaceUser

    theirs = WorkspaceUser.objects.filter(user=other_user).first().workspace
    make_table(name="Theirs", database=Application.objects.create(workspace=theirs, name="T"))

    def listed(**permissions) -> list[int]:
        client = token_client(make_token(**dict.fromkeys(OPERATIONS, False) | permissions))
        response = client.get(ALL_TABLES_URL)
        assert response.status_code == 200
        return sorted(t["id"] for t in response.json())

    ours = Table.objects.filter(database__workspace=table.database.workspace)
    assert listed(read=True) == sorted(ours.values_list("id", flat=True))
    assert listed(create=[["database", database_app.id]]) == sorted(
        Table.objects.filter(database=database_app).values_list("id", flat=True)
    )
    assert listed(update=[["table", sibling.id]], delete=[["table", elsewhere.id]]) == sorted(
        [sibling.id, elsewhere.id]
    )
    assert listed() == []
    only_read = dict.fromkeys(OPERATIONS, False) | {"read": [["table", table.id]]}
    body = token_client(make_token(**only_read)).get(ALL_TABLES_URL).json()
    assert body == [
        {"id": table.id, "name": table.name, "order": table.order, "database_id": database_app.id}
    ]


def test_all_tables_leaves_out_trashed_databases(make_token, token_client, table, database_app):
    client = token_client(make_token(**dict.fromkeys(OPERATIONS, False) | {"read": True}))
    Application.objects.filter(id=database_app.id).update(trashed=True)
    ids = [t["id"] for t in client.get(ALL_TABLES_URL).json()]
    assert table.id not in ids


def test_names_need_read_on_every_table_asked_for(table, make_table, make_token, token_client):
    sibling = make_table(name="Sibling")
    (row,) = insert_rows(table, [{primary_of(table).db_column: "Ada"}])
    (other,) = insert_rows(sibling, [{primary_of(sibling).db_column: "Bob"}])
    only_table = dict.fromkeys(OPERATIONS, False) | {"read": [["table", table.id]]}
    client = token_client(make_token(**only_table))
    response = client.get(f"/api/database/rows/names/?table__{table.id}={row}")
    assert response.json() == {str(table.id): {str(row): "Ada"}}
    response = client.get(
        f"/api/database/rows/names/?table__{table.id}={row}&table__{sibling.id}={other}"
    )
    assert response.status_code == 401
    assert response.json() == NO_PERMISSION
