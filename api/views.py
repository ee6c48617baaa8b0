"""Views of the API's edges: JSON 404s and 500s, and the health checks."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions as drf_exceptions
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from api.authentication import JWTAuthentication
from api.exceptions import InvalidAccessToken
from api.health import WORKING, run_checks
from api.schema import error_responses

HEALTH_REPORT = inline_serializer(
    "FullHealthCheck",
    {
        "passing": serializers.BooleanField(help_text="Whether every check is working."),
        "checks": serializers.DictField(
            child=serializers.CharField(),
            help_text='Each check\'s result: "working", or "unavailable: <reason>".',
        ),
    },
)


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


class FullHealthView(APIView):
    """The checks of every service, for staff; while the database is down (so staff cannot be
    told apart) any valid access token may read which service is down."""

    authentication_classes = ()
    permission_classes = (AllowAny,)

    @extend_schema(
        tags=["Health"],
        operation_id="full_health_check",
        responses={
            200: HEALTH_REPORT,
            503: HEALTH_REPORT,
            **error_responses(drf_exceptions.PermissionDenied),
        },
    )
    def get(self, request: Request) -> Response:
        checks = run_checks()
        if checks["DatabaseBackend"] == WORKING:
            authenticated = JWTAuthentication().authenticate(request)
            if authenticated is None:
                raise drf_exceptions.NotAuthenticated()
            if not authenticated[0].is_staff:
                raise drf_exceptions.PermissionDenied()
        else:
            require_valid_access_token(request)
        passing = all(result == WORKING for result in checks.values())
        return Response({"passing": passing, "checks": checks}, status=200 if passing else 503)

    def get_authenticate_header(self, request: Request) -> str:
        """A missing or bad token is a 401, as on every endpoint that reads a JWT."""
        return JWTAuthentication().authenticate_header(request)


def require_valid_access_token(request: Request) -> None:
    """A signed, unexpired access token in the Authorization header (no database needed)."""
    authentication = JWTAuthentication()
    header = authentication.get_header(request)
    raw = None if header is None else authentication.get_raw_token(header)
    if raw is None:
        raise drf_exceptions.NotAuthenticated()
    try:
        authentication.get_validated_token(raw)
    except (InvalidToken, TokenError) as exc:
        raise InvalidAccessToken() from exc
