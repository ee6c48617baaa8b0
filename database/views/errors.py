"""Domain errors of views and filters."""


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


class ViewDoesNotExist(Exception):
    """No live view with that id (or slug)."""


class GridViewDoesNotExist(Exception):
    """No live grid view with that id."""


class FormViewDoesNotExist(Exception):
    """No public form view with that slug."""


class ViewNotInTable(Exception):
    """A view id given to order a table's views belongs to another table."""

    def __init__(self, view_id: int) -> None:
        super().__init__(f"The view id {view_id} does not belong to the table.")
        self.view_id = view_id


class ViewFilterDoesNotExist(Exception):
    """No filter with that id in a live view."""


class ViewFilterGroupDoesNotExist(Exception):
    """No filter group with that id in the view."""


class ViewFilterNotSupported(Exception):
    """The view's type cannot be filtered (form)."""


class ViewSortDoesNotExist(Exception):
    """No sort with that id in a live view."""


class ViewSortNotSupported(Exception):
    """The view's type cannot be sorted (form)."""


class ViewSortFieldAlreadyExists(Exception):
    """The view is sorted by that field already."""


class ViewSortFieldNotSupported(Exception):
    """The field's type cannot be sorted."""


class UnrelatedField(Exception):
    """Field options name a field that is not in the view's table."""


class ViewDoesNotSupportFieldOptions(Exception):
    """The view type keeps no per-field options."""


class MaxViewFiltersExceeded(Exception):
    """The view already has as many filters (or filter groups) as a view may have."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"A view can have at most {limit} filters and {limit} filter groups.")


class CannotShareViewType(Exception):
    """The view type cannot be shared publicly."""


class NoAuthorizationToPubliclySharedView(Exception):
    """The public view has a password and the request brought no valid token for it."""


class ViewGroupByDoesNotExist(Exception):
    """No group-by with that id in a live view."""


class ViewGroupByNotSupported(Exception):
    """The view's type cannot group its rows."""


class ViewGroupByFieldAlreadyExists(Exception):
    """The view is grouped by that field already."""


class ViewGroupByFieldNotSupported(Exception):
    """The field's type cannot group rows."""


class AggregationTypeDoesNotExist(Exception):
    """No aggregation type is registered under the name."""


class AggregationTypeUnsupportedField(Exception):
    """The aggregation type cannot aggregate this type of field."""
