"""`ClientSessionId` and `ClientUndoRedoActionGroupId` (00-conventions.md): a signed-in request
sending an invalid one is refused before anything runs."""

import uuid

import pytest

from workspaces.models import Workspace

SESSION = "HTTP_CLIENTSESSIONID"
ACTION_GROUP = "HTTP_CLIENTUNDOREDOACTIONGROUPID"


def workspace_of(user) -> Workspace:
    return Workspace.objects.filter(memberships__user=user).order_by("id").first()


@pytest.mark.parametrize("value", ["", "tab 1", "tab_1", "é", "a" * 257])
def test_an_invalid_session_id_is_refused_and_nothing_changes(user, user_client, value):
    workspace = workspace_of(user)
    response = user_client.patch(
        f"/api/workspaces/{workspace.id}/", {"name": "Renamed"}, format="json", **{SESSION: value}
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_INVALID_CLIENT_SESSION_ID",
        "detail": "The ClientSessionId header must hold 1 to 256 characters, each a letter, "
        "a digit or -.",
    }
    workspace.refresh_from_db()
    assert workspace.name != "Renamed"


@pytest.mark.parametrize("value", ["tab-1", "A9-z", "a" * 256])
def test_a_valid_session_id_is_taken(user, user_client, value):
    workspace = workspace_of(user)
    response = user_client.patch(
        f"/api/workspaces/{workspace.id}/", {"name": "Renamed"}, format="json", **{SESSION: value}
    )
    assert response.status_code == 200
    assert response.json()["name"] == "Renamed"


@pytest.mark.parametrize("value", ["", "not-a-uuid", "1234"])
def test_an_invalid_action_group_is_refused(user_client, value):
    response = user_client.get("/api/workspaces/", **{ACTION_GROUP: value})
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_INVALID_CLIENT_ACTION_GROUP",
        "detail": "The ClientUndoRedoActionGroupId header must be a UUID.",
    }


def test_a_valid_action_group_is_taken(user_client):
    response = user_client.get(
        "/api/workspaces/", **{ACTION_GROUP: str(uuid.uuid4()), SESSION: "tab-1"}
    )
    assert response.status_code == 200


def test_the_session_id_is_checked_before_the_action_group(user_client):
    response = user_client.get("/api/workspaces/", **{SESSION: "bad id", ACTION_GROUP: "bad"})
    assert response.json()["error"] == "ERROR_INVALID_CLIENT_SESSION_ID"


def test_requests_without_a_signed_in_user_ignore_the_headers(api_client, user):
    # As Baserow: the headers are read for signed-in requests only.
    assert api_client.get("/api/_health/", **{SESSION: "bad id"}).status_code == 200
    unauthenticated = api_client.get("/api/workspaces/", **{SESSION: "bad id"})
    assert unauthenticated.status_code == 401


def test_login_checks_the_headers_after_the_credentials(api_client, user):
    body = {"email": "ada@example.com", "password": "wrong password"}
    refused = api_client.post("/api/user/token-auth/", body, format="json", **{SESSION: "x y"})
    assert refused.status_code == 401
    body["password"] = "password123"
    response = api_client.post("/api/user/token-auth/", body, format="json", **{SESSION: "x y"})
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_INVALID_CLIENT_SESSION_ID"
    response = api_client.post("/api/user/token-auth/", body, format="json", **{SESSION: "tab-1"})
    assert response.status_code == 200
