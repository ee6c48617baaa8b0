"""Domain exceptions of rows."""


class RowDoesNotExist(Exception):
    """One or more rows are not (or no longer) in the table."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(f"The rows {ids} do not exist.")
        self.ids = ids


class RowIdsNotUnique(Exception):
    """A batch names the same row more than once."""

    def __init__(self, ids: list[int]) -> None:
        super().__init__(f"The provided row ids {ids} are not unique.")
        self.ids = ids


class OrderByFieldNotFound(Exception):
    """`order_by` names a field the table does not have."""

    def __init__(self, name: str) -> None:
        super().__init__(f"The field {name} was not found in the table.")


class OrderByFieldNotPossible(Exception):
    """`order_by` names a field whose type cannot be sorted."""

    def __init__(self, name: str, field_type: str, sort_type: str = "default") -> None:
        super().__init__(
            f"It is not possible to order by {name} using sort type {sort_type} because the "
            f"field type {field_type} does not support it."
        )


class InvalidJoinParameter(Exception):
    """A `<link field>__join` parameter is repeated, or names a target field twice."""


class JoinTargetIncompatible(Exception):
    """A `__join` target is a field whose values cannot be looked up through a link."""
