"""`<link field>__join=<target>,…`: values of the linked rows' own fields inside each link item.

`GET …/rows/table/40/?field_7__join=field_9,field_10` gives every item of the link field 7
the linked row's cells of fields 9 and 10 (`{"id", "value", "order", "field_9": …}`), read
in one query per joined link field, whatever the page size.
"""

from dataclasses import dataclass
from typing import Any

from database import table_models
from database.fields.errors import FieldDoesNotExist
from database.fields.models import Field
from database.fields.registry import field_types
from database.rows.errors import InvalidJoinParameter, JoinTargetIncompatible
from database.rows.params import field_by_reference, table_fields
from database.rows.values import rows_queryset

SUFFIX = "__join"


@dataclass(frozen=True)
class LinkJoin:
    link: Field
    targets: list[Field]


def _key(field: Field, user_field_names: bool) -> str:
    return field.name if user_field_names else field.db_column


def joins_from_query(query_params: Any, fields: list[Field], *, user_field_names: bool):
    """The joins the query string asks for, checked against the table's link fields."""
    joins: list[LinkJoin] = []
    for key in query_params:
        if not key.endswith(SUFFIX):
            continue
        link = field_by_reference(fields, key[: -len(SUFFIX)], user_field_names=user_field_names)
        if link is None or link.type != "link_row" or link.link_row_table_id is None:
            raise FieldDoesNotExist()
        if hasattr(query_params, "getlist"):
            values = query_params.getlist(key)
        else:
            values = [query_params[key]]
        if len(values) != 1:
            raise InvalidJoinParameter()
        references = values[0].split(",")
        if len(references) != len(set(references)):
            raise InvalidJoinParameter()
        target_model = table_models.get_model(link.link_row_table)
        candidates = table_fields(target_model)
        targets = []
        for reference in references:
            target = field_by_reference(candidates, reference, user_field_names=user_field_names)
            if target is None:
                raise FieldDoesNotExist()
            if target.type == "link_row":
                raise JoinTargetIncompatible()
            targets.append(target)
        joins.append(LinkJoin(link=link, targets=targets))
    return joins


def apply_joins(results: list[dict], joins: list[LinkJoin], *, user_field_names: bool) -> None:
    """Add the joined cells to the link items of the serialized rows, in place."""
    for join in joins:
        link_key = _key(join.link, user_field_names)
        items = [item for row in results for item in row.get(link_key) or ()]
        if not items:
            continue
        model = table_models.get_model(join.link.link_row_table)
        linked = rows_queryset(model, join.targets).filter(id__in={item["id"] for item in items})
        cells = {
            row.id: {
                _key(target, user_field_names): field_types.get(target.type).output_value(
                    target, row
                )
                for target in join.targets
            }
            for row in linked
        }
        for item in items:
            item.update(cells.get(item["id"], {}))
