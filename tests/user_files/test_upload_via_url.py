"""POST /api/user-files/upload-via-url/: fetching, the private-address guard, limits."""

import pytest

from tests.user_files.conftest import VIA_URL, png_bytes
from user_files.models import UserFile

UNREACHABLE = {
    "error": "ERROR_FILE_URL_COULD_NOT_BE_REACHED",
    "detail": "The provided URL could not be reached.",
}


@pytest.fixture
def allow_loopback(settings):
    """The test servers listen on loopback, which the guard refuses unless allowed."""
    settings.OUTBOUND_ALLOWED_NETWORKS = ["127.0.0.1/32"]


def post(client, url: str):
    return client.post(VIA_URL, {"url": url}, format="json")


@pytest.mark.django_db
def test_a_file_is_fetched_and_stored(user_client, http_server, allow_loopback):
    http_server.serve("/images/cat%20photo.png", png_bytes(60, 30), "image/png")

    response = post(user_client, f"{http_server.url}/images/cat%20photo.png?size=large")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["original_name"] == "cat photo.png"
    assert (body["is_image"], body["image_width"], body["image_height"]) == (True, 60, 30)
    assert body["size"] == len(png_bytes(60, 30))


@pytest.mark.django_db
def test_redirects_are_followed_and_name_the_file(user_client, http_server, allow_loopback):
    http_server.serve("/final.txt", b"hello")
    http_server.redirect("/start", "/final.txt")

    response = post(user_client, f"{http_server.url}/start")

    assert response.json()["original_name"] == "final.txt"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/file.txt",
        "http://localhost/file.txt",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/file.txt",
        "http://192.168.1.1/file.txt",
        "http://[::1]/file.txt",
        "http://[::ffff:127.0.0.1]/file.txt",
        "http://0.0.0.0/file.txt",
    ],
)
def test_private_addresses_are_refused(user_client, url):
    response = post(user_client, url)

    assert (response.status_code, response.json()) == (400, UNREACHABLE)


@pytest.mark.django_db
def test_loopback_is_refused_unless_allowed(user_client, http_server, settings):
    http_server.serve("/a.txt", b"a")

    assert post(user_client, f"{http_server.url}/a.txt").json() == UNREACHABLE
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True
    assert post(user_client, f"{http_server.url}/a.txt").status_code == 200


@pytest.mark.django_db
def test_a_redirect_to_a_forbidden_address_is_refused(
    user_client, http_server, other_http_server, allow_loopback
):
    other_http_server.serve("/secret.txt", b"internal")
    http_server.redirect("/jump", f"{other_http_server.url}/secret.txt")

    response = post(user_client, f"{http_server.url}/jump")

    assert (response.status_code, response.json()) == (400, UNREACHABLE)
    assert UserFile.objects.count() == 0


@pytest.mark.django_db
def test_too_many_redirects(user_client, http_server, allow_loopback):
    http_server.redirect("/loop", "/loop")

    assert post(user_client, f"{http_server.url}/loop").json() == UNREACHABLE


@pytest.mark.django_db
def test_error_statuses_and_unknown_hosts_are_unreachable(user_client, http_server, allow_loopback):
    assert post(user_client, f"{http_server.url}/missing").json() == UNREACHABLE
    assert post(user_client, "http://no-such-host.invalid/file.txt").json() == UNREACHABLE


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(user_client, http_server, allow_loopback, settings):
    settings.BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB = 1
    http_server.serve("/big.bin", b"\0" * (1024 * 1024 + 1))

    response = post(user_client, f"{http_server.url}/big.bin")

    assert response.status_code == 413
    assert response.json()["error"] == "ERROR_FILE_SIZE_TOO_LARGE"


@pytest.mark.django_db
def test_urls_that_are_not_http_are_invalid(user_client):
    response = post(user_client, "ftp://example.com/file.txt")
    assert (response.status_code, response.json()) == (
        400,
        {"error": "ERROR_INVALID_FILE_URL", "detail": "The provided URL is not valid."},
    )
    response = post(user_client, "not a url")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
    assert post(user_client, "").json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"


@pytest.mark.django_db
def test_anonymous_is_refused(api_client):
    assert post(api_client, "http://example.com/").status_code == 401
