"""Middleware of the API's edges: refusals before any view, and errors outside DRF, in JSON."""

import base64
import hashlib
import re
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, JsonResponse

from api.errors import (
    DATABASE_UNAVAILABLE,
    QUERY_PARAMETER_INVALID,
    REQUEST_HEADERS_TOO_LARGE,
    REQUEST_LINE_TOO_LONG,
    WireError,
    database_unavailable_body,
    is_database_unavailable,
)


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives 503 JSON from any view, not a 500 page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if is_database_unavailable(exception):
            return JsonResponse(database_unavailable_body(), status=DATABASE_UNAVAILABLE.status)
        return None


class RequestLimitsMiddleware:
    """Request lines and headers past the configured sizes, and query strings holding NUL
    characters or text that is not UTF-8 (lone surrogates), are refused in the error format."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        meta = request.META
        line_size = len(meta.get("PATH_INFO", "")) + len(meta.get("QUERY_STRING", ""))
        if line_size > settings.MAX_REQUEST_LINE_SIZE:
            return wire_json(REQUEST_LINE_TOO_LONG)
        headers_size = sum(len(name) + len(str(value)) for name, value in request.headers.items())
        if headers_size > settings.MAX_REQUEST_HEADERS_SIZE:
            return wire_json(REQUEST_HEADERS_TOO_LARGE)
        if problems := query_string_problems(meta.get("QUERY_STRING", "")):
            return JsonResponse(
                {"error": QUERY_PARAMETER_INVALID.code, "detail": problems},
                status=QUERY_PARAMETER_INVALID.status,
            )
        return self.get_response(request)


def wire_json(wire: WireError) -> JsonResponse:
    return JsonResponse({"error": wire.code, "detail": wire.detail}, status=wire.status)


def query_string_problems(query_string: str) -> dict:
    """Per parameter, the error of a value no text column can hold (NUL, not UTF-8)."""
    problems = {}
    # The server hands the raw bytes over as latin-1 text (PEP 3333, and Django's ASGI handler).
    for pair in query_string.encode("latin-1", errors="replace").split(b"&"):
        raw_name, _, raw_value = pair.partition(b"=")
        name = unquote_to_bytes(raw_name.replace(b"+", b" ")).decode(errors="replace")
        try:
            value = unquote_to_bytes(raw_value.replace(b"+", b" ")).decode()
        except UnicodeDecodeError:
            error = {"error": "The value is not valid UTF-8 text.", "code": "invalid"}
        else:
            if "\x00" not in value:
                continue
            error = {
                "error": "Null characters are not allowed.",
                "code": "null_characters_not_allowed",
            }
        problems[name] = [error]
    return problems


class PageSecurityHeadersMiddleware:
    """HTML pages (the API docs) without a policy of their own get a Content-Security-Policy
    that allows only this server's scripts plus the page's own inline ones (by hash), and none
    may be framed."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        response = self.get_response(request)
        if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
            if "Content-Security-Policy" not in response:
                response["Content-Security-Policy"] = page_policy(response.content)
            response["X-Frame-Options"] = "DENY"
        return response


INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.DOTALL | re.I)


def page_policy(html: bytes) -> str:
    hashes = " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script).digest()).decode()}'"
        for script in INLINE_SCRIPT.findall(html)
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' {hashes}".strip(),
            # Redoc and Swagger UI set styles from their scripts; Redoc searches in a worker.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "worker-src 'self' blob:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )
