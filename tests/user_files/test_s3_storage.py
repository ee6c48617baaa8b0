"""User files through the S3 backend (django-storages), against moto's S3 server."""

import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests

from tests.user_files.conftest import png_bytes, upload

BUCKET = "baserow-files"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 server in a subprocess on a free loopback port, with an empty bucket."""
    port = free_port()
    moto_server = Path(sys.executable).parent / "moto_server"
    process = subprocess.Popen(
        [str(moto_server), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                requests.get(endpoint, timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        client = boto3.client(
            "s3",
            endpoint_url=endpoint,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            region_name="us-east-1",
        )
        client.create_bucket(Bucket=BUCKET)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def s3_storage(settings, s3_endpoint):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "user_files.storage.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "querystring_auth": True,
                "file_overwrite": False,
            },
        },
    }


@pytest.mark.django_db
def test_upload_then_download_through_s3(user_client, s3_storage, s3_endpoint):
    content = png_bytes(120, 80)

    body = upload(user_client, "photo.png", content).json()

    assert body["url"].startswith(f"{s3_endpoint}/{BUCKET}/user_files/{body['name']}?")
    original = requests.get(body["url"], timeout=10)
    assert (original.status_code, original.content) == (200, content)
    assert original.headers["Content-Type"] == "image/png"
    thumbnail = requests.get(body["thumbnails"]["small"]["url"], timeout=10)
    assert thumbnail.status_code == 200
    assert thumbnail.content.startswith(b"\x89PNG")


@pytest.mark.django_db
def test_html_in_s3_downloads_as_an_attachment(user_client, s3_storage):
    body = upload(user_client, "page.html", b"<script>alert(1)</script>").json()

    response = requests.get(body["url"], timeout=10)

    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Type"] == "text/html"
