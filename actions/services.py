"""Undo and redo the newest actions of a client session; expire old actions."""

import datetime
import logging
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actions.errors import UndoRedoLockConflict
from actions.models import Action
from actions.registry import action_types
from users.models import User

logger = logging.getLogger(__name__)
LOCK_SECONDS = 60


@contextmanager
def session_lock(*, user: User, session: str) -> Iterator[None]:
    """One undo or redo at a time per session; another one meanwhile is a conflict."""
    key = f"undo-redo-lock:{user.id}:{session}"
    if not cache.add(key, 1, LOCK_SECONDS):
        raise UndoRedoLockConflict()
    try:
        yield
    finally:
        cache.delete(key)


def _in_scopes(scopes: list[str]) -> Q:
    """Actions in any of the scopes; no scopes: every action."""
    q = Q()
    for scope in scopes:
        q |= Q(scope=scope)
    return q


def _run(user: User, actions: list[Action], *, undo: bool, stamp: datetime.datetime | None):
    """Undo (or redo) the actions together; any failure rolls all back and marks them."""
    try:
        with transaction.atomic():
            for action in actions:
                action_type = action_types.get(action.type)
                run = action_type.undo if undo else action_type.redo
                params = run(user=user, params=action.params)
                if params is not None:
                    action.params = params
                action.undone_at = stamp
                action.error = ""
                action.save()
    except Exception as error:  # any failure skips the group, as Baserow does
        logger.warning("%s of %s failed: %r", "Undo" if undo else "Redo", actions, error)
        Action.objects.filter(id__in=[a.id for a in actions]).update(
            error=repr(error), undone_at=stamp
        )


def actions_undo(*, user: User, session: str, scopes: list[str]) -> list[Action]:
    """Undo the newest action not undone in the scopes, with the rest of its group."""
    with session_lock(user=user, session=session), transaction.atomic():
        mine = Action.objects.filter(user=user, session=session, undone_at__isnull=True)
        latest = mine.filter(_in_scopes(scopes)).order_by("-created_on", "-id").first()
        if latest is None:
            return []
        group = [latest]
        if latest.action_group is not None:
            group = list(
                mine.filter(action_group=latest.action_group).order_by("-created_on", "-id")
            )
        _run(user, group, undo=True, stamp=timezone.now())
        return list(Action.objects.filter(id__in=[a.id for a in group]).order_by("-id"))


def actions_redo(*, user: User, session: str, scopes: list[str]) -> list[Action]:
    """Redo the most recently undone action in the scopes, with the rest of its group."""
    with session_lock(user=user, session=session), transaction.atomic():
        undone = Action.objects.filter(user=user, session=session, undone_at__isnull=False)
        latest = (
            undone.filter(_in_scopes(scopes)).order_by("-undone_at", "-created_on", "-id").first()
        )
        if latest is None:
            return []
        group = [latest]
        if latest.action_group is not None:
            group = list(
                undone.filter(action_group=latest.action_group).order_by("created_on", "id")
            )
        ids = [action.id for action in group]
        if any(action.error for action in group):
            # Its undo failed, so nothing changed: it counts as redone and may be undone again.
            Action.objects.filter(id__in=ids).update(undone_at=None)
        else:
            _run(user, group, undo=False, stamp=None)
        return list(Action.objects.filter(id__in=ids).order_by("id"))


def actions_clean_up(*, now: datetime.datetime | None = None) -> int:
    """Delete the actions untouched for MINUTES_UNTIL_ACTION_CLEANED_UP; returns how many."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(minutes=settings.MINUTES_UNTIL_ACTION_CLEANED_UP)
    deleted, _ = Action.objects.filter(updated_on__lte=cutoff).delete()
    return deleted
