"""Trash rules: record trashed items, restore them, empty the trash, purge what expired."""

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core import operations
from trash import errors
from trash.models import TrashEntry
from trash.registry import trash_item_types
from trash.selectors import require_trash_member, trash_application_get, trash_workspace_get
from users.models import User


def trash_entry_record(
    *,
    trash_item_type: str,
    item: Any,
    user: User | None,
    workspace_id: int,
    application_id: int | None = None,
    parent_id: int | None = None,
    name: str = "",
    names: list[str] | None = None,
    parent_name: str | None = None,
    row_ids: list[int] | None = None,
    field_ids: list[int] | None = None,
    **kwargs: Any,
) -> TrashEntry:
    """Write the entry of an item that just went to the trash (the `item_trashed` receiver)."""
    entry = TrashEntry.objects.create(
        user_who_trashed=user if user is not None and user.pk else None,
        trash_item_type=trash_item_type,
        trash_item_id=item.id if row_ids is None else 0,
        parent_trash_item_id=parent_id,
        workspace_id=workspace_id,
        application_id=application_id,
        name=name or "",
        names=names,
        parent_name=parent_name,
        row_ids=row_ids,
        field_ids=field_ids,
    )
    if row_ids is not None:
        # A single row is named by its id, a batch by the entry's own.
        entry.trash_item_id = row_ids[0] if trash_item_type == "row" else entry.id
        entry.save(update_fields=["trash_item_id"])
    return entry


def trash_entry_for(
    *, trash_item_type: str, trash_item_id: int, parent_trash_item_id: int | None = None
) -> TrashEntry | None:
    """The live trash entry of an item, or None."""
    return (
        TrashEntry.objects.select_related("workspace")
        .filter(
            trash_item_type=trash_item_type,
            trash_item_id=trash_item_id,
            parent_trash_item_id=parent_trash_item_id,
            should_be_permanently_deleted=False,
        )
        .order_by("-trashed_at", "-id")
        .first()
    )


@transaction.atomic
def trash_restore(
    *,
    user: User,
    trash_item_type: str,
    trash_item_id: int,
    parent_trash_item_id: int | None = None,
) -> None:
    """Bring an item back from the trash, parents first (PATCH /api/trash/restore/)."""
    item_type = trash_item_types.get(trash_item_type)
    if item_type.requires_parent_id and parent_trash_item_id is None:
        raise errors.ParentIdMustBeProvided()
    if not item_type.requires_parent_id and parent_trash_item_id is not None:
        raise errors.ParentIdMustNotBeProvided()
    entry = trash_entry_for(
        trash_item_type=trash_item_type,
        trash_item_id=trash_item_id,
        parent_trash_item_id=parent_trash_item_id,
    )
    if entry is None:
        raise errors.TrashItemDoesNotExist()
    operation = operations.WORKSPACE_DELETE if trash_item_type == "workspace" else None
    require_trash_member(user=user, workspace=entry.workspace, operation=operation)
    item = item_type.lookup(entry)
    if item is None:
        raise errors.TrashItemDoesNotExist()
    if item_type.has_trashed_parent(item):
        raise errors.CannotRestoreChildBeforeParent()
    item_type.check_restorable(item)
    entry.delete()
    item_type.restore(user=user, item=item, entry=entry)


def trash_empty(*, user: User, workspace_id: int, application_id: int | None = None) -> int:
    """Delete for good what the workspace's (or one application's) trash holds."""
    workspace = trash_workspace_get(workspace_id=workspace_id)
    require_trash_member(user=user, workspace=workspace)
    entries = TrashEntry.objects.filter(workspace=workspace)
    if application_id is not None:
        application = trash_application_get(workspace=workspace, application_id=application_id)
        entries = entries.filter(application=application)
    entries.update(should_be_permanently_deleted=True)
    return trash_purge()


def trash_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete for good the items trashed before the retention, and those marked for it."""
    now = now or timezone.now()
    expired = now - datetime.timedelta(hours=settings.HOURS_UNTIL_TRASH_PERMANENTLY_DELETED)
    due = TrashEntry.objects.filter(
        Q(trashed_at__lt=expired) | Q(should_be_permanently_deleted=True)
    ).order_by("trashed_at", "id")
    ids = list(due.values_list("id", flat=True))
    for entry_id in ids:
        entry = TrashEntry.objects.filter(id=entry_id).first()
        # Deleting a workspace or an application took the entries inside it along.
        if entry is not None:
            _delete_permanently(entry)
    return len(ids)


@transaction.atomic
def _delete_permanently(entry: TrashEntry) -> None:
    """One item deleted for good, with its entry, in its own transaction."""
    item_type = trash_item_types.get(entry.trash_item_type)
    item = item_type.lookup(entry)
    if item is not None:
        item_type.delete_permanently(item=item, entry=entry)
    TrashEntry.objects.filter(id=entry.id).delete()
