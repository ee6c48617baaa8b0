"""The trash item types of rows: one row ("row") or a batch of them ("rows")."""

from database.rows.services import rows_delete_permanently, rows_restore
from database.tables.models import Table
from trash.registry import TrashItemType


class RowTrashType(TrashItemType):
    type = "row"
    requires_parent_id = True

    def lookup(self, entry):
        return (
            Table.objects_and_trash.select_related("database__workspace")
            .filter(id=entry.parent_trash_item_id)
            .first()
        )

    def has_trashed_parent(self, item):
        return item.trashed or item.database.trashed or item.database.workspace.trashed

    def restore(self, *, user, item, entry):
        rows_restore(table=item, row_ids=entry.row_ids, actor=user)

    def delete_permanently(self, *, item, entry):
        rows_delete_permanently(table=item, row_ids=entry.row_ids)


class RowsTrashType(RowTrashType):
    """Rows deleted together; the entry's own id names the batch."""

    type = "rows"


ROW_TRASH_ITEM_TYPES = (RowTrashType, RowsTrashType)
