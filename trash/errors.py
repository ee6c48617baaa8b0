"""Domain exceptions of the trash."""


class TrashItemDoesNotExist(Exception):
    """No such item in the trash."""


class CannotRestoreChildBeforeParent(Exception):
    """The item's parent (table, database or workspace) is in the trash: restore it first."""


class ParentIdMustBeProvided(Exception):
    """This trash item type needs `parent_trash_item_id`."""


class ParentIdMustNotBeProvided(Exception):
    """This trash item type takes no `parent_trash_item_id`."""


class RelatedTableTrashed(Exception):
    """The table a link field links to is in the trash."""
