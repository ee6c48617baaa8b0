"""Domain errors of row filters (the `filters` parameter and views' saved filters)."""


class FilterFieldNotFound(Exception):
    """A filter names a field the table does not have."""

    def __init__(self, field: object) -> None:
        # Named as Baserow names it: by id (`field_12` reads 12), else as given.
        text = str(field)
        shown = text.removeprefix("field_") if text.removeprefix("field_").isdigit() else text
        super().__init__(f"The field {shown} was not found in the table.")
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
    """The `filters` query parameter is not valid JSON of the filter tree's shape.

    `structured_detail` is the error's `detail` on the wire: an object whose leaves are
    `{"error", "code"}`, as validation errors are.
    """

    def __init__(self, structured_detail: dict) -> None:
        super().__init__(structured_detail)
        self.structured_detail = structured_detail
