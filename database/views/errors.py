"""Domain errors of views and filters."""


class FilterFieldNotFound(Exception):
    """A filter names a field the table does not have."""

    def __init__(self, field: object) -> None:
        super().__init__(f"The field {field} does not exist.")
        self.field = field


class ViewFilterTypeDoesNotExist(Exception):
    """No filter type is registered under the name."""

    def __init__(self, name: str) -> None:
        super().__init__(f"The view filter type {name} doesn't exist.")
        self.name = name


class ViewFilterTypeUnsupportedField(Exception):
    """The filter type cannot filter this type of field."""

    def __init__(self, filter_type: str, field_type: str) -> None:
        super().__init__(
            f"The filter {filter_type} is not compatible with field type {field_type}."
        )
        self.filter_type, self.field_type = filter_type, field_type


class FiltersParamValidationError(Exception):
    """The `filters` query parameter is not valid JSON of the filter tree's shape."""
