"""Trash item types: how each kind of item is found in the trash, restored and deleted."""

from typing import Any, ClassVar

from database.registry import Registry
from trash.models import TrashEntry
from users.models import User


class TrashItemType:
    """One kind of trashable item (workspace, application, table, field, view, rows)."""

    type: ClassVar[str]
    # Rows only: the entry names the table they belong to.
    requires_parent_id: ClassVar[bool] = False

    def lookup(self, entry: TrashEntry) -> Any:
        """The trashed item of the entry, or None when it is gone already."""
        raise NotImplementedError

    def has_trashed_parent(self, item: Any) -> bool:
        """Whether a table, database or workspace above the item is in the trash."""
        raise NotImplementedError

    def check_restorable(self, item: Any) -> None:
        """Raise when the item cannot come back yet for another reason than its parents."""

    def restore(self, *, user: User | None, item: Any, entry: TrashEntry) -> None:
        """Bring the item back as it was, announcing the events that show it again."""
        raise NotImplementedError

    def delete_permanently(self, *, item: Any, entry: TrashEntry) -> None:
        """Delete the item for good, with its SQL storage."""
        raise NotImplementedError


trash_item_types: Registry[TrashItemType] = Registry("trash item")
