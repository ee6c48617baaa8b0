"""Cross-cutting behaviour under /api/: JSON 404s and 405s, content types, the health check."""

import pytest

METHODS = ["get", "post", "put", "patch", "delete", "options"]
TOKEN_AUTH = "/api/user/token-auth/"


def assert_json(response) -> None:
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("method", METHODS)
def test_unknown_api_url_is_a_json_404(client, method):
    response = getattr(client, method)("/api/nope/")
    assert response.status_code == 404
    assert_json(response)
    assert response.json() == {"error": "URL_NOT_FOUND", "detail": "URL /api/nope/ not found."}


def test_head_on_unknown_api_url_is_a_json_404(client):
    response = client.head("/api/nope/")
    assert response.status_code == 404
    assert_json(response)


def test_non_numeric_id_does_not_match_a_route(client):
    response = client.get("/api/workspaces/abc/permissions/")
    assert response.status_code == 404
    assert response.json()["error"] == "URL_NOT_FOUND"


@pytest.mark.parametrize("method", ["get", "post"])
def test_missing_trailing_slash_is_named_not_redirected(client, method):
    response = getattr(client, method)("/api/user/token-auth")
    assert response.status_code == 404
    assert_json(response)
    assert response.json() == {
        "error": "URL_TRAILING_SLASH_MISSING",
        "detail": "A valid URL must end with a trailing slash. "
        "Please, redirect requests to /api/user/token-auth/",
    }


def test_wrong_method_is_a_json_405(client):
    response = client.put(TOKEN_AUTH, {}, content_type="application/json")
    assert response.status_code == 405
    assert_json(response)
    assert response.json() == {"detail": 'Method "PUT" not allowed.'}


def test_unsupported_media_type_is_a_415(client):
    response = client.post(TOKEN_AUTH, "email=a", content_type="text/plain")
    assert response.status_code == 415
    assert_json(response)
    assert response.json() == {"detail": 'Unsupported media type "text/plain" in request.'}


def test_broken_json_is_a_400_with_an_error_code(client):
    response = client.post(TOKEN_AUTH, '{"email": ', content_type="application/json")
    assert response.status_code == 400
    assert_json(response)
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert "detail" in response.json()


def test_protected_route_without_credentials_is_a_json_401(client):
    response = client.get("/api/workspaces/")
    assert response.status_code == 401
    assert_json(response)
    assert response.json() == {"detail": "Authentication credentials were not provided."}


@pytest.mark.parametrize("prefix", ["JWT", "Bearer"])
def test_invalid_access_token_is_a_coded_401(client, prefix):
    response = client.get("/api/workspaces/", HTTP_AUTHORIZATION=f"{prefix} not-a-token")
    assert response.status_code == 401
    assert_json(response)
    assert response.json() == {
        "detail": "Access token is expired or invalid.",
        "error": "ERROR_INVALID_ACCESS_TOKEN",
    }


@pytest.mark.parametrize("url", ["/api/_health/", "/_health/"])
def test_health_check_is_plain_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content == b"OK"
