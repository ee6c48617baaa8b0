"""HTTP endpoints of the trash: validate, call one service or selector, serialize."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.pagination import page_from_query, paginate
from api.schema import error_responses
from api.validation import validated_body, validated_query
from database.applications.errors import ApplicationDoesNotExist, ApplicationNotInWorkspace
from trash import errors, selectors, services
from trash import serializers as s
from workspaces.errors import (
    UserInvalidWorkspacePermissions,
    UserNotInWorkspace,
    WorkspaceDoesNotExist,
)

TRASH_TAG = "Trash"
PAGE_SIZE = 100
CONTENTS_ERRORS = (
    WorkspaceDoesNotExist,
    UserNotInWorkspace,
    ApplicationDoesNotExist,
    ApplicationNotInWorkspace,
)
APPLICATION_ID = OpenApiParameter("application_id", int, required=False)


class TrashStructureView(APIView):
    @extend_schema(
        tags=[TRASH_TAG],
        operation_id="get_trash_structure",
        responses={200: s.TrashStructureSerializer},
    )
    def get(self, request: Request) -> Response:
        workspaces = selectors.trash_structure(user=request.user)
        return Response(s.TrashStructureSerializer({"workspaces": workspaces}).data)


class TrashContentsView(APIView):
    @extend_schema(
        tags=[TRASH_TAG],
        operation_id="get_trash_contents",
        parameters=[APPLICATION_ID, OpenApiParameter("page", int, required=False)],
        responses={200: s.TrashContentsSerializer, **error_responses(*CONTENTS_ERRORS)},
    )
    def get(self, request: Request, workspace_id: int) -> Response:
        query = validated_query(s.TrashContentsQuerySerializer, request)
        entries = selectors.trash_contents(
            user=request.user,
            workspace_id=workspace_id,
            application_id=query.get("application_id"),
        )
        page = page_from_query(request, max_size=PAGE_SIZE)
        results, envelope = paginate(request, entries, page)
        return Response({**envelope, "results": s.TrashEntrySerializer(results, many=True).data})

    @extend_schema(
        tags=[TRASH_TAG],
        operation_id="empty_trash_contents",
        parameters=[APPLICATION_ID],
        responses={204: None, **error_responses(*CONTENTS_ERRORS)},
    )
    def delete(self, request: Request, workspace_id: int) -> Response:
        query = validated_query(s.TrashContentsQuerySerializer, request)
        services.trash_empty(
            user=request.user,
            workspace_id=workspace_id,
            application_id=query.get("application_id"),
        )
        return Response(status=204)


class TrashRestoreView(APIView):
    @extend_schema(
        tags=[TRASH_TAG],
        operation_id="restore",
        request=s.TrashRestoreSerializer,
        responses={
            204: None,
            **error_responses(
                UserNotInWorkspace,
                UserInvalidWorkspacePermissions,
                errors.TrashItemDoesNotExist,
                errors.CannotRestoreChildBeforeParent,
                errors.ParentIdMustBeProvided,
                errors.ParentIdMustNotBeProvided,
                errors.RelatedTableTrashed,
            ),
        },
    )
    def patch(self, request: Request) -> Response:
        data = validated_body(s.TrashRestoreSerializer, request)
        services.trash_restore(
            user=request.user,
            trash_item_type=data["trash_item_type"],
            trash_item_id=data["trash_item_id"],
            parent_trash_item_id=data.get("parent_trash_item_id"),
        )
        return Response(status=204)
