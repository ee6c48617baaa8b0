"""Domain errors of views and filters."""

from database.rows.filters.errors import (  # re-exported: views raise them too
    FilterFieldNotFound as FilterFieldNotFound,
)
from database.rows.filters.errors import (
    FiltersParamValidationError as FiltersParamValidationError,
)
from database.rows.filters.errors import (
    ViewFilterTypeDoesNotExist as ViewFilterTypeDoesNotExist,
)
from database.rows.filters.errors import (
    ViewFilterTypeUnsupportedField as ViewFilterTypeUnsupportedField,
)


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
