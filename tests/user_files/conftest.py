"""Fixtures for user files: a media folder per test, images, and a small HTTP server."""

import io
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

UPLOAD_URL = "/api/user-files/upload-file/"
VIA_URL = "/api/user-files/upload-via-url/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Stored files go to a folder of the test's own, on the local storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def png_bytes(width: int = 100, height: int = 140, image_format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 60)).save(buffer, format=image_format)
    return buffer.getvalue()


def named_file(name: str, content: bytes) -> io.BytesIO:
    stream = io.BytesIO(content)
    stream.name = name
    return stream


def upload(client, name: str, content: bytes):
    return client.post(UPLOAD_URL, {"file": named_file(name, content)}, format="multipart")


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        pass  # a client that hangs up early (a refused download) is expected


Route = Callable[[BaseHTTPRequestHandler], None]


class _Server:
    """A threaded HTTP server on a loopback address; tests add routes (path -> handler)."""

    def __init__(self, host: str) -> None:
        routes: dict[str, Route] = {}
        self.routes = routes

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                route = routes.get(self.path.split("?", 1)[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                route(self)

            def log_message(self, *args) -> None:
                pass

        self.httpd = _QuietServer((host, 0), Handler)
        self.url = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, path: str, body: bytes, content_type: str = "application/octet-stream"):
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = route

    def redirect(self, path: str, location: str) -> None:
        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.send_response(302)
            handler.send_header("Location", location)
            handler.send_header("Content-Length", "0")
            handler.end_headers()

        self.routes[path] = route

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def http_server():
    server = _Server("127.0.0.1")
    yield server
    server.close()


@pytest.fixture
def other_http_server():
    """A second server on another loopback address (127.0.0.2), for redirects."""
    server = _Server("127.0.0.2")
    yield server
    server.close()
