"""/api/database/tokens/: list, create, get, update, delete (JWT only)."""

import pytest

from database.applications.models import Application
from database.tokens.models import Token, TokenPermission
from tests.database.tokens.conftest import LIST_URL, NOT_PROVIDED, client_with_key, item_url, key_of
from workspaces.models import WorkspaceUser
from workspaces.services import workspace_create

EVERYTHING = {"create": True, "read": True, "update": True, "delete": True}
NOT_MEMBER = {"error": "ERROR_USER_NOT_IN_GROUP", "detail": ""}
TOKEN_MISSING = {"error": "ERROR_TOKEN_DOES_NOT_EXIST", "detail": "The token does not exist."}
INVALID_KEY = "Only create, read, update and delete keys are allowed."
INVALID_VALUE = (
    "The value must either be a bool, or a list containing database or table ids like "
    '[["database", 1], ["table", 1]].'
)
INVALID_TYPE = "The instance type can only be a database or table."


def permissions_error(response) -> list[dict]:
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    return body["detail"]["permissions"]


def test_create_gives_a_32_character_key_and_every_permission(user_client, workspace):
    response = user_client.post(LIST_URL, {"name": "Zapier", "workspace": workspace.id})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"id", "name", "workspace", "key", "permissions"}
    assert body["name"] == "Zapier"
    assert body["workspace"] == workspace.id
    assert len(body["key"]) == 32 and body["key"].isalnum() and body["key"].isascii()
    assert body["permissions"] == EVERYTHING


def test_keys_are_unique(user_client, workspace):
    keys = {
        user_client.post(LIST_URL, {"name": f"T{i}", "workspace": workspace.id}).json()["key"]
        for i in range(20)
    }
    assert len(keys) == 20


def test_create_validates_the_body(user_client, workspace):
    response = user_client.post(LIST_URL, {"name": "x" * 101, "workspace": 999999}, format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert detail["name"][0]["code"] == "max_length"
    assert detail["workspace"][0]["code"] == "does_not_exist"
    response = user_client.post(LIST_URL, {}, format="json")
    assert set(response.json()["detail"]) == {"name", "workspace"}


def test_create_in_another_users_workspace_is_refused(user_client, other_user):
    theirs = WorkspaceUser.objects.filter(user=other_user).first().workspace
    response = user_client.post(LIST_URL, {"name": "x", "workspace": theirs.id})
    assert response.status_code == 400
    assert response.json() == NOT_MEMBER
    assert not Token.objects.exists()


def test_create_in_a_trashed_workspace_gives_does_not_exist(user_client, workspace):
    workspace.trashed = True
    workspace.save()
    response = user_client.post(LIST_URL, {"name": "x", "workspace": workspace.id})
    assert response.json()["detail"]["workspace"][0]["code"] == "does_not_exist"


def test_list_shows_only_the_users_tokens_in_every_workspace_by_id(
    user, user_client, make_token, other_user
):
    second = workspace_create(user=user, name="Second").workspace
    first = make_token(name="A")
    other = make_token(name="B", on=second)
    make_token(owner=other_user, on=WorkspaceUser.objects.get(user=other_user).workspace)
    response = user_client.get(LIST_URL)
    assert response.status_code == 200
    body = response.json()
    assert [token["id"] for token in body] == [first.id, other.id]
    assert [token["workspace"] for token in body] == [first.workspace_id, second.id]
    assert body[0]["key"] == key_of(first)


def test_get_returns_the_full_key_every_time(user_client, make_token):
    token = make_token()
    first = user_client.get(item_url(token.id)).json()
    second = user_client.get(item_url(token.id)).json()
    assert first == second
    assert first["key"] == key_of(token)
    assert first["permissions"] == EVERYTHING


def test_another_users_token_does_not_exist(client_for, other_user, make_token):
    token = make_token()
    client = client_for(other_user)
    assert client.get(item_url(token.id)).json() == TOKEN_MISSING
    assert client.get(item_url(token.id)).status_code == 404
    assert client.patch(item_url(token.id), {"name": "x"}).status_code == 404
    assert client.delete(item_url(token.id)).status_code == 404
    assert client.get(item_url(999999)).json() == TOKEN_MISSING
    assert Token.objects.get(id=token.id).name == "Script"


def test_a_token_of_a_workspace_the_user_left_gives_not_in_group(
    user, user_client, make_token, workspace
):
    token = make_token()
    WorkspaceUser.objects.filter(user=user, workspace=workspace).delete()
    for response in (
        user_client.get(item_url(token.id)),
        user_client.patch(item_url(token.id), {"name": "x"}),
        user_client.delete(item_url(token.id)),
    ):
        assert response.status_code == 400
        assert response.json() == NOT_MEMBER
    assert [t["id"] for t in user_client.get(LIST_URL).json()] == [token.id]


def test_update_name_permissions_and_key(user_client, make_token, table, database_app):
    token = make_token()
    old_key = key_of(token)
    permissions = {
        "create": [["database", database_app.id], ["table", table.id]],
        "read": True,
        "update": False,
        "delete": [["table", table.id]],
    }
    response = user_client.patch(
        item_url(token.id),
        {"name": "Renamed", "permissions": permissions, "rotate_key": True},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Renamed"
    assert body["permissions"] == permissions
    assert body["key"] != old_key and len(body["key"]) == 32
    assert user_client.get(item_url(token.id)).json() == body


def test_update_of_one_thing_keeps_the_others(user_client, make_token):
    token = make_token(update=False)
    key = key_of(token)
    body = user_client.patch(item_url(token.id), {"name": "Only"}, format="json").json()
    assert body["key"] == key
    assert body["permissions"] == {**EVERYTHING, "update": False}
    body = user_client.patch(item_url(token.id), {"rotate_key": False}, format="json").json()
    assert body["key"] == key and body["name"] == "Only"


def test_update_repeated_entries_are_kept_once(user_client, make_token, table):
    token = make_token()
    permissions = {**EVERYTHING, "read": [["table", table.id], ["table", table.id]]}
    body = user_client.patch(item_url(token.id), {"permissions": permissions}, format="json")
    assert body.json()["permissions"]["read"] == [["table", table.id]]
    assert TokenPermission.objects.filter(token=token, type="read").count() == 1


@pytest.mark.parametrize(
    ("permissions", "message", "code"),
    [
        ({"create": True, "read": True, "update": True}, INVALID_KEY, "invalid_key"),
        ({**EVERYTHING, "other": True}, INVALID_KEY, "invalid_key"),
        (
            {"create": True, "read": True, "update": True, "remove": True},
            INVALID_KEY,
            "invalid_key",
        ),
        ("all", INVALID_KEY, "invalid_key"),
        ([True, True, True, True], INVALID_KEY, "invalid_key"),
        ({**EVERYTHING, "read": "yes"}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": 1}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": None}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": [1]}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": [["table"]]}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": [["table", "1"]]}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": [["table", True]]}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": [[1, 1]]}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": [["table", 1, 2]]}, INVALID_VALUE, "invalid_value"),
        ({**EVERYTHING, "read": [["view", 1]]}, INVALID_TYPE, "invalid_instance_type"),
        (
            {**EVERYTHING, "read": [["table", 999999]]},
            "The table id 999999 is not valid.",
            "invalid_table_id",
        ),
        (
            {**EVERYTHING, "read": [["database", 999999]]},
            "The database id 999999 is not valid.",
            "invalid_database_id",
        ),
        (
            {**EVERYTHING, "read": [["table", 2**70]]},
            f"The table id {2**70} is not valid.",
            "invalid_table_id",
        ),
    ],
)
def test_permission_validation_messages(user_client, make_token, permissions, message, code):
    token = make_token()
    response = user_client.patch(item_url(token.id), {"permissions": permissions}, format="json")
    assert permissions_error(response) == [{"error": message, "code": code}]
    assert user_client.get(item_url(token.id)).json()["permissions"] == EVERYTHING


def test_a_trashed_database_is_not_a_valid_id(user_client, make_token, database_app):
    token = make_token()
    Application.objects.filter(id=database_app.id).update(trashed=True)
    permissions = {**EVERYTHING, "read": [["database", database_app.id]]}
    response = user_client.patch(item_url(token.id), {"permissions": permissions}, format="json")
    assert permissions_error(response) == [
        {"error": f"The database id {database_app.id} is not valid.", "code": "invalid_database_id"}
    ]


def test_targets_of_another_workspace_are_refused(user, user_client, make_token, make_table):
    token = make_token()
    elsewhere = workspace_create(user=user, name="Elsewhere").workspace
    database = Application.objects.create(workspace=elsewhere, name="Theirs")
    table = make_table(database=database)
    response = user_client.patch(
        item_url(token.id),
        {"permissions": {**EVERYTHING, "read": [["database", database.id]]}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_DATABASE_DOES_NOT_BELONG_TO_GROUP",
        "detail": "The provided database does not belong to the related group.",
    }
    response = user_client.patch(
        item_url(token.id),
        {"name": "Not saved", "permissions": {**EVERYTHING, "create": [["table", table.id]]}},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_TABLE_DOES_NOT_BELONG_TO_GROUP",
        "detail": "The provided table does not belong to the related group.",
    }
    unchanged = user_client.get(item_url(token.id)).json()
    assert unchanged["permissions"] == EVERYTHING
    assert unchanged["name"] == "Script"


def test_update_validates_name_and_rotate_key(user_client, make_token):
    token = make_token()
    response = user_client.patch(
        item_url(token.id), {"name": "", "rotate_key": "maybe"}, format="json"
    )
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert detail["name"][0]["code"] == "blank"
    assert detail["rotate_key"][0]["code"] == "invalid"


def test_delete_removes_the_token_and_its_key(user_client, make_token, table):
    token = make_token()
    key = key_of(token)
    response = user_client.delete(item_url(token.id))
    assert response.status_code == 204
    assert response.content == b""
    assert user_client.get(item_url(token.id)).status_code == 404
    assert not TokenPermission.objects.filter(token_id=token.id).exists()
    response = client_with_key(key).get(f"/api/database/rows/table/{table.id}/")
    assert response.status_code == 401
    assert response.json()["error"] == "ERROR_TOKEN_DOES_NOT_EXIST"


def test_management_endpoints_need_a_jwt(api_client, make_token, token_client):
    token = make_token()
    for client in (api_client, token_client(token)):
        for response in (
            client.get(LIST_URL),
            client.post(LIST_URL, {"name": "x", "workspace": token.workspace_id}),
            client.get(item_url(token.id)),
            client.patch(item_url(token.id), {"rotate_key": True}),
            client.delete(item_url(token.id)),
        ):
            assert response.status_code == 401
            assert response.json() == NOT_PROVIDED
    assert Token.objects.filter(id=token.id).exists()
