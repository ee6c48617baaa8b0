"""Publicly shared views: reached by slug, optionally behind a password, read-only but forms.

Nothing beyond the view's visible fields and the rows passing its filters is reachable.
"""

from datetime import UTC, datetime
from functools import reduce
from operator import or_
from typing import Any

import jwt
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.db import models
from django.utils.crypto import constant_time_compare, salted_hmac

from api.exceptions import RequestBodyValidationError
from database import table_models
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.errors import OrderByFieldNotFound
from database.rows.filters.compile import filter_target, filters_q, tree_from_query
from database.rows.params import (
    field_by_reference,
    order_by_expressions,
    selected_fields,
    split_names,
    without_nul,
)
from database.rows.services import rows_create
from database.rows.values import rows_queryset
from database.views import errors
from database.views.form_conditions import is_asked
from database.views.models import View
from database.views.registry import view_types
from database.views.selectors import public_view_get, view_rows
from database.views.services import field_options_for, visible_fields

TOKEN_TYPE = "public_view"
ALGORITHM = "HS256"


def _password_digest(view: View) -> str:
    """Binds a token to the view's current password: a new password voids old tokens."""
    return salted_hmac("public-view-token", view.public_view_password).hexdigest()


def public_view_token(view: View) -> str:
    """A short-lived token proving its bearer knew the view's password."""
    lifetime = settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"]
    claims = {
        "token_type": TOKEN_TYPE,
        "view_id": view.id,
        "password": _password_digest(view),
        "exp": datetime.now(tz=UTC) + lifetime,
    }
    return jwt.encode(claims, settings.SECRET_KEY, algorithm=ALGORITHM)


def _token_allows(view: View, token: str | None) -> bool:
    if not token:
        return False
    try:
        claims = jwt.decode(token, settings.SECRET_KEY, algorithms=[ALGORITHM])
    except jwt.PyJWTError:
        return False
    return (
        claims.get("token_type") == TOKEN_TYPE
        and claims.get("view_id") == view.id
        and constant_time_compare(str(claims.get("password", "")), _password_digest(view))
    )


def public_view_for(*, slug: str, token: str | None, type: str | None = None) -> View:
    """The public view, if it has no password or the token was issued for its password."""
    view = public_view_get(slug=slug, type=type)
    if view.public_view_password and not _token_allows(view, token):
        raise errors.NoAuthorizationToPubliclySharedView()
    return view


def public_view_authenticate(*, slug: str, password: str) -> str:
    """A token for a password-protected public view, if the password is right."""
    view = public_view_get(slug=slug)
    if not view.public_view_password or not check_password(password, view.public_view_password):
        raise errors.NoAuthorizationToPubliclySharedView()
    return public_view_token(view)


def public_fields(view: View) -> list[Field]:
    """The fields the public may see: those the view shows, in table order."""
    fields = list(Field.objects.filter(table_id=view.table_id).order_by("order", "id"))
    return visible_fields(view, fields)


# Grid rows.


def _check_visible_refs(
    model: type[models.Model], tree: dict[str, Any] | None, visible: set[int]
) -> None:
    """Ad-hoc filters may name only visible fields: others do not exist for the public."""
    if tree is None:
        return
    for item in tree["filters"]:
        target = filter_target(model, item, user_field_names=False)
        if isinstance(target, Field) and target.id not in visible:
            raise errors.FilterFieldNotFound(item["field"])
    for group in tree["groups"]:
        _check_visible_refs(model, group, visible)


def _search_visible(model: type[models.Model], fields: list[Field], term: str) -> models.Q:
    digits = term.strip()
    conditions = [models.Q(id=int(digits))] if digits.isdigit() and len(digits) < 19 else []
    for field in fields:
        condition = field_types.get(field.type).search_q(model._fields[field.id], term, model)
        if condition is not None:
            conditions.append(condition)
    return reduce(or_, conditions) if conditions else models.Q(pk__in=[])


def public_grid_rows(*, view: View, query_params: Any) -> tuple[models.QuerySet, list[Field]]:
    """The rows of a public grid view: its filters, then the visitor's on visible fields."""
    model = table_models.get_model(view.table)
    visible = [model._fields[f.id] for f in public_fields(view) if f.id in model._fields]
    shown = {field.id for field in visible}
    fields = selected_fields(
        visible,
        include=query_params.get("include_fields"),
        exclude=query_params.get("exclude_fields"),
        user_field_names=False,
    )
    order_by = query_params.get("order_by")
    queryset = view_rows(
        view=view, model=model, queryset=rows_queryset(model, fields), sort=not order_by
    )
    tree = tree_from_query(query_params)
    _check_visible_refs(model, tree, shown)
    if tree is not None:
        queryset = queryset.filter(filters_q(model=model, tree=tree, user_field_names=False))
    search = without_nul(query_params.get("search"))
    if search:
        queryset = queryset.filter(_search_visible(model, visible, search))
    if order_by:
        _check_visible_order(order_by, visible)
        queryset = queryset.order_by(*order_by_expressions(model, order_by, user_field_names=False))
    return queryset, fields


def _check_visible_order(order_by: str, visible: list[Field]) -> None:
    """`order_by` may name only visible fields: others do not exist for the public."""
    for entry in split_names(order_by):
        reference = entry[1:] if entry[:1] in "-+" else entry
        reference = reference.partition("[")[0]
        if field_by_reference(visible, reference, user_field_names=False) is None:
            raise OrderByFieldNotFound(entry)


# Forms.


def form_fields(view: View) -> list[tuple[Field, Any]]:
    """The enabled fields of a form with their options, in the form's order."""
    fields = list(Field.objects.filter(table_id=view.table_id).order_by("order", "id"))
    options = field_options_for(view, fields)
    view_type = view_types.get(view.type)
    shown = [(f, options[f.id]) for f in fields if view_type.shows_field(options[f.id])]
    return sorted(shown, key=lambda pair: (pair[1].order, pair[0].order, pair[0].id))


def form_submit(*, view: View, values: dict[str, Any]) -> int:
    """Create one row from a form submission; only the fields the form asks (enabled, their
    conditions met by the other answers), required ones enforced."""
    enabled = form_fields(view)
    item = {}
    missing = {}
    for field, options in enabled:
        if not is_asked(options, values):
            continue
        key = field.db_column
        value = values.get(key)
        if options.required and value in (None, "", []):
            missing[key] = [{"error": "This field is required.", "code": "required"}]
        if key in values:
            item[key] = value
    if missing:
        raise RequestBodyValidationError(missing)
    (row,) = rows_create(table=view.table, items=[item])
    return row.id
