"""Login, JWT authentication, refresh, verify and logout."""

from datetime import timedelta

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken, RefreshToken

from users.tokens import token_pair_for_user

LOGIN = "/api/user/token-auth/"
REFRESH = "/api/user/token-refresh/"
VERIFY = "/api/user/token-verify/"
BLACKLIST = "/api/user/token-blacklist/"
PROTECTED = "/api/workspaces/"
INVALID_ACCESS = {
    "detail": "Access token is expired or invalid.",
    "error": "ERROR_INVALID_ACCESS_TOKEN",
}
INVALID_REFRESH = {
    "error": "ERROR_INVALID_REFRESH_TOKEN",
    "detail": "Refresh token is expired or invalid.",
}


def login(client, email="ada@example.com", password="password123", key="email"):
    return client.post(LOGIN, {key: email, "password": password}, format="json")


def get_with(header: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    return client.get(PROTECTED)


# Login


def test_login_returns_the_full_auth_payload(api_client, user):
    response = login(api_client)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "user",
        "token",
        "access_token",
        "refresh_token",
        "user_session",
        "permissions",
        "user_notifications",
    }
    assert body["user"]["username"] == "ada@example.com"
    assert body["token"] == body["access_token"]
    assert body["user_notifications"] == {"unread_count": 0}
    user.refresh_from_db()
    assert user.last_login is not None


def test_login_accepts_the_deprecated_username_key_and_any_case(api_client, user):
    assert login(api_client, key="username").status_code == 200
    assert login(api_client, email=" ADA@Example.com").status_code == 200


def test_login_tokens_carry_the_contract_claims(api_client, user):
    body = login(api_client).json()
    key = settings.SIMPLE_JWT["SIGNING_KEY"]
    access = jwt.decode(body["access_token"], key, ["HS256"])
    assert access["exp"] - access["iat"] == 3600
    assert set(access) >= {"token_type", "exp", "iat", "jti", "user_id"}
    assert access["user_id"] == user.id
    refresh = jwt.decode(body["refresh_token"], key, ["HS256"])
    assert refresh["token_type"] == "refresh"


@pytest.mark.parametrize(
    ("email", "password"),
    [("ada@example.com", "wrong-password"), ("nobody@example.com", "password123")],
)
def test_wrong_credentials_get_401(api_client, user, email, password):
    response = login(api_client, email=email, password=password)
    assert response.status_code == 401
    assert response.json() == {
        "error": "ERROR_INVALID_CREDENTIALS",
        "detail": "No active account found with the given credentials.",
    }


def test_a_deactivated_user_cannot_log_in(api_client, user):
    user.is_active = False
    user.save()
    response = login(api_client)
    assert response.status_code == 401
    assert response.json()["error"] == "ERROR_DEACTIVATED_USER"


def test_login_without_email_or_username_is_a_validation_error(api_client, user):
    response = api_client.post(LOGIN, {"password": "password123"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "error": "ERROR_REQUEST_BODY_VALIDATION",
        "detail": {"email": [{"error": "This field is required.", "code": "required"}]},
    }


def test_login_cancels_a_scheduled_account_deletion(api_client, user):
    user.to_be_deleted = True
    user.save()
    assert login(api_client).status_code == 200
    user.refresh_from_db()
    assert user.to_be_deleted is False


# Authenticating requests


def test_jwt_and_bearer_headers_both_authenticate(user):
    access, _ = token_pair_for_user(user)
    assert get_with(f"JWT {access}").status_code == 200
    assert get_with(f"Bearer {access}").status_code == 200


def test_no_header_is_401_without_error_code(api_client):
    response = api_client.get(PROTECTED)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_an_unknown_scheme_counts_as_anonymous():
    response = get_with("Basic dXNlcjpwYXNz")
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_an_expired_access_token_is_refused(user):
    token = AccessToken.for_user(user)
    token.set_exp(lifetime=-timedelta(seconds=1))
    response = get_with(f"JWT {token}")
    assert response.status_code == 401
    assert response.json() == INVALID_ACCESS


def test_a_forged_access_token_is_refused(user):
    access, _ = token_pair_for_user(user)
    claims = jwt.decode(access, settings.SIMPLE_JWT["SIGNING_KEY"], ["HS256"])
    forged = jwt.encode(claims, "some-other-key-that-is-long-enough-for-hs256", algorithm="HS256")
    assert get_with(f"JWT {forged}").json() == INVALID_ACCESS
    unsigned = jwt.encode(claims, None, algorithm="none")
    assert get_with(f"JWT {unsigned}").status_code == 401
    assert get_with("JWT garbage.garbage.garbage").json() == INVALID_ACCESS
    assert get_with("JWT").status_code == 401


def test_a_refresh_token_cannot_be_used_as_access(user):
    _, refresh = token_pair_for_user(user)
    response = get_with(f"JWT {refresh}")
    assert response.status_code == 401
    assert response.json() == INVALID_ACCESS


def test_a_token_of_a_deleted_user_is_refused(user):
    access, _ = token_pair_for_user(user)
    user.delete()
    assert get_with(f"JWT {access}").json() == INVALID_ACCESS


def test_a_deactivated_user_with_a_valid_token_gets_401(user):
    access, _ = token_pair_for_user(user)
    user.is_active = False
    user.save()
    response = get_with(f"JWT {access}")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "User account has been disabled.",
        "error": "ERROR_DEACTIVATED_USER",
    }


# Refresh


def test_refresh_gives_a_new_access_token_only(api_client, user):
    tokens = login(api_client).json()
    response = api_client.post(REFRESH, {"refresh_token": tokens["refresh_token"]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"user", "token", "access_token", "permissions", "user_notifications"}
    assert get_with(f"JWT {body['access_token']}").status_code == 200


def test_refresh_accepts_the_deprecated_token_key(api_client, user):
    _, refresh = token_pair_for_user(user)
    assert api_client.post(REFRESH, {"token": refresh}, format="json").status_code == 200


@pytest.mark.parametrize("kind", ["access", "garbage", "expired"])
def test_refresh_refuses_bad_tokens(api_client, user, kind):
    access, _ = token_pair_for_user(user)
    expired = RefreshToken.for_user(user)
    expired.set_exp(lifetime=-timedelta(seconds=1))
    token = {"access": access, "garbage": "abc.def.ghi", "expired": str(expired)}[kind]
    response = api_client.post(REFRESH, {"refresh_token": token}, format="json")
    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH


def test_refresh_is_refused_for_inactive_or_scheduled_users(api_client, user):
    _, refresh = token_pair_for_user(user)
    user.to_be_deleted = True
    user.save()
    response = api_client.post(REFRESH, {"refresh_token": refresh}, format="json")
    assert response.json() == INVALID_REFRESH
    user.to_be_deleted = False
    user.is_active = False
    user.save()
    response = api_client.post(REFRESH, {"refresh_token": refresh}, format="json")
    assert response.status_code == 401


def test_refresh_without_a_token_is_a_validation_error(api_client):
    response = api_client.post(REFRESH, {}, format="json")
    assert response.status_code == 400
    assert response.json()["detail"]["refresh_token"][0]["code"] == "required"


# Verify


def test_verify_returns_the_user_without_tokens(api_client, user):
    _, refresh = token_pair_for_user(user)
    response = api_client.post(VERIFY, {"refresh_token": refresh}, format="json")
    assert response.status_code == 200
    assert set(response.json()) == {"user", "permissions", "user_notifications"}
    assert response.json()["user"]["id"] == user.id


def test_verify_refuses_an_access_token(api_client, user):
    access, _ = token_pair_for_user(user)
    response = api_client.post(VERIFY, {"refresh_token": access}, format="json")
    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH


# Blacklist (logout)


def test_blacklisted_refresh_token_can_no_longer_refresh(api_client, user):
    _, refresh = token_pair_for_user(user)
    response = api_client.post(BLACKLIST, {"refresh_token": refresh}, format="json")
    assert response.status_code == 204
    assert response.content == b""
    again = api_client.post(BLACKLIST, {"refresh_token": refresh}, format="json")
    assert again.status_code == 400
    assert again.json()["error"] == "ERROR_REFRESH_TOKEN_ALREADY_BLACKLISTED"
    refused = api_client.post(REFRESH, {"refresh_token": refresh}, format="json")
    assert refused.json() == INVALID_REFRESH
    assert api_client.post(VERIFY, {"refresh_token": refresh}, format="json").status_code == 401


def test_blacklist_stores_no_usable_token(api_client, user):
    from users.models import BlacklistedToken

    _, refresh = token_pair_for_user(user)
    api_client.post(BLACKLIST, {"refresh_token": refresh}, format="json")
    stored = BlacklistedToken.objects.get()
    assert refresh not in stored.hashed_token
    assert len(stored.hashed_token) == 64


def test_blacklisting_an_invalid_token_is_401(api_client, user):
    response = api_client.post(BLACKLIST, {"refresh_token": "nope"}, format="json")
    assert response.status_code == 401
    assert response.json() == INVALID_REFRESH
