"""Domain exceptions of database tokens."""


class TokenDoesNotExist(Exception):
    """No such token for this user, or its workspace is in the trash."""


class NoPermissionToTable(Exception):
    """The token may not run this operation on the table's rows (or fields)."""


class TokenWorkspaceMismatch(Exception):
    """The token's user is no longer a member of the token's workspace."""


class DatabaseNotInTokenWorkspace(Exception):
    """A permission names a database of another workspace than the token's."""


class TableNotInTokenWorkspace(Exception):
    """A permission names a table of another workspace than the token's."""


class TokenCannotIncludeRowMetadata(Exception):
    """Row metadata is for the user interface: a database token may not ask for it."""
