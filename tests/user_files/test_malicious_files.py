"""Hostile uploads are stored inertly: never run as a page, never decompressed, never a 500."""

import io
import struct
import zipfile
import zlib
from urllib.parse import urlsplit

import pytest
from django.core.files.storage import default_storage

from tests.user_files.conftest import upload

SVG_WITH_SCRIPT = b"""<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script>
<circle r="5"/></svg>"""
HTML = b"<html><body><script>fetch('/api/user/').then(r => r.text())</script></body></html>"


def png_header(width: int, height: int) -> bytes:
    """A PNG that claims a size: what Pillow reads before deciding it is a bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def zip_bomb(inflated_mb: int = 64) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("zeros.bin", "w") as member,
    ):
        for _ in range(inflated_mb):
            member.write(b"\0" * (1024 * 1024))
    return buffer.getvalue()


def served(api_client, url: str):
    return api_client.get(urlsplit(url).path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "mime_type"),
    [("page.html", HTML, "text/html"), ("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml")],
)
def test_html_and_svg_download_as_sandboxed_attachments(
    user_client, api_client, name, content, mime_type
):
    body = upload(user_client, name, content).json()

    assert (body["is_image"], body["thumbnails"], body["mime_type"]) == (False, None, mime_type)
    response = served(api_client, body["url"])
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == mime_type
    assert response["Content-Disposition"] == f'attachment; filename="{body["name"]}"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "default-src 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_a_zip_bomb_is_kept_as_it_came(user_client):
    bomb = zip_bomb()

    body = upload(user_client, "archive.zip", bomb).json()

    assert len(bomb) < 1024 * 1024
    assert (body["size"], body["mime_type"], body["is_image"]) == (
        len(bomb),
        "application/zip",
        False,
    )
    assert default_storage.size(f"user_files/{body['name']}") == len(bomb)


@pytest.mark.django_db
@pytest.mark.parametrize(("width", "height"), [(100_000, 100_000), (12_000, 12_000)])
def test_a_decompression_bomb_image_gets_no_thumbnail(user_client, width, height):
    """Past twice Pillow's MAX_IMAGE_PIXELS it raises; past it once, it only warns: both refused."""
    response = upload(user_client, "huge.png", png_header(width, height))

    assert response.status_code == 200
    body = response.json()
    assert (body["is_image"], body["image_width"], body["thumbnails"]) == (False, None, None)
    assert not default_storage.exists(f"thumbnails/tiny/{body['name']}")


@pytest.mark.django_db
def test_a_truncated_image_is_stored_without_thumbnails(user_client):
    response = upload(user_client, "broken.png", png_header(50, 50))

    assert response.status_code == 200
    assert response.json()["is_image"] is False


@pytest.mark.django_db
def test_paths_outside_the_media_folder_are_not_served(api_client, media_root):
    (media_root.parent / "secret.txt").write_text("secret")

    assert api_client.get("/media/../secret.txt").status_code == 404
    assert api_client.get("/media/user_files/%2e%2e/%2e%2e/secret.txt").status_code == 404
    assert api_client.get("/media/user_files/missing.png").status_code == 404
