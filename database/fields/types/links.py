"""Relation tables of link_row fields, shared by link_row, count and lookup.

A relation table `database_relation_<relation id>` has one column per side, `table<id>_id`
(`table<id>_linked_id` for the far side of a self-link). Each type that reads it defines its own
model of it in the table's registry, with `src` (this side, whose reverse accessor is named by
the type) and `tgt` (the linked row).
"""

from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.models.functions import Coalesce

from api.exceptions import RequestBodyValidationError
from database import table_models
from database.fields.models import Field
from database.fields.registry import field_types
from database.fields.sorting import ELEMENT_SEPARATOR, JoinedText
from database.fields.types.text import TEXT_TYPES
from database.tables.models import Table

ORDER_PLACES = Decimal("0.00000000000000000000")

COMPUTED_THROUGH_LINKS = ("count", "lookup")


def relation_db_table(relation_id: int) -> str:
    return f"database_relation_{relation_id}"


def relation_columns(link: Field) -> tuple[str, str]:
    """The columns of the link's own side and of the linked side."""
    if link.link_row_table_id == link.table_id:
        return f"table{link.table_id}_id", f"table{link.table_id}_linked_id"
    return f"table{link.table_id}_id", f"table{link.link_row_table_id}_id"


def accessor(link: Field) -> str:
    """The name under which a row of the link's table reaches its relation rows."""
    return f"{link.db_column}_links"


def define_relation(builder, link: Field, name: str, target, *, related_name: str) -> type:
    """A model of the link's relation table in the builder's registry."""
    src_column, tgt_column = relation_columns(link)
    attrs = {
        "src": models.ForeignKey(
            table_models.model_reference(link.table_id),
            on_delete=models.CASCADE,
            db_column=src_column,
            db_constraint=False,
            related_name=related_name,
        ),
        "tgt": models.ForeignKey(
            target,
            on_delete=models.CASCADE,
            db_column=tgt_column,
            db_constraint=False,
            related_name="+",
        ),
    }
    return builder.define(name, relation_db_table(link.link_row_relation_id), attrs)


def copy_relation(old_link: Field, new_link: Field, *, copied_target: bool) -> None:
    """Copy the links of `old_link` into the new (empty) relation of its copy `new_link`.

    One INSERT ... SELECT in link order; row ids are kept by copies. Only links of rows that
    were copied are: the copy's own rows, and the linked rows' copies when the linked table was
    copied as well (`copied_target`); links into other tables keep their target rows.
    """
    if old_link.link_row_relation_id is None or new_link.link_row_relation_id is None:
        return
    quote = connection.ops.quote_name
    (src, tgt), (new_src, new_tgt) = relation_columns(old_link), relation_columns(new_link)
    sql = (
        f"INSERT INTO {quote(relation_db_table(new_link.link_row_relation_id))} "
        f"({quote(new_src)}, {quote(new_tgt)}) SELECT r.{quote(src)}, r.{quote(tgt)} "
        f"FROM {quote(relation_db_table(old_link.link_row_relation_id))} r "
        f"JOIN {quote(Table(id=new_link.table_id).db_table)} s ON s.id = r.{quote(src)}"
    )
    if copied_target:
        target = Table(id=new_link.link_row_table_id).db_table
        sql += f" JOIN {quote(target)} t ON t.id = r.{quote(tgt)}"
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} ORDER BY r.id")


def relation_model(model: type[models.Model], name: str) -> Any:
    """The relation model a table model reaches under `name`, or None if it has none.

    Read from the reverse accessor itself: a builder's registry has no app config, so reverse
    relations are not listed in `_meta`.
    """
    descriptor = getattr(model, name, None)
    return None if descriptor is None else descriptor.rel.related_model


def live_links_count(relation) -> models.Expression:
    """A row's number of links (through `relation`) to live rows: a correlated subquery, 0
    for none. What count fields show, sort by and filter on."""
    counts = (
        relation.objects.filter(src=models.OuterRef("pk"), tgt__trashed=False)
        .order_by()
        .values("src")
        .annotate(n=models.Count("id"))
        .values("n")
    )
    return Coalesce(models.Subquery(counts), 0)


def linked_texts(relation, target: Field) -> JoinedText:
    """A row's texts of `target` in its linked (live) rows, joined in their table's row order.

    The sort key of links and lookups of text fields, as Baserow orders their arrays.
    """
    linked = relation.objects.filter(src=models.OuterRef("pk"), tgt__trashed=False)
    return JoinedText(
        linked,
        value=models.F(f"tgt__{target.db_column}"),
        order=[models.F("tgt__order"), models.F("tgt__id")],
        separator=ELEMENT_SEPARATOR,
    )


def as_text(value: Any) -> str:
    """A cell value in its JSON form as plain text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return as_text(value.get("value", value.get("name")))
    if isinstance(value, list):
        return ", ".join(text for text in map(as_text, value) if text)
    return str(value)


def primary_text(primary: Field | None, row: models.Model) -> str:
    """The row's name: its primary value as text, formatted as the primary field shows it."""
    if primary is None:
        return ""
    field_type = field_types.get(primary.type)
    value = field_type.output_value(primary, row)
    if isinstance(value, dict | list) or not hasattr(row, primary.db_column):
        return as_text(value)
    return field_type.to_text(primary, getattr(row, primary.db_column)) or ""


# Row ids a database can hold: larger integers name no row (and no query is asked about them).
MAX_ROW_ID = 2**63 - 1


class PreparedRows:
    """What the link values of a write name in the linked table, read once for all of them.

    `by_name` maps the names given to the first row (lowest id) having that primary text,
    `live` holds those of the ids given (or names read as ids) that are live rows. Shared as is
    by the copies DRF makes of an input field for each item it validates.
    """

    def __init__(self, by_name: dict[str, int], live: set[int]):
        self.by_name = by_name
        self.live = live

    def __deepcopy__(self, memo):
        return self


def prepare_rows(table_id: int, items: list[int | str]) -> PreparedRows:
    """Look up, in a constant number of queries, every row the items may name."""
    model = table_models.get_model(Table.objects.get(id=table_id))
    live = model.objects.filter(trashed=False)
    names = list(dict.fromkeys(item for item in items if isinstance(item, str)))
    by_name = _ids_by_name(model, live, names) if names else {}
    wanted: set[int] = set()
    for item in items:
        row_id = _row_id(item, by_name)
        if row_id is not None and 0 < row_id <= MAX_ROW_ID:
            wanted.add(row_id)
    found = set(live.filter(id__in=wanted).values_list("id", flat=True)) if wanted else set()
    return PreparedRows(by_name, found)


def _row_id(item: int | str, by_name: dict[str, int]) -> int | None:
    """The row id an item names: a row's name, else an id (digits read as one), else None."""
    if not isinstance(item, str):
        return item
    row_id = by_name.get(item)
    if row_id is None and item.strip().isdigit():
        row_id = int(item.strip())
    return row_id


def resolve_rows(
    table_id: int, items: list[int | str], prepared: PreparedRows | None = None
) -> list[int]:
    """The ids of the live rows of a table given by id or by name, in order without repeats.

    Names are primary field texts; a name matching no row but made of digits is read as an id.
    The rows are looked up unless `prepared` (made for these items among others) has them.
    """
    if prepared is None:
        prepared = prepare_rows(table_id, items)
    ids: list[int] = []
    unknown: list[str] = []
    for item in items:
        row_id = _row_id(item, prepared.by_name)
        if row_id is None:
            unknown.append(item)
        elif row_id not in ids:
            ids.append(row_id)
    if unknown:
        raise RequestBodyValidationError(
            f"The provided text values {unknown} do not match any row of the linked table."
        )
    missing = [row_id for row_id in ids if row_id not in prepared.live]
    if missing:
        raise RequestBodyValidationError(f"The provided row ids {missing} do not exist.")
    return ids


def _ids_by_name(model, live: models.QuerySet, names: list[str]) -> dict[str, int]:
    """The first row (lowest id) of each primary text among `names`."""
    primary = next((field for field in model._fields.values() if field.primary), None)
    if primary is None:
        return {}
    found: dict[str, int] = {}
    if primary.type in TEXT_TYPES:
        rows = live.filter(**{f"{primary.db_column}__in": names}).order_by("id")
        for name, row_id in rows.values_list(primary.db_column, "id"):
            found.setdefault(name, row_id)
        return found
    # Other primaries are compared by their text: read the rows once.
    wanted = set(names)
    rows = field_types.get(primary.type).prefetch(live.order_by("id"), primary)
    for row in rows:
        text = primary_text(primary, row)
        if text in wanted:
            found.setdefault(text, row.id)
    return found


def dependents(link: Field) -> list[Field]:
    """The counts and lookups reading through the link, which break when it changes or goes."""
    return list(
        Field.objects.select_related("table__database").filter(
            table_id=link.table_id,
            type__in=COMPUTED_THROUGH_LINKS,
            options__through_field_id=link.id,
        )
    )


def order_text(order: Any) -> str:
    """A row's `order` as the contract's decimal string with 20 places."""
    return str(Decimal(order).quantize(ORDER_PLACES))
