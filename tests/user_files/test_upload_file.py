"""POST /api/user-files/upload-file/: storage, thumbnails, limits, authentication."""

import io
import re
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from database.tokens.services import token_create
from tests.database.tokens.conftest import client_with_key, key_of
from tests.user_files.conftest import UPLOAD_URL, png_bytes, upload
from user_files.models import UserFile
from user_files.services import user_file_upload
from workspaces.models import WorkspaceUser

NAME = re.compile(r"^[A-Za-z0-9]{32}_[0-9a-f]{64}\.(png|txt|jpeg)$")


def media_get(client, url: str):
    return client.get(urlsplit(url).path)


@pytest.mark.django_db
def test_an_image_is_stored_with_its_thumbnails(user_client, api_client):
    response = upload(user_client, "photo.png", png_bytes(100, 140))

    assert response.status_code == 200, response.json()
    body = response.json()
    assert NAME.match(body["name"])
    assert body["original_name"] == "photo.png"
    assert body["size"] == len(png_bytes(100, 140))
    assert body["mime_type"] == "image/png"
    assert (body["is_image"], body["image_width"], body["image_height"]) == (True, 100, 140)
    assert body["uploaded_at"].endswith("Z")
    assert body["url"] == f"http://localhost:8000/media/user_files/{body['name']}"
    assert {size: (t["width"], t["height"]) for size, t in body["thumbnails"].items()} == {
        "tiny": (None, 21),
        "small": (48, 48),
        "card_cover": (300, 160),
    }
    original = media_get(api_client, body["url"])
    assert original.status_code == 200
    assert b"".join(original.streaming_content) == png_bytes(100, 140)
    assert original["Content-Type"] == "image/png"
    assert original["X-Content-Type-Options"] == "nosniff"
    expected_sizes = {"tiny": (15, 21), "small": (48, 48), "card_cover": (300, 160)}
    for size, thumbnail in body["thumbnails"].items():
        served = media_get(api_client, thumbnail["url"])
        assert served.status_code == 200
        with default_storage.open(f"thumbnails/{size}/{body['name']}") as stored:
            assert Image.open(stored).size == expected_sizes[size]


@pytest.mark.django_db
def test_a_jpeg_gets_jpeg_thumbnails(user_client):
    body = upload(user_client, "photo.JPEG", png_bytes(400, 300, "JPEG")).json()

    assert body["name"].endswith(".jpeg")
    assert body["mime_type"] == "image/jpeg"
    with default_storage.open(f"thumbnails/card_cover/{body['name']}") as stored:
        assert Image.open(stored).format == "JPEG"


@pytest.mark.django_db
def test_a_text_file_is_not_an_image(user_client):
    body = upload(user_client, "notes.txt", b"hello").json()

    assert (body["is_image"], body["image_width"], body["thumbnails"]) == (False, None, None)
    assert body["mime_type"] == "text/plain"
    assert body["size"] == 5


@pytest.mark.django_db
def test_names_cannot_be_guessed_and_same_upload_is_kept_once(user_client):
    first = upload(user_client, "a.txt", b"one").json()
    second = upload(user_client, "b.txt", b"one").json()
    again = upload(user_client, "a.txt", b"one").json()

    assert first["name"] != second["name"]
    assert first["name"][:32] != second["name"][:32]
    assert again["name"] == first["name"]
    assert UserFile.objects.count() == 2


@pytest.mark.django_db
def test_a_path_in_the_name_is_not_a_folder(user):
    user_file = user_file_upload(user=user, file=io.BytesIO(b"x"), original_name="../../etc/passwd")

    assert user_file.original_name == ".._.._etc_passwd"
    assert re.fullmatch(r"[A-Za-z0-9]{32}_[0-9a-f]{64}", user_file.name)
    assert default_storage.exists(f"user_files/{user_file.name}")


@pytest.mark.django_db
def test_no_file_is_an_invalid_file(user_client):
    expected = {
        "error": "ERROR_INVALID_FILE",
        "detail": "No file has been provided or the file is invalid.",
    }

    assert user_client.post(UPLOAD_URL, {}, format="multipart").json() == expected
    response = user_client.post(UPLOAD_URL, {"file": "text"}, format="json")
    assert (response.status_code, response.json()) == (400, expected)


@pytest.mark.django_db
def test_a_file_over_the_limit_is_refused(user_client, settings):
    settings.BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB = 1

    response = upload(user_client, "big.bin", b"\0" * (1024 * 1024 + 1))

    assert response.status_code == 413
    assert response.json() == {
        "error": "ERROR_FILE_SIZE_TOO_LARGE",
        "detail": "The provided file is too large. Max 1MB is allowed.",
    }
    assert UserFile.objects.count() == 0
    assert upload(user_client, "ok.bin", b"\0" * (1024 * 1024)).status_code == 200


@pytest.mark.django_db
def test_anonymous_and_bad_tokens_are_refused(api_client):
    assert upload(api_client, "a.txt", b"x").status_code == 401
    api_client.credentials(HTTP_AUTHORIZATION="JWT nonsense")
    response = upload(api_client, "a.txt", b"x")
    assert (response.status_code, response.json()["error"]) == (401, "ERROR_INVALID_ACCESS_TOKEN")
    response = upload(client_with_key("x" * 32), "a.txt", b"x")
    assert (response.status_code, response.json()["error"]) == (401, "ERROR_TOKEN_DOES_NOT_EXIST")


@pytest.mark.django_db
def test_a_database_token_may_upload(user):
    workspace = WorkspaceUser.objects.filter(user=user).first().workspace
    token = token_create(user=user, workspace=workspace, name="Script")

    response = upload(client_with_key(key_of(token)), "from-script.txt", b"data")

    assert response.status_code == 200
    assert UserFile.objects.get().uploaded_by == user
