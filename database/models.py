"""The database app's models live in its sub-packages; Django finds them here."""

from database.applications.models import Application
from database.fields.models import Field, SelectOption
from database.rows.models import RowHistory
from database.tables.models import Table
from database.tokens.models import Token, TokenPermission
from database.views.models import (
    FormViewFieldOptions,
    GalleryViewFieldOptions,
    GridViewFieldOptions,
    View,
    ViewFilter,
    ViewFilterGroup,
    ViewGroupBy,
    ViewSort,
)

__all__ = [
    "Application",
    "Field",
    "FormViewFieldOptions",
    "GalleryViewFieldOptions",
    "GridViewFieldOptions",
    "RowHistory",
    "SelectOption",
    "Table",
    "Token",
    "TokenPermission",
    "View",
    "ViewFilter",
    "ViewFilterGroup",
    "ViewGroupBy",
    "ViewSort",
]
