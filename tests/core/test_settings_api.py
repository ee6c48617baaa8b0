"""/api/settings/: public read, staff-only change and instance id, and what the settings allow."""

import pytest
from rest_framework.test import APIClient

from core.models import InstanceSettings
from core.selectors import instance_settings
from workspaces.models import WorkspaceInvitation, WorkspaceUser

SETTINGS = "/api/settings/"
UPDATE = "/api/settings/update/"
INSTANCE_ID = "/api/settings/instance-id/"
SIGNUP = "/api/user/"
SEND_RESET = "/api/user/send-reset-password-email/"
RESET = "/api/user/reset-password/"
WORKSPACES = "/api/workspaces/"
KEYS = {
    "allow_new_signups",
    "allow_signups_via_workspace_invitations",
    "allow_reset_password",
    "allow_global_workspace_creation",
    "account_deletion_grace_delay",
    "show_admin_signup_page",
    "track_workspace_usage",
    "show_baserow_help_request",
    "co_branding_logo",
    "email_verification",
    "verify_import_signature",
}
DENIED = {
    "error": "PERMISSION_DENIED",
    "detail": "You do not have permission to perform this action.",
}


@pytest.fixture
def staff(user):
    """Ada: the instance's first account is staff."""
    assert user.is_staff
    return user


@pytest.fixture
def nonstaff(staff, other_user):
    """Bob, who signed up after Ada."""
    assert not other_user.is_staff
    return other_user


def set_settings(**values) -> None:
    InstanceSettings.objects.filter(id=instance_settings().id).update(**values)


def signup(email: str, **extra):
    body = {"name": "Newcomer", "email": email, "password": "password123", **extra}
    return APIClient().post(SIGNUP, body, format="json")


@pytest.mark.django_db
def test_anyone_reads_the_settings_with_their_defaults():
    response = APIClient().get(SETTINGS, HTTP_AUTHORIZATION="JWT not-a-token")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == KEYS
    assert body["allow_new_signups"] is True
    assert body["email_verification"] == "no_verification"
    assert body["co_branding_logo"] is None
    assert body["account_deletion_grace_delay"] == 30


@pytest.mark.django_db
def test_the_environment_seeds_allow_new_signups(settings):
    settings.ALLOW_NEW_SIGNUPS = False
    assert APIClient().get(SETTINGS).json()["allow_new_signups"] is False


def test_staff_update_the_settings(client_for, staff):
    response = client_for(staff).patch(
        UPDATE, {"allow_new_signups": False, "email_verification": "enforced"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["allow_new_signups"] is False
    assert response.json()["email_verification"] == "enforced"
    assert response.json()["allow_reset_password"] is True
    public = APIClient().get(SETTINGS).json()
    assert (public["allow_new_signups"], public["email_verification"]) == (False, "enforced")


def test_settings_update_rejects_bad_values(client_for, staff):
    for body in (
        {"email_verification": "sometimes"},
        {"allow_new_signups": "perhaps"},
        {"account_deletion_grace_delay": -1},
    ):
        response = client_for(staff).patch(UPDATE, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert APIClient().get(SETTINGS).json()["email_verification"] == "no_verification"


def test_only_staff_change_settings_or_read_the_instance_id(client_for, nonstaff, staff):
    response = client_for(nonstaff).patch(UPDATE, {"allow_new_signups": False}, format="json")
    assert (response.status_code, response.json()) == (403, DENIED)
    assert APIClient().get(SETTINGS).json()["allow_new_signups"] is True
    response = client_for(nonstaff).get(INSTANCE_ID)
    assert (response.status_code, response.json()) == (403, DENIED)
    assert APIClient().patch(UPDATE, {}, format="json").status_code == 401
    assert APIClient().get(INSTANCE_ID).status_code == 401
    instance_id = client_for(staff).get(INSTANCE_ID).json()["instance_id"]
    assert len(instance_id) >= 32
    assert client_for(staff).get(INSTANCE_ID).json()["instance_id"] == instance_id


@pytest.mark.django_db
def test_closed_signup_refuses_new_accounts():
    set_settings(allow_new_signups=False)
    response = signup("eve@example.com")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_DISABLED_SIGNUP"


def test_closed_signup_still_lets_the_invited_in_unless_that_is_closed_too(user):
    from workspaces.services import invitation_token

    workspace = WorkspaceUser.objects.get(user=user).workspace
    invitation = WorkspaceInvitation.objects.create(
        workspace=workspace, invited_by=user, email="dora@example.com"
    )
    token = invitation_token(invitation=invitation)
    set_settings(allow_new_signups=False, allow_signups_via_workspace_invitations=False)
    refused = signup("dora@example.com", workspace_invitation_token=token)
    assert refused.json()["error"] == "ERROR_DISABLED_SIGNUP"
    set_settings(allow_signups_via_workspace_invitations=True)
    accepted = signup("dora@example.com", workspace_invitation_token=token)
    assert accepted.status_code == 200, accepted.json()
    assert WorkspaceUser.objects.filter(workspace=workspace, user__email="dora@example.com")


def test_disabled_reset_password_refuses_both_steps(user, api_client):
    set_settings(allow_reset_password=False)
    body = {"email": user.email, "base_url": "http://localhost:3000/reset"}
    response = api_client.post(SEND_RESET, body, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_DISABLED_RESET_PASSWORD",
        "detail": "Reset password is disabled.",
    }
    from users.services import reset_password_token

    body = {"token": reset_password_token(user=user), "password": "a-new-password"}
    response = api_client.post(RESET, body, format="json")
    assert response.json()["error"] == "ERROR_DISABLED_RESET_PASSWORD"


def test_workspace_creation_closed_to_non_staff(client_for, nonstaff, staff):
    set_settings(allow_global_workspace_creation=False)
    response = client_for(nonstaff).post(WORKSPACES, {"name": "Mine"}, format="json")
    assert response.status_code == 401
    assert response.json()["error"] == "PERMISSION_DENIED"
    assert not WorkspaceUser.objects.filter(user=nonstaff, workspace__name="Mine").exists()
    response = client_for(staff).post(WORKSPACES, {"name": "Staff's"}, format="json")
    assert response.status_code == 200
    # Signing up still makes the newcomer's first workspace.
    assert signup("fred@example.com").status_code == 200
    assert WorkspaceUser.objects.filter(user__email="fred@example.com").exists()
