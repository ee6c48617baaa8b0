"""Account settings, password change and password reset."""

import re

from rest_framework.test import APIClient

from users.services import reset_password_token
from users.tokens import token_pair_for_user

ACCOUNT = "/api/user/account/"
CHANGE = "/api/user/change-password/"
SEND_RESET = "/api/user/send-reset-password-email/"
RESET = "/api/user/reset-password/"
LOGIN = "/api/user/token-auth/"
REFRESH = "/api/user/token-refresh/"


def can_log_in(password: str, email: str = "ada@example.com") -> bool:
    response = APIClient().post(LOGIN, {"email": email, "password": password}, format="json")
    return response.status_code == 200


# Account


def test_account_update_returns_the_account_keys(user_client, user):
    response = user_client.patch(
        ACCOUNT,
        {
            "first_name": "Augusta",
            "language": "fr",
            "email_notification_frequency": "weekly",
            "completed_onboarding": True,
            "completed_guided_tours": ["sidebar"],
        },
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "first_name": "Augusta",
        "language": "fr",
        "email_notification_frequency": "weekly",
        "completed_onboarding": True,
        "completed_guided_tours": ["sidebar"],
    }
    user.refresh_from_db()
    assert user.first_name == "Augusta"
    assert user.email_notification_frequency == "weekly"


def test_account_update_of_one_key_keeps_the_others(user_client, user):
    response = user_client.patch(ACCOUNT, {"language": "de"}, format="json")
    assert response.status_code == 200
    assert response.json()["first_name"] == "Ada"
    assert response.json()["language"] == "de"


def test_account_update_rejects_bad_values(user_client, user):
    for body, field in [
        ({"email_notification_frequency": "hourly"}, "email_notification_frequency"),
        ({"first_name": "A"}, "first_name"),
        ({"completed_guided_tours": "sidebar"}, "completed_guided_tours"),
        ({}, "non_field_errors"),
    ]:
        response = user_client.patch(ACCOUNT, body, format="json")
        assert response.status_code == 400, body
        assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
        assert field in response.json()["detail"]
    user.refresh_from_db()
    assert user.first_name == "Ada"


def test_account_update_ignores_fields_it_does_not_own(user_client, user):
    response = user_client.patch(ACCOUNT, {"language": "nl", "is_staff": True}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.is_staff is True  # the first user is staff anyway
    assert "is_staff" not in response.json()


def test_account_needs_authentication(api_client):
    assert api_client.patch(ACCOUNT, {"language": "nl"}, format="json").status_code == 401


# Change password


def test_change_password_invalidates_every_earlier_token(api_client, user):
    access, refresh = token_pair_for_user(user)
    api_client.credentials(HTTP_AUTHORIZATION=f"JWT {access}")
    response = api_client.post(
        CHANGE, {"old_password": "password123", "new_password": "new-password-1"}, format="json"
    )
    assert response.status_code == 204
    again = api_client.get("/api/workspaces/")
    assert again.status_code == 401
    assert again.json()["error"] == "ERROR_INVALID_ACCESS_TOKEN"
    refreshed = APIClient().post(REFRESH, {"refresh_token": refresh}, format="json")
    assert refreshed.status_code == 401
    assert not can_log_in("password123")
    # A login right after the change gives a token that works at once.
    login = APIClient().post(
        LOGIN, {"email": "ada@example.com", "password": "new-password-1"}, format="json"
    )
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"JWT {login.json()['access_token']}")
    assert fresh.get("/api/workspaces/").status_code == 200


def test_change_password_with_a_wrong_old_password(user_client):
    response = user_client.post(
        CHANGE, {"old_password": "wrong-one", "new_password": "new-password-1"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"error": "ERROR_INVALID_OLD_PASSWORD", "detail": ""}
    assert can_log_in("password123")


def test_change_password_validates_the_new_password(user_client):
    response = user_client.post(
        CHANGE, {"old_password": "password123", "new_password": "short"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["detail"]["new_password"][0]["code"] == "password_validation_failed"
    assert can_log_in("password123")


def test_change_password_needs_authentication(api_client):
    body = {"old_password": "password123", "new_password": "new-password-1"}
    assert api_client.post(CHANGE, body, format="json").status_code == 401


# Password reset


def test_reset_password_flow(api_client, user, mailoutbox):
    old_access, _ = token_pair_for_user(user)
    response = api_client.post(
        SEND_RESET,
        {"email": "ADA@example.com", "base_url": "http://localhost:3000/reset"},
        format="json",
    )
    assert response.status_code == 204
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.com"]
    token = re.search(r"http://localhost:3000/reset/(\S+)", mailoutbox[0].body).group(1)

    response = api_client.post(RESET, {"token": token, "password": "brand-new-pw"}, format="json")
    assert response.status_code == 204
    assert can_log_in("brand-new-pw")
    assert not can_log_in("password123")
    stale = APIClient()
    stale.credentials(HTTP_AUTHORIZATION=f"JWT {old_access}")
    assert stale.get("/api/workspaces/").status_code == 401

    reused = api_client.post(RESET, {"token": token, "password": "another-pw-1"}, format="json")
    assert reused.status_code == 400
    assert reused.json()["error"] == "BAD_TOKEN_SIGNATURE"


def test_reset_email_for_an_unknown_address_says_nothing(api_client, mailoutbox):
    response = api_client.post(
        SEND_RESET, {"email": "ghost@example.com", "base_url": "http://localhost:3000"}
    )
    assert response.status_code == 204
    assert mailoutbox == []


def test_reset_email_refuses_a_foreign_hostname(api_client, user, mailoutbox):
    response = api_client.post(
        SEND_RESET,
        {"email": "ada@example.com", "base_url": "https://evil.example.net/reset"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_HOSTNAME_IS_NOT_ALLOWED"
    assert mailoutbox == []


def test_reset_with_a_forged_token(api_client, user):
    response = api_client.post(RESET, {"token": "abc:def", "password": "brand-new-pw"})
    assert response.status_code == 400
    assert response.json() == {"error": "BAD_TOKEN_SIGNATURE", "detail": ""}


def test_reset_with_an_expired_token(api_client, user, settings):
    token = reset_password_token(user=user)
    settings.RESET_PASSWORD_TOKEN_MAX_AGE_SECONDS = -1
    response = api_client.post(RESET, {"token": token, "password": "brand-new-pw"})
    assert response.status_code == 400
    assert response.json()["error"] == "EXPIRED_TOKEN_SIGNATURE"
    assert can_log_in("password123")


def test_reset_for_a_deleted_user(api_client, user):
    token = reset_password_token(user=user)
    user.delete()
    response = api_client.post(RESET, {"token": token, "password": "brand-new-pw"})
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_USER_NOT_FOUND"


def test_reset_validates_the_password(api_client, user):
    token = reset_password_token(user=user)
    response = api_client.post(RESET, {"token": token, "password": "short"}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]["password"][0]["code"] == "password_validation_failed"
    assert can_log_in("password123")
