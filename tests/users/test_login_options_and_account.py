"""Login options, the auth payload's permissions and notifications, and account merges."""

import pytest
from rest_framework.test import APIClient

from core.models import InstanceSettings
from core.operations import ADMIN_ONLY

ACCOUNT = "/api/user/account/"
LOGIN = "/api/user/token-auth/"


@pytest.mark.django_db
def test_login_options_name_the_password_login():
    response = APIClient().get("/api/auth-provider/login-options/")
    assert response.status_code == 200
    assert response.json() == {"password": {"type": "password"}}


def login(email="ada@example.com"):
    response = APIClient().post(LOGIN, {"email": email, "password": "password123"}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def test_the_auth_payload_lists_the_global_permission_managers(user, other_user):
    body = login(other_user.email)
    assert body["permissions"] == [
        {"name": "core", "permissions": ["list_workspaces"]},
        {
            "name": "setting_operation",
            "permissions": {
                "staff_only_operations": [],
                "always_allowed_operations": ["create_workspace"],
            },
        },
        {
            "name": "staff",
            "permissions": {"staff_only_operations": ["settings.update"], "is_staff": False},
        },
        {
            "name": "allow_if_template",
            "permissions": {
                "allowed_operations_on_templates": body["permissions"][3]["permissions"][
                    "allowed_operations_on_templates"
                ],
                "workspace_template_ids": [],
            },
        },
        {"name": "member", "permissions": False},
    ]
    assert (
        "workspace.read" in body["permissions"][3]["permissions"]["allowed_operations_on_templates"]
    )
    assert body["user_notifications"] == {"unread_count": 0}
    assert "workspace.update" in ADMIN_ONLY


def test_staff_see_it_in_the_payload(user):
    staff = login()["permissions"][2]
    assert staff == {
        "name": "staff",
        "permissions": {"staff_only_operations": ["settings.update"], "is_staff": True},
    }


def test_workspace_creation_turns_staff_only_in_the_payload_when_closed(user):
    InstanceSettings.objects.update_or_create(
        id=1, defaults={"allow_global_workspace_creation": False}
    )
    setting = login()["permissions"][1]["permissions"]
    assert setting == {
        "staff_only_operations": ["create_workspace"],
        "always_allowed_operations": [],
    }


def test_refresh_and_verify_carry_the_same_permissions(user):
    body = login()
    for path in ("/api/user/token-refresh/", "/api/user/token-verify/"):
        response = APIClient().post(path, {"refresh_token": body["refresh_token"]}, format="json")
        assert response.status_code == 200
        assert response.json()["permissions"] == body["permissions"]


def test_completed_guided_tours_are_added_never_removed(user_client, user):
    first = user_client.patch(ACCOUNT, {"completed_guided_tours": ["database"]}, format="json")
    assert first.json()["completed_guided_tours"] == ["database"]
    second = user_client.patch(
        ACCOUNT, {"completed_guided_tours": ["sidebar", "database", "sidebar"]}, format="json"
    )
    assert second.status_code == 200
    assert second.json()["completed_guided_tours"] == ["database", "sidebar"]
    empty = user_client.patch(ACCOUNT, {"completed_guided_tours": []}, format="json")
    assert empty.json()["completed_guided_tours"] == ["database", "sidebar"]
    user.refresh_from_db()
    assert user.completed_guided_tours == ["database", "sidebar"]


def test_language_must_be_one_baserow_ships(user_client, user):
    for language in ("en", "fr", "nl", "de", "es", "it", "pl", "ko"):
        response = user_client.patch(ACCOUNT, {"language": language}, format="json")
        assert response.status_code == 200, language
    for language in ("xx", "english", "EN", ""):
        response = user_client.patch(ACCOUNT, {"language": language}, format="json")
        assert response.status_code == 400, language
        assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    user.refresh_from_db()
    assert user.language == "ko"
