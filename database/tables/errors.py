"""Domain exceptions of tables."""


class TableDoesNotExist(Exception):
    """No such table, or it belongs to a trashed database or workspace."""
