"""HTTP endpoints of undo and redo: PATCH /api/user/undo/ and /api/user/redo/."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from actions import services
from actions.errors import ClientSessionIdHeaderNotSet, UndoRedoLockConflict
from actions.serializers import (
    UndoRedoResponseSerializer,
    UndoRedoSerializer,
    scope_names,
    undo_redo_json,
)
from api.exceptions import InvalidClientSessionId
from api.schema import error_responses
from api.validation import validated_body
from events.context import events_to_sender, request_context

SESSION_HEADER = OpenApiParameter(
    "ClientSessionId",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    description="The client session whose actions are undone or redone.",
)


def _session() -> str:
    session = request_context().client_session_id
    if session is None:
        raise ClientSessionIdHeaderNotSet()
    return session


def _schema(operation_id: str, description: str):
    return extend_schema(
        tags=["User"],
        operation_id=operation_id,
        description=description,
        parameters=[SESSION_HEADER],
        request=UndoRedoSerializer,
        responses={
            200: UndoRedoResponseSerializer,
            **error_responses(
                ClientSessionIdHeaderNotSet, InvalidClientSessionId, UndoRedoLockConflict
            ),
        },
    )


class UndoView(APIView):
    @_schema("undo", "Undo the newest action of this client session in the given scopes.")
    def patch(self, request: Request) -> Response:
        session = _session()
        scopes = scope_names(validated_body(UndoRedoSerializer, request)["scopes"])
        with events_to_sender():
            actions = services.actions_undo(user=request.user, session=session, scopes=scopes)
        return Response(undo_redo_json(actions))


class RedoView(APIView):
    @_schema("redo", "Redo the action of this client session undone last in the given scopes.")
    def patch(self, request: Request) -> Response:
        session = _session()
        scopes = scope_names(validated_body(UndoRedoSerializer, request)["scopes"])
        with events_to_sender():
            actions = services.actions_redo(user=request.user, session=session, scopes=scopes)
        return Response(undo_redo_json(actions))
