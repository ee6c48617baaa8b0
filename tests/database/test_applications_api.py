"""/api/applications/: list, create, read, rename, trash, order and duplicate databases."""

import pytest
from django.urls import reverse

from database.applications.models import Application
from database.tables.models import Table
from tests.database.helpers import insert_rows, read_rows
from workspaces.models import Role, Workspace, WorkspaceUser
from workspaces.services import workspace_create

NOT_MEMBER = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}
NO_APPLICATION = {
    "error": "ERROR_APPLICATION_DOES_NOT_EXIST",
    "detail": "The requested application does not exist.",
}
NO_WORKSPACE = {
    "error": "ERROR_GROUP_DOES_NOT_EXIST",
    "detail": "The requested group does not exist.",
}


def url(name: str, **kwargs: int) -> str:
    return reverse(f"api:applications:{name}", kwargs=kwargs)


def iso(moment) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def names(applications: list[dict]) -> list[str]:
    return [application["name"] for application in applications]


@pytest.fixture
def client(client_for, user):
    return client_for(user)


@pytest.fixture
def bobs_database(other_user) -> Application:
    """The example database Bob got at signup, in his own workspace."""
    return Application.objects.get(workspace__memberships__user=other_user)


# List.


def test_list_all_gives_the_application_shape_with_its_tables(client, workspace, database_app):
    table = Table.objects.create(database=database_app, name="T", order=1)
    listed = client.get(url("list")).json()
    assert names(listed) == ["Ada's company", "Test database"]
    assert listed[1] == {
        "id": database_app.id,
        "name": "Test database",
        "order": database_app.order,
        "type": "database",
        "workspace": {
            "id": workspace.id,
            "name": "Ada's workspace",
            "generative_ai_models_enabled": {},
        },
        "created_on": iso(database_app.created_on),
        "tables": [
            {
                "id": table.id,
                "name": "T",
                "order": 1,
                "database_id": database_app.id,
                "data_sync": None,
            }
        ],
    }


def test_list_all_spans_the_users_workspaces_by_workspace_id(client, user, other_user):
    second = workspace_create(user=user, name="Second").workspace
    Application.objects.create(workspace=second, name="Later", order=1)
    listed = client.get(url("list")).json()
    assert names(listed) == ["Ada's company", "Later"]
    assert [a["workspace"]["id"] for a in listed] == sorted(a["workspace"]["id"] for a in listed)


def test_list_all_leaves_out_trashed_applications_and_workspaces(client, user, database_app):
    database_app.trashed = True
    database_app.save()
    second = workspace_create(user=user, name="Second").workspace
    Application.objects.create(workspace=second, name="In trashed workspace")
    Workspace.objects.filter(id=second.id).update(trashed=True)
    assert names(client.get(url("list")).json()) == ["Ada's company"]


def test_list_all_queries_do_not_grow_with_applications(
    client, workspace, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10) as few:
        client.get(url("list"))
    for index in range(5):
        database = Application.objects.create(workspace=workspace, name=f"D{index}")
        Table.objects.create(database=database, name="A")
        Table.objects.create(database=database, name="B")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(url("list")).json()) == 6


def test_list_workspace_orders_by_order_then_id(client, workspace):
    Application.objects.filter(workspace=workspace).update(order=5)
    first = Application.objects.create(workspace=workspace, name="First", order=1)
    listed = client.get(url("workspace", workspace_id=workspace.id)).json()
    assert listed[0]["id"] == first.id
    assert names(listed) == ["First", "Ada's company"]


def test_list_workspace_errors(client, other_user):
    bobs = Workspace.objects.get(memberships__user=other_user)
    assert client.get(url("workspace", workspace_id=999999)).json() == NO_WORKSPACE
    response = client.get(url("workspace", workspace_id=bobs.id))
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)


# Create.


def test_create_places_an_empty_database_last(client, workspace):
    response = client.post(
        url("workspace", workspace_id=workspace.id), {"name": "CRM", "type": "database"}
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["type"], body["tables"]) == ("CRM", "database", [])
    assert body["order"] == 2  # after the example database
    assert body["workspace"]["id"] == workspace.id
    assert Application.objects.get(id=body["id"]).workspace_id == workspace.id


def test_create_with_data_makes_a_table_with_two_empty_rows(client, workspace):
    response = client.post(
        url("workspace", workspace_id=workspace.id),
        {"name": "CRM", "type": "database", "init_with_data": True},
        format="json",
    )
    (table,) = response.json()["tables"]
    assert table["name"] == "Table"
    fields = Table.objects.get(id=table["id"]).fields.order_by("order")
    assert [(f.name, f.type, f.primary) for f in fields] == [
        ("Name", "text", True),
        ("Notes", "long_text", False),
        ("Active", "boolean", False),
    ]
    name, notes, active = (f.db_column for f in fields)
    rows = read_rows(Table.objects.get(id=table["id"]))
    assert [(r[name], r[notes], r[active]) for r in rows] == [(None, None, False)] * 2


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"type": "database"}, "name", "required"),
        ({"name": "x" * 161, "type": "database"}, "name", "max_length"),
        ({"name": "CRM"}, "type", "required"),
        ({"name": "CRM", "type": "builder"}, "type", "invalid_choice"),
    ],
)
def test_create_validates_the_body(client, workspace, body, field, code):
    response = client.post(url("workspace", workspace_id=workspace.id), body, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert response.json()["detail"][field][0]["code"] == code


def test_create_errors(client, other_user):
    bobs = Workspace.objects.get(memberships__user=other_user)
    body = {"name": "CRM", "type": "database"}
    assert client.post(url("workspace", workspace_id=999999), body).json() == NO_WORKSPACE
    response = client.post(url("workspace", workspace_id=bobs.id), body)
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    assert not Application.objects.filter(name="CRM").exists()


def test_a_member_who_is_not_admin_manages_applications(client_for, other_user, workspace):
    WorkspaceUser.objects.create(
        workspace=workspace, user=other_user, permissions=Role.MEMBER, order=9
    )
    bob = client_for(other_user)
    created = bob.post(
        url("workspace", workspace_id=workspace.id), {"name": "B", "type": "database"}
    )
    assert created.status_code == 200
    item = url("item", application_id=created.json()["id"])
    assert bob.patch(item, {"name": "B2"}).json()["name"] == "B2"
    assert bob.delete(item).status_code == 204


# Read, rename, trash.


def test_get_patch_and_delete(client, database_app):
    item = url("item", application_id=database_app.id)
    assert client.get(item).json()["name"] == "Test database"
    response = client.patch(item, {"name": "Renamed"}, format="json")
    assert (response.status_code, response.json()["name"]) == (200, "Renamed")
    assert Application.objects.get(id=database_app.id).name == "Renamed"
    assert client.delete(item).status_code == 204
    assert Application.objects_and_trash.get(id=database_app.id).trashed


def test_a_trashed_application_and_its_tables_behave_as_gone(client, database_app, table):
    assert client.delete(url("item", application_id=database_app.id)).status_code == 204
    item = url("item", application_id=database_app.id)
    for response in (client.get(item), client.patch(item, {"name": "x"}), client.delete(item)):
        assert (response.status_code, response.json()) == (404, NO_APPLICATION)
    table_item = reverse("api:tables:item", kwargs={"table_id": table.id})
    assert client.get(table_item).json()["error"] == "ERROR_TABLE_DOES_NOT_EXIST"
    tables = reverse("api:tables:list", kwargs={"database_id": database_app.id})
    assert client.get(tables).json() == NO_APPLICATION


def test_unknown_and_foreign_applications(client, bobs_database):
    unknown = url("item", application_id=999999)
    for response in (client.get(unknown), client.patch(unknown, {"name": "x"})):
        assert (response.status_code, response.json()) == (404, NO_APPLICATION)
    assert client.delete(unknown).status_code == 404
    foreign = url("item", application_id=bobs_database.id)
    for response in (
        client.get(foreign),
        client.patch(foreign, {"name": "Mine"}),
        client.delete(foreign),
        client.post(url("duplicate", application_id=bobs_database.id)),
    ):
        assert (response.status_code, response.json()) == (400, NOT_MEMBER)
    bobs_database.refresh_from_db()
    assert (bobs_database.name, bobs_database.trashed) == ("Bob's company", False)
    assert Application.objects.filter(workspace=bobs_database.workspace).count() == 1


def test_patch_validates_the_name(client, database_app):
    response = client.patch(url("item", application_id=database_app.id), {"name": ""})
    assert response.json()["detail"]["name"][0]["code"] == "blank"


# Order.


def test_order_gives_positions_in_list_order(client, workspace, database_app):
    example = Application.objects.get(workspace=workspace, name="Ada's company")
    response = client.post(
        url("order", workspace_id=workspace.id),
        {"application_ids": [database_app.id, example.id]},
        format="json",
    )
    assert response.status_code == 204
    listed = client.get(url("workspace", workspace_id=workspace.id)).json()
    assert [(a["name"], a["order"]) for a in listed] == [
        ("Test database", 1),
        ("Ada's company", 2),
    ]


def test_order_refuses_ids_of_other_workspaces(client, workspace, database_app, bobs_database):
    for foreign in (bobs_database.id, 999999):
        response = client.post(
            url("order", workspace_id=workspace.id),
            {"application_ids": [database_app.id, foreign]},
            format="json",
        )
        assert response.status_code == 400
        assert response.json() == {
            "error": "ERROR_APPLICATION_NOT_IN_GROUP",
            "detail": f"The application id {foreign} does not belong to the group.",
        }
    assert Application.objects.get(id=database_app.id).order == database_app.order


def test_order_errors(client, bobs_database):
    body = {"application_ids": [bobs_database.id]}
    assert client.post(url("order", workspace_id=999999), body, format="json").json() == (
        NO_WORKSPACE
    )
    response = client.post(
        url("order", workspace_id=bobs_database.workspace_id), body, format="json"
    )
    assert (response.status_code, response.json()) == (400, NOT_MEMBER)


# Duplicate.


def test_duplicate_copies_the_database_with_its_tables_and_rows(
    client, database_app, make_table, start_job
):
    first, second = make_table("First"), make_table("Second")
    (name,) = first.fields.all()
    insert_rows(first, [{name.db_column: "Ada"}, {name.db_column: "Alan"}])
    response, job = start_job(client, url("duplicate", application_id=database_app.id))
    assert response.status_code == 202
    assert response.json()["duplicated_application"] is None
    assert (job["type"], job["state"], job["progress_percentage"]) == (
        "duplicate_application",
        "finished",
        100,
    )
    assert job["human_readable_error"] == ""
    assert job["original_application"]["id"] == database_app.id
    copy = job["duplicated_application"]
    assert copy["name"] == "Test database 2"
    assert [t["name"] for t in copy["tables"]] == ["First", "Second"]
    assert {t["id"] for t in copy["tables"]}.isdisjoint({first.id, second.id})
    copied_first = Table.objects.get(id=copy["tables"][0]["id"])
    (copied_name,) = copied_first.fields.all()
    assert [r[copied_name.db_column] for r in read_rows(copied_first)] == ["Ada", "Alan"]
    _, again = start_job(client, url("duplicate", application_id=database_app.id))
    assert again["duplicated_application"]["name"] == "Test database 3"


def test_duplicate_of_an_unknown_application(client):
    response = client.post(url("duplicate", application_id=999999))
    assert (response.status_code, response.json()) == (404, NO_APPLICATION)
