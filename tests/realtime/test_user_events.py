"""The `user_*` events of 09 reach the members of the user's workspaces, and only them."""

import datetime

import pytest
from django.utils import timezone

from tests.realtime.helpers import barrier, first_table
from workspaces.models import WorkspaceUser
from workspaces.services import accounts_delete_expired

SCHEDULE = "/api/user/schedule-account-deletion/"


@pytest.fixture
def colleague(user, make_user):
    """A member of the user's workspace (with no staff rights, so they may leave)."""
    colleague = make_user(name="Colleague", email="colleague@example.com")
    workspace = first_table(user).database.workspace
    WorkspaceUser.objects.create(workspace=workspace, user=colleague, permissions="MEMBER", order=9)
    return colleague


def public(user, first_name: str | None = None) -> dict:
    return {"id": user.id, "username": user.username, "first_name": first_name or user.first_name}


def test_scheduled_deletion_and_its_cancellation(user, other_user, colleague, ws, api):
    coworker = ws(user)
    stranger = ws(other_user)
    own = ws(colleague)
    # Sent with the colleague's own socket id: that socket hears it all the same, as in Baserow.
    response = api(colleague)("POST", SCHEDULE, websocket_id=own.id)
    assert response.status_code == 204
    deleted = {"type": "user_deleted", "user": public(colleague)}
    assert coworker.receive() == deleted
    assert own.receive() == deleted
    # Logging in again cancels the deletion.
    login = {"email": colleague.email, "password": "password123"}
    assert api(None)("POST", "/api/user/token-auth/", login).status_code == 200
    assert coworker.receive() == {"type": "user_restored", "user": public(colleague)}
    # A plain login of an account not scheduled for deletion restores nothing.
    assert api(None)("POST", "/api/user/token-auth/", login).status_code == 200
    assert barrier(api, coworker, user) == []
    assert barrier(api, stranger, other_user) == []


def test_a_refused_deletion_is_not_announced(user, colleague, ws, api):
    socket = ws(colleague)
    # The user is the instance's only staff member: the deletion is refused.
    assert api(user)("POST", SCHEDULE).json()["error"] == "ERROR_USER_IS_LAST_ADMIN"
    assert barrier(api, socket, colleague) == []


def test_permanent_deletion_reaches_the_remaining_members(user, other_user, colleague, ws, api):
    coworker = ws(user)
    stranger = ws(other_user)
    colleague_id = colleague.id
    assert api(colleague)("POST", SCHEDULE).status_code == 204
    assert coworker.receive()["type"] == "user_deleted"
    assert accounts_delete_expired(now=timezone.now() + datetime.timedelta(days=31)) == 1
    assert coworker.receive() == {"type": "user_permanently_deleted", "user_id": colleague_id}
    assert barrier(api, stranger, other_user) == []


def test_user_updated_payload_is_the_public_user(user, colleague, ws, api):
    socket = ws(colleague)
    api(user)("PATCH", "/api/user/account/", {"first_name": "Augusta"})
    assert socket.receive() == {"type": "user_updated", "user": public(user, "Augusta")}
