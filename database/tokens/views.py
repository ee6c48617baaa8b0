"""HTTP endpoints of database tokens (08-database-tokens.md), and all-tables (04-tables.md)."""

from django.db.models import prefetch_related_objects
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.authentication import DATABASE_TOKEN_ONLY, database_token
from api.exceptions import DatabaseTokenGroupMismatch
from api.schema import error_responses
from api.validation import validated_body
from database.tokens import errors, selectors, services
from database.tokens.models import Token
from database.tokens.serializers import (
    TokenCheckSerializer,
    TokenCreateSerializer,
    TokenSerializer,
    TokenTableSerializer,
    TokenUpdateSerializer,
)
from workspaces.errors import UserNotInWorkspace

TOKENS_TAG = "Database tokens"
TOKEN_GATE = (errors.TokenDoesNotExist, UserNotInWorkspace)


def _token(token: Token) -> Response:
    prefetch_related_objects([token], selectors.LIVE_PERMISSIONS)
    return Response(TokenSerializer(token).data)


class TokensView(APIView):
    @extend_schema(
        tags=[TOKENS_TAG],
        operation_id="list_database_tokens",
        responses={200: TokenSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        return Response(TokenSerializer(selectors.tokens_list(user=request.user), many=True).data)

    @extend_schema(
        tags=[TOKENS_TAG],
        operation_id="create_database_token",
        request=TokenCreateSerializer,
        responses={200: TokenSerializer, **error_responses(UserNotInWorkspace)},
    )
    def post(self, request: Request) -> Response:
        data = validated_body(TokenCreateSerializer, request)
        return _token(services.token_create(user=request.user, **data))


class TokenView(APIView):
    @extend_schema(
        tags=[TOKENS_TAG],
        operation_id="get_database_token",
        responses={200: TokenSerializer, **error_responses(*TOKEN_GATE)},
    )
    def get(self, request: Request, token_id: int) -> Response:
        return _token(selectors.token_get_for_user(user=request.user, token_id=token_id))

    @extend_schema(
        tags=[TOKENS_TAG],
        operation_id="update_database_token",
        request=TokenUpdateSerializer,
        responses={
            200: TokenSerializer,
            **error_responses(
                *TOKEN_GATE, errors.DatabaseNotInTokenWorkspace, errors.TableNotInTokenWorkspace
            ),
        },
    )
    def patch(self, request: Request, token_id: int) -> Response:
        data = validated_body(TokenUpdateSerializer, request)
        token = services.token_update(user=request.user, token_id=token_id, **data)
        return _token(token)

    @extend_schema(
        tags=[TOKENS_TAG],
        operation_id="delete_database_token",
        responses={204: None, **error_responses(*TOKEN_GATE)},
    )
    def delete(self, request: Request, token_id: int) -> Response:
        services.token_delete(user=request.user, token_id=token_id)
        return Response(status=204)


class TokenOnlyView(APIView):
    """An endpoint only a database token opens; every failure to authenticate is a 403."""

    authentication_classes = DATABASE_TOKEN_ONLY

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, errors.TokenWorkspaceMismatch):
            exc = DatabaseTokenGroupMismatch()  # an authentication failure here, hence 403
        return super().handle_exception(exc)


class TokenCheckView(TokenOnlyView):
    @extend_schema(
        tags=[TOKENS_TAG],
        operation_id="check_database_token",
        description="Answers 200 to a valid database token, 403 to anything else.",
        responses={200: TokenCheckSerializer},
    )
    def get(self, request: Request) -> Response:
        selectors.token_require_member(token=database_token(request))
        return Response({"token": "OK"})


class AllTablesView(TokenOnlyView):
    @extend_schema(
        tags=["Database tables"],
        operation_id="list_all_token_tables",
        description="The tables the database token can reach through any of its permissions.",
        responses={200: TokenTableSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        tables = selectors.tables_for_token(token=database_token(request))
        return Response(TokenTableSerializer(tables, many=True).data)
