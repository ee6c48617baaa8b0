"""Undoable action types and how a done action is recorded in its client session's log."""

from typing import Any, ClassVar

from actions.models import Action
from database.registry import Registry
from events.context import request_context
from users.models import User


class ActionType:
    """One kind of undoable action: how to undo and redo it from its recorded params."""

    type: ClassVar[str]

    def undo(self, *, user: User, params: dict[str, Any]) -> dict[str, Any] | None:
        """Undo the action; may return changed params (ids given anew) to keep."""
        raise NotImplementedError

    def redo(self, *, user: User, params: dict[str, Any]) -> dict[str, Any] | None:
        """Do the action again; may return changed params to keep."""
        raise NotImplementedError


action_types: Registry[ActionType] = Registry("action")


def table_scope(table_id: int) -> str:
    return f"table{table_id}"


def view_scope(view_id: int) -> str:
    return f"view{view_id}"


def application_scope(application_id: int) -> str:
    return f"application{application_id}"


def recording(user: User) -> bool:
    """Whether the request's actions are logged: it names a client session, for a user."""
    return request_context().client_session_id is not None and user.is_authenticated


def record(*, user: User, type: str, scope: str, params: dict[str, Any]) -> Action | None:
    """Log a done action in the request's client session (none without `ClientSessionId`).

    A new action ends what the session could redo.
    """
    if not recording(user):
        return None
    context = request_context()
    session = Action.objects.filter(user=user, session=context.client_session_id)
    session.filter(undone_at__isnull=False).delete()
    return Action.objects.create(
        user=user,
        session=context.client_session_id,
        action_group=context.action_group_id,
        type=action_types.get(type).type,
        scope=scope,
        params=params,
    )
