"""HTTP endpoints of webhooks: validate, call one service, serialize."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import error_responses
from api.validation import validated_body
from database.tables.errors import TableDoesNotExist
from webhooks import errors, services
from webhooks import serializers as s
from webhooks.test_call import webhook_test_call
from workspaces.errors import UserNotInWorkspace

WEBHOOKS_TAG = "Database table webhooks"
TABLE_GATE = (TableDoesNotExist, UserNotInWorkspace)
WEBHOOK_GATE = (errors.WebhookDoesNotExist, UserNotInWorkspace)
CONFIG_ERRORS = (errors.WebhookEventConfigFieldNotInTable, errors.WebhookEventConfigViewNotInTable)


def _webhook(webhook) -> Response:
    return Response(s.WebhookSerializer(webhook).data)


class TableWebhooksView(APIView):
    @extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="list_database_table_webhooks",
        responses={200: s.WebhookSerializer(many=True), **error_responses(*TABLE_GATE)},
    )
    def get(self, request: Request, table_id: int) -> Response:
        webhooks = services.webhooks_list(user=request.user, table_id=table_id)
        return Response(s.WebhookSerializer(webhooks, many=True).data)

    @extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="create_database_table_webhook",
        request=s.WebhookWriteSerializer,
        responses={
            200: s.WebhookSerializer,
            **error_responses(*TABLE_GATE, errors.WebhookMaxLimitExceeded, *CONFIG_ERRORS),
        },
    )
    def post(self, request: Request, table_id: int) -> Response:
        data = validated_body(s.WebhookWriteSerializer, request)
        return _webhook(services.webhook_create(user=request.user, table_id=table_id, **data))


class WebhookView(APIView):
    @extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="get_database_table_webhook",
        responses={200: s.WebhookSerializer, **error_responses(*WEBHOOK_GATE)},
    )
    def get(self, request: Request, webhook_id: int) -> Response:
        return _webhook(services.webhook_get_for_user(user=request.user, webhook_id=webhook_id))

    @extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="update_database_table_webhook",
        request=s.WebhookUpdateSerializer,
        responses={200: s.WebhookSerializer, **error_responses(*WEBHOOK_GATE, *CONFIG_ERRORS)},
    )
    def patch(self, request: Request, webhook_id: int) -> Response:
        data = validated_body(s.WebhookUpdateSerializer, request)
        return _webhook(services.webhook_update(user=request.user, webhook_id=webhook_id, **data))

    @extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="delete_database_table_webhook",
        responses={204: None, **error_responses(*WEBHOOK_GATE)},
    )
    def delete(self, request: Request, webhook_id: int) -> Response:
        services.webhook_delete(user=request.user, webhook_id=webhook_id)
        return Response(status=204)


class WebhookTestCallView(APIView):
    @extend_schema(
        tags=[WEBHOOKS_TAG],
        operation_id="test_call_database_table_webhook",
        request=s.WebhookTestCallSerializer,
        responses={200: s.WebhookTestCallResultSerializer, **error_responses(*TABLE_GATE)},
    )
    def post(self, request: Request, table_id: int) -> Response:
        data = validated_body(s.WebhookTestCallSerializer, request)
        table = services.table_for_test_call(user=request.user, table_id=table_id)
        return Response(webhook_test_call(table=table, **data))
