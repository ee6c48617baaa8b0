"""What the current request says about its client: `WebsocketId`, `ClientSessionId` and
`ClientUndoRedoActionGroupId`."""

import re
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace

from django.http import HttpRequest, HttpResponse

CLIENT_SESSION_ID = re.compile(r"[A-Za-z0-9-]{1,256}")


@dataclass(frozen=True)
class RequestContext:
    websocket_id: str | None = None
    client_session_id: str | None = None
    action_group_id: uuid.UUID | None = None


NO_CONTEXT = RequestContext()
_context: ContextVar[RequestContext | None] = ContextVar("events_request_context", default=None)


def request_context() -> RequestContext:
    """The client ids of the request being served (none outside a request)."""
    return _context.get() or NO_CONTEXT


def _action_group_id(value: str | None) -> uuid.UUID | None:
    try:
        return None if value is None else uuid.UUID(value)
    except ValueError:
        return None


def invalid_client_headers(headers: Mapping[str, str]) -> str | None:
    """The name of the first client header given with a value the contract refuses, if any."""
    session_id = headers.get("ClientSessionId")
    if session_id is not None and not CLIENT_SESSION_ID.fullmatch(session_id):
        return "ClientSessionId"
    action_group_id = headers.get("ClientUndoRedoActionGroupId")
    if action_group_id is not None and _action_group_id(action_group_id) is None:
        return "ClientUndoRedoActionGroupId"
    return None


def request_context_to_json() -> dict[str, str]:
    """The current request's client ids, to keep with work done later on its behalf (a job)."""
    context = request_context()
    kept = {
        "websocket_id": context.websocket_id,
        "client_session_id": context.client_session_id,
        "action_group_id": None
        if context.action_group_id is None
        else str(context.action_group_id),
    }
    return {key: value for key, value in kept.items() if value is not None}


@contextmanager
def request_context_from_json(kept: dict[str, str]) -> Iterator[None]:
    """Within: the client ids kept by `request_context_to_json`, as if that request ran this
    (its events skip the sender's own socket)."""
    token = _context.set(
        RequestContext(
            websocket_id=kept.get("websocket_id"),
            client_session_id=kept.get("client_session_id"),
            action_group_id=_action_group_id(kept.get("action_group_id")),
        )
    )
    try:
        yield
    finally:
        _context.reset(token)


@contextmanager
def events_to_sender() -> Iterator[None]:
    """Within: events reach the request's own websocket too (undo and redo change what it
    shows without answering the changes themselves)."""
    token = _context.set(replace(request_context(), websocket_id=None))
    try:
        yield
    finally:
        _context.reset(token)


class RequestContextMiddleware:
    """Keep the request's client headers for the events and undoable actions it causes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session_id = request.headers.get("ClientSessionId")
        if session_id is not None and not CLIENT_SESSION_ID.fullmatch(session_id):
            session_id = None
        token = _context.set(
            RequestContext(
                websocket_id=request.headers.get("WebsocketId") or None,
                client_session_id=session_id,
                action_group_id=_action_group_id(
                    request.headers.get("ClientUndoRedoActionGroupId")
                ),
            )
        )
        try:
            return self.get_response(request)
        finally:
            _context.reset(token)
