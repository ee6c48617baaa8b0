"""Helpers for filter tests: make fields, filter a table's rows through filters_q."""

from typing import Any

from database import table_models
from database.fields.models import Field
from database.fields.services import field_create
from database.rows.filters.compile import filters_q
from database.tables.models import Table


def create(user, table, type_name: str, name: str, **options) -> Field:
    field, _ = field_create(user=user, table=table, type=type_name, name=name, options=options)
    return field


def model_of(table):
    return table_models.get_model(Table.objects.get(id=table.id))


def ids_for_tree(table, tree: dict[str, Any], *, user_field_names: bool = False) -> list[int]:
    model = model_of(table)
    q = filters_q(model=model, tree=tree, user_field_names=user_field_names)
    return sorted(model.objects.filter(trashed=False).filter(q).values_list("id", flat=True))


def ids_where(table, field: Field, type_name: str, value: str = "") -> list[int]:
    """The ids of the rows passing one filter, sorted."""
    tree = {
        "filter_type": "AND",
        "filters": [{"field": field.id, "type": type_name, "value": value}],
        "groups": [],
    }
    return ids_for_tree(table, tree)
