"""Domain exceptions of tables."""


class TableDoesNotExist(Exception):
    """No such table, or it belongs to a trashed database or workspace."""


class TableNotInDatabase(Exception):
    """An id given to order a database's tables belongs to none of them."""

    def __init__(self, table_id: int) -> None:
        super().__init__(f"The table id {table_id} does not belong to the database.")


class InvalidInitialTableData(Exception):
    """Initial table data needs at least one row and one column."""


class InitialTableDataLimitExceeded(Exception):
    """More rows were given to a new table than INITIAL_TABLE_DATA_LIMIT allows."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            "The initial table data limit has been exceeded. You can provide a maximum of "
            f"{limit} rows."
        )


class InitialTableDataDuplicateName(Exception):
    """The header row of initial table data names two columns alike."""


class FailedToLockTableDueToConflict(Exception):
    """A schema change could not lock the table in time: other operations were using it."""
