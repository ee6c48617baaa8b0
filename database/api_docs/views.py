"""The docs page (HTML, signed-in members only) and the OpenAPI document of one database."""

from pathlib import Path

from django.http import HttpRequest, HttpResponse
from django.template import Context, Engine
from django.views.decorators.http import require_safe
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

from api.authentication import JWTAuthentication
from api.schema import error_responses
from database.api_docs import selectors
from database.api_docs.openapi import database_openapi
from database.api_docs.page import page_context
from database.applications.errors import ApplicationDoesNotExist
from users.models import User

# The page's own engine: its templates live beside this module, always autoescaped.
ENGINE = Engine(dirs=[str(Path(__file__).parent / "templates")], autoescape=True)
JWT_COOKIE = "jwt_token"
# Nothing is fetched from anywhere: inline style and script, and calls to this host only.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    "connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def server_url(request: HttpRequest) -> str:
    """The scheme and host the client reached us on, without a trailing slash."""
    return request.build_absolute_uri("/").rstrip("/")


def signed_in_user(request: HttpRequest) -> User | None:
    """The user of a valid access token, from `Authorization: JWT …` or the `jwt_token` cookie."""
    kind, _, raw = request.headers.get("Authorization", "").partition(" ")
    token = raw.strip() if kind in ("JWT", "Bearer") else ""
    token = token or request.COOKIES.get(JWT_COOKIE, "").strip()
    if not token:
        return None
    authentication = JWTAuthentication()
    try:
        return authentication.get_user(authentication.get_validated_token(token.encode()))
    except (APIException, InvalidToken, TokenError):
        return None


def _html(template: str, context: dict, status: int) -> HttpResponse:
    response = HttpResponse(ENGINE.get_template(template).render(Context(context)), status=status)
    response["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
def database_docs_page(request: HttpRequest, database_id: int) -> HttpResponse:
    """The docs of one database; 401 with a sign-in form, or 404 for anyone not a member."""
    user = signed_in_user(request)
    if user is None:
        return _html("api_docs/sign_in.html", {"cookie": JWT_COOKIE}, 401)
    try:
        database = selectors.database_for_docs(user=user, database_id=database_id)
    except ApplicationDoesNotExist:
        return _html("api_docs/not_found.html", {}, 404)
    tables = selectors.database_docs(database=database)
    context = page_context(database=database, tables=tables, server=server_url(request))
    return _html("api_docs/database.html", context, 200)


class DatabaseSchemaView(APIView):
    @extend_schema(
        tags=["Database API docs"],
        operation_id="get_database_openapi_schema",
        responses={
            200: OpenApiResponse(
                response=OpenApiTypes.OBJECT, description="The database's OpenAPI 3.0 document."
            ),
            **error_responses(ApplicationDoesNotExist),
        },
    )
    def get(self, request: Request, database_id: int) -> Response:
        """The OpenAPI 3.0 document of one database's row endpoints, with typed rows."""
        database = selectors.database_for_docs(user=request.user, database_id=database_id)
        tables = selectors.database_docs(database=database)
        return Response(
            database_openapi(database=database, tables=tables, server=server_url(request))
        )
