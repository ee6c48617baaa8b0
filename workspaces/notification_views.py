"""HTTP endpoints of a member's notifications under /api/notifications/{workspace_id}/."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.schema import error_responses
from api.validation import validated_body
from workspaces import errors, notifications
from workspaces import serializers as s
from workspaces.selectors import workspace_get

TAG = "Notifications"
PAGE_LIMIT = 200
MEMBER_GATE = (errors.WorkspaceDoesNotExist, errors.UserNotInWorkspace)


class NotificationsView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="list_workspace_notifications",
        parameters=[
            OpenApiParameter(
                "limit", int, description=f"Notifications per page (max {PAGE_LIMIT})."
            ),
            OpenApiParameter("offset", int, description="Notifications to skip."),
        ],
        responses={200: s.PageOfNotificationsSerializer, **error_responses(*MEMBER_GATE)},
    )
    def get(self, request: Request, workspace_id: int) -> Response:
        rows = notifications.notifications_list(
            user=request.user, workspace=workspace_get(workspace_id=workspace_id)
        )
        paginator = LimitOffsetPagination()
        paginator.default_limit = paginator.max_limit = PAGE_LIMIT
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(s.NotificationSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        operation_id="clear_workspace_notifications",
        responses={204: None, **error_responses(*MEMBER_GATE)},
    )
    def delete(self, request: Request, workspace_id: int) -> Response:
        notifications.notifications_clear(
            user=request.user, workspace=workspace_get(workspace_id=workspace_id)
        )
        return Response(status=204)


class NotificationsMarkAllReadView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="mark_all_workspace_notifications_as_read",
        request=None,
        responses={204: None, **error_responses(*MEMBER_GATE)},
    )
    def post(self, request: Request, workspace_id: int) -> Response:
        notifications.notifications_mark_all_read(
            user=request.user, workspace=workspace_get(workspace_id=workspace_id)
        )
        return Response(status=204)


class NotificationView(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="mark_notification_as_read",
        request=s.NotificationUpdateSerializer,
        responses={
            200: s.NotificationSerializer,
            **error_responses(*MEMBER_GATE, errors.NotificationDoesNotExist),
        },
    )
    def patch(self, request: Request, workspace_id: int, notification_id: int) -> Response:
        workspace = workspace_get(workspace_id=workspace_id)
        data = validated_body(s.NotificationUpdateSerializer, request)
        row = notifications.notification_mark_read(
            user=request.user, workspace=workspace, notification_id=notification_id, **data
        )
        return Response(s.NotificationSerializer(row).data)
