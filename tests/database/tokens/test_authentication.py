"""`Authorization: Token <key>`: its failures, the check endpoint, and where a token is refused."""

import pytest
from django.urls import reverse

from database.fields.models import Field
from database.tokens.services import token_update
from database.views.models import View
from tests.database.tokens.conftest import (
    ALL_TABLES_URL,
    CHECK_URL,
    GROUP_MISMATCH,
    LIST_URL,
    NOT_PROVIDED,
    UNKNOWN_TOKEN,
    client_with_key,
    item_url,
    key_of,
)
from workspaces.models import WorkspaceUser
from workspaces.services import workspace_create

ROWS = "/api/database/rows/table"
NOT_ACTIVE = {
    "detail": "The user related to the token is disabled.",
    "error": "ERROR_USER_NOT_ACTIVE",
}


@pytest.mark.parametrize("prefix", ["Token", "token", "TOKEN", "tOkEn"])
def test_the_prefix_is_case_insensitive(table, make_token, prefix):
    client = client_with_key(key_of(make_token()), prefix=prefix)
    assert client.get(f"{ROWS}/{table.id}/").status_code == 200
    assert client.get(CHECK_URL).json() == {"token": "OK"}


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("Token", "Invalid token header. No token provided."),
        ("Token a b", "Invalid token header. Token string should not contain spaces."),
    ],
)
def test_a_malformed_header_is_refused(api_client, table, header, detail):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get(f"{ROWS}/{table.id}/")
    assert response.status_code == 401
    assert response.json() == {"detail": detail, "error": "ERROR_INVALID_TOKEN_HEADER"}
    assert api_client.get(CHECK_URL).status_code == 403


@pytest.mark.parametrize("key", ["a" * 32, "short", "ä" * 32, "a" * 31 + "!", "a" * 500])
def test_an_unknown_key_does_not_exist(table, key):
    client = client_with_key(key)
    response = client.get(f"{ROWS}/{table.id}/")
    assert response.status_code == 401
    assert response.json() == UNKNOWN_TOKEN
    response = client.get(CHECK_URL)
    assert response.status_code == 403
    assert response.json() == UNKNOWN_TOKEN


def test_a_rotated_key_stops_working_and_the_new_one_works(user, table, make_token):
    token = make_token()
    old = key_of(token)
    token_update(user=user, token_id=token.id, rotate_key=True)
    new = key_of(token)
    assert new != old
    assert client_with_key(old).get(f"{ROWS}/{table.id}/").json() == UNKNOWN_TOKEN
    assert client_with_key(new).get(f"{ROWS}/{table.id}/").status_code == 200


def test_a_deleted_key_stops_working(user_client, table, make_token):
    token = make_token()
    key = key_of(token)
    user_client.delete(item_url(token.id))
    response = client_with_key(key).get(f"{ROWS}/{table.id}/")
    assert response.status_code == 401
    assert response.json() == UNKNOWN_TOKEN
    assert client_with_key(key).get(CHECK_URL).status_code == 403


def test_a_token_of_another_workspace_of_the_same_user(user, table, make_token, token_client):
    elsewhere = workspace_create(user=user, name="Elsewhere").workspace
    client = token_client(make_token(on=elsewhere))
    response = client.get(f"{ROWS}/{table.id}/")
    assert response.status_code == 401
    assert response.json()["error"] == "ERROR_NO_PERMISSION_TO_TABLE"


def test_a_user_who_left_the_workspace_gets_a_group_mismatch(
    user, workspace, table, make_token, token_client
):
    client = token_client(make_token())
    WorkspaceUser.objects.filter(user=user, workspace=workspace).delete()
    for response in (
        client.get(f"{ROWS}/{table.id}/"),
        client.post(f"{ROWS}/{table.id}/batch/", {"items": [{}]}, format="json"),
        client.get(f"/api/database/fields/table/{table.id}/"),
    ):
        assert response.status_code == 401
        assert response.json() == GROUP_MISMATCH
    for url in (CHECK_URL, ALL_TABLES_URL):
        response = client.get(url)
        assert response.status_code == 403
        assert response.json() == GROUP_MISMATCH


def test_an_inactive_user_is_refused(user, table, make_token, token_client):
    client = token_client(make_token())
    user.is_active = False
    user.save()
    response = client.get(f"{ROWS}/{table.id}/")
    assert response.status_code == 401
    assert response.json() == NOT_ACTIVE
    response = client.get(CHECK_URL)
    assert response.status_code == 403
    assert response.json() == NOT_ACTIVE


def test_a_trashed_workspace_takes_its_tokens_along(
    user_client, workspace, table, make_token, token_client
):
    token = make_token()
    client = token_client(token)
    workspace.trashed = True
    workspace.save()
    assert client.get(CHECK_URL).json() == UNKNOWN_TOKEN
    assert client.get(f"{ROWS}/{table.id}/").json() == UNKNOWN_TOKEN
    assert user_client.get(LIST_URL).json() == []
    assert user_client.get(item_url(token.id)).status_code == 404


def test_a_deleted_user_takes_their_tokens_along(user, make_token):
    key = key_of(make_token())
    user.delete()
    assert client_with_key(key).get(CHECK_URL).json() == UNKNOWN_TOKEN


def test_check_answers_ok_to_a_token_only(api_client, user_client, make_token, token_client):
    response = token_client(make_token()).get(CHECK_URL)
    assert response.status_code == 200
    assert response.json() == {"token": "OK"}
    for client in (api_client, user_client):
        response = client.get(CHECK_URL)
        assert response.status_code == 403
        assert response.json() == NOT_PROVIDED


def test_all_tables_refuses_a_jwt_or_nothing(api_client, user_client):
    for client in (api_client, user_client):
        response = client.get(ALL_TABLES_URL)
        assert response.status_code == 403
        assert response.json() == NOT_PROVIDED


def test_rows_and_fields_still_take_a_jwt(user_client, table):
    assert user_client.get(f"{ROWS}/{table.id}/").status_code == 200
    assert user_client.get(f"/api/database/fields/table/{table.id}/").status_code == 200


def test_a_token_never_reaches_jwt_only_endpoints(
    workspace, database_app, table, make_token, token_client
):
    token = make_token()
    client = token_client(token)
    field = Field.objects.get(table=table, primary=True)
    member = WorkspaceUser.objects.filter(workspace=workspace).first()
    view = View.objects.create(table=table, name="Grid", type="grid")
    requests = [
        ("get", "/api/workspaces/"),
        ("post", "/api/workspaces/"),
        ("get", f"/api/workspaces/{workspace.id}/"),
        ("patch", f"/api/workspaces/{workspace.id}/"),
        ("delete", f"/api/workspaces/{workspace.id}/"),
        ("get", f"/api/workspaces/users/workspace/{workspace.id}/"),
        ("get", f"/api/workspaces/{workspace.id}/permissions/"),
        ("patch", f"/api/workspaces/users/{member.id}/"),
        ("get", f"/api/applications/workspace/{workspace.id}/"),
        ("post", f"/api/applications/workspace/{workspace.id}/"),
        ("get", f"/api/applications/{database_app.id}/"),
        ("patch", f"/api/applications/{database_app.id}/"),
        ("delete", f"/api/applications/{database_app.id}/"),
        ("get", f"/api/database/tables/database/{database_app.id}/"),
        ("post", f"/api/database/tables/database/{database_app.id}/"),
        ("get", f"/api/database/tables/{table.id}/"),
        ("patch", f"/api/database/tables/{table.id}/"),
        ("delete", f"/api/database/tables/{table.id}/"),
        ("post", f"/api/database/tables/{table.id}/duplicate/async/"),
        ("get", f"/api/database/fields/{field.id}/"),
        ("patch", f"/api/database/fields/{field.id}/"),
        ("delete", f"/api/database/fields/{field.id}/"),
        ("get", f"/api/database/fields/{field.id}/unique_row_values/"),
        ("post", f"/api/database/fields/table/{table.id}/change-primary-field/"),
        ("get", LIST_URL),
        ("post", LIST_URL),
        ("get", item_url(token.id)),
        ("patch", item_url(token.id)),
        ("delete", item_url(token.id)),
        ("get", f"/api/database/views/table/{table.id}/"),
        ("post", f"/api/database/views/table/{table.id}/"),
        ("get", f"/api/database/views/{view.id}/"),
        ("patch", f"/api/database/views/{view.id}/"),
        ("delete", f"/api/database/views/{view.id}/"),
        ("get", f"/api/database/views/{view.id}/filters/"),
        ("get", f"/api/database/views/{view.id}/sortings/"),
        ("get", f"/api/database/views/{view.id}/field-options/"),
        ("get", f"/api/database/views/grid/{view.id}/"),
        ("get", f"/api/database/{database_app.id}/schema.json"),
        ("get", "/api/user/account/"),
        ("get", "/api/jobs/"),
        ("get", reverse("api:user:dashboard")),
    ]
    for method, url in requests:
        response = getattr(client, method)(url, {}, format="json")
        assert response.status_code == 401, (method, url, response.content)
        assert response.json() == NOT_PROVIDED, (method, url)
    assert client.get(CHECK_URL).status_code == 200  # the token survived all of that
