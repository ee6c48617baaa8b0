"""Plain Django views of the API's edges: JSON 404s and 500s, and the health check."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve


def _resolves(path: str) -> bool:
    """Whether a real route (not the /api/ catch-all) answers this path."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return match.view_name != "api:not_found"


def url_not_found(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    """Baserow's JSON 404: it names a missing trailing slash rather than redirecting."""
    path = request.path
    if not path.endswith("/") and _resolves(f"{path}/"):
        return JsonResponse(
            {
                "error": "URL_TRAILING_SLASH_MISSING",
                "detail": "A valid URL must end with a trailing slash. "
                f"Please, redirect requests to {path}/",
            },
            status=404,
        )
    return JsonResponse({"error": "URL_NOT_FOUND", "detail": f"URL {path} not found."}, status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> JsonResponse:
    body = {"error": "ERROR_BAD_REQUEST", "detail": "The request is malformed."}
    return JsonResponse(body, status=400)


def server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"error": "ERROR_SERVER", "detail": "An unexpected error occurred on the server."},
        status=500,
    )


def health(request: HttpRequest) -> HttpResponse:
    return HttpResponse("OK", content_type="text/plain")
