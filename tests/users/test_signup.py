"""POST /api/user/: signup."""

import jwt
import pytest
from django.conf import settings

from users.models import User

URL = "/api/user/"


def signup(client, **overrides):
    body = {"name": "Ada", "email": "ada@example.com", "password": "password123"}
    body.update(overrides)
    return client.post(URL, body, format="json")


def test_signup_returns_the_user(api_client):
    response = signup(api_client)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"user"}
    user = body["user"]
    assert user["first_name"] == "Ada"
    assert user["username"] == "ada@example.com"
    assert user["language"] == "en"
    assert user["email_notification_frequency"] == "instant"
    assert user["email_verified"] is False
    assert user["completed_onboarding"] is False
    assert user["completed_guided_tours"] == []
    assert isinstance(user["id"], int)
    assert "password" not in user


def test_first_user_is_staff_and_later_ones_are_not(api_client):
    assert signup(api_client).json()["user"]["is_staff"] is True
    second = signup(api_client, email="bob@example.com", name="Bob")
    assert second.json()["user"]["is_staff"] is False


def test_signup_normalizes_the_email(api_client):
    # Fullwidth letters fold to ASCII under NFKC; spaces go; case goes.
    response = signup(api_client, email="  \uff21da@Example.COM ")
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "ada@example.com"
    assert User.objects.get().email == "ada@example.com"


def test_signup_with_authenticate_returns_tokens_with_a_60_minute_access(api_client):
    response = signup(api_client, authenticate=True)
    assert response.status_code == 200
    body = response.json()
    assert {
        "user",
        "token",
        "access_token",
        "refresh_token",
        "user_session",
        "permissions",
        "user_notifications",
    } <= set(body)
    assert body["token"] == body["access_token"]
    claims = jwt.decode(body["access_token"], settings.SIMPLE_JWT["SIGNING_KEY"], ["HS256"])
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["token_type"] == "access"
    assert claims["user_id"] == body["user"]["id"]
    refresh = jwt.decode(body["refresh_token"], settings.SIMPLE_JWT["SIGNING_KEY"], ["HS256"])
    assert refresh["token_type"] == "refresh"
    assert refresh["exp"] - refresh["iat"] == 7 * 24 * 3600


def test_signup_creates_the_example_workspace(api_client):
    body = signup(api_client, authenticate=True).json()
    api_client.credentials(HTTP_AUTHORIZATION=f"JWT {body['access_token']}")
    workspaces = api_client.get("/api/workspaces/").json()
    assert [w["name"] for w in workspaces] == ["Ada's workspace"]
    assert workspaces[0]["permissions"] == "ADMIN"


def test_duplicate_email_is_refused_whatever_its_case(api_client):
    assert signup(api_client).status_code == 200
    response = signup(api_client, email="ADA@example.com")
    assert response.status_code == 400
    assert response.json() == {"error": "ERROR_EMAIL_ALREADY_EXISTS", "detail": ""}
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"password": "short"}, "password", "password_validation_failed"),
        ({"password": "x" * 257}, "password", "max_length"),
        ({"name": "A"}, "name", "min_length"),
        ({"name": "A" * 151}, "name", "max_length"),
        ({"email": "not-an-email"}, "email", "invalid"),
        ({"email": "a" * 250 + "@example.com"}, "email", "max_length"),
        ({"language": "x"}, "language", "invalid_language"),
        ({"language": "zz"}, "language", "invalid_language"),
        ({"authenticate": "maybe"}, "authenticate", "invalid"),
        ({"name": ["Ada"]}, "name", "invalid"),
    ],
)
def test_invalid_signup_bodies(api_client, overrides, field, code):
    response = signup(api_client, **overrides)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert body["detail"][field][0]["code"] == code
    assert isinstance(body["detail"][field][0]["error"], str)
    assert not User.objects.exists()


def test_missing_fields_are_each_required(api_client):
    response = api_client.post(URL, {}, format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    for field in ("name", "email", "password"):
        assert detail[field] == [{"error": "This field is required.", "code": "required"}]


def test_a_stale_authorization_header_does_not_block_signup(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="JWT not-a-token")
    assert signup(api_client).status_code == 200


def test_signup_can_be_disabled(api_client, settings):
    settings.ALLOW_NEW_SIGNUPS = False
    response = signup(api_client)
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_DISABLED_SIGNUP"
