"""link_row: links between rows of two tables (or of one), kept in a relation table.

Both sides of a relation share the table `database_relation_<link_row_relation_id>`, which has
one column per table, `table<id>_id` (a self-link has `table<id>_id` and `table<id>_linked_id`),
and an id giving the order the links were made in. The relation id is the id of the field that
made the relation. Creating a link with a related field creates the reverse link_row field in
the other table through `field_create_unchecked`; deleting either side deletes both.
"""

from contextvars import ContextVar
from typing import Any

from django.db import models
from django.db.models import Exists, Min, OuterRef, Prefetch
from rest_framework import serializers

from database import table_models
from database.fields import errors
from database.fields.models import Field
from database.fields.registry import FieldType, field_types
from database.fields.serializers import field_to_json
from database.fields.services import MAX_NAME_LENGTH, RESERVED_NAMES, field_create_unchecked
from database.fields.types import links
from database.tables.models import Table
from database.tables.selectors import table_get

# Set while the reverse field of this link is being created, so that it joins its relation.
_creating_reverse_of: ContextVar[Field | None] = ContextVar("creating_reverse_of", default=None)


class LinkRowInput(serializers.Field):
    """Row ids, primary field texts, one id, or a comma-separated string; gives row ids."""

    def __init__(self, field: Field, prepared: links.PreparedRows | None = None, **kwargs):
        super().__init__(required=False, allow_null=True, **kwargs)
        self.link_field = field
        self.prepared = prepared

    def to_internal_value(self, data):
        items = _parse_items(data)
        if len(items) > 1 and not self.link_field.options.get(
            "link_row_multiple_relationships", True
        ):
            raise serializers.ValidationError(
                "Ensure this field has no more than 1 elements.", code="max_length"
            )
        return links.resolve_rows(self.link_field.link_row_table_id, items, self.prepared)


def _parse_items(data: Any) -> list[int | str]:
    if data is None:
        return []
    if isinstance(data, int) and not isinstance(data, bool):
        return [data]
    if isinstance(data, str):
        parts = [part.strip() for part in data.split(",") if part.strip()]
        return [int(part) if part.isdigit() else part for part in parts]
    if not isinstance(data, list):
        raise serializers.ValidationError("Expected a list of row ids or names.", code="invalid")
    items: list[int | str] = []
    for item in data:
        if isinstance(item, dict):
            item = item.get("id")
        if isinstance(item, bool) or not isinstance(item, int | str):
            raise serializers.ValidationError("Expected a row id or name.", code="invalid")
        items.append(item)
    return items


class LinkRowFieldType(FieldType):
    type = "link_row"
    reads_other_tables = True
    can_be_primary = False
    has_column = False
    transient_options = ("link_row_table_id", "link_row_table", "has_related_field")

    def option_fields(self):
        return {
            "link_row_table_id": serializers.IntegerField(allow_null=True, default=None),
            # The deprecated name of link_row_table_id, still accepted.
            "link_row_table": serializers.IntegerField(allow_null=True, default=None),
            "has_related_field": serializers.BooleanField(allow_null=True, default=None),
            "link_row_multiple_relationships": serializers.BooleanField(default=True),
            "link_row_limit_selection_view_id": serializers.IntegerField(
                allow_null=True, default=None
            ),
        }

    def validate_options(self, *, field, options):
        target_id = (
            options.get("link_row_table_id")
            or options.get("link_row_table")
            or field.link_row_table_id
        )
        if target_id is None:
            raise errors.LinkRowTableNotProvided()
        target = table_get(table_id=target_id)
        if target.database_id != field.table.database_id:
            raise errors.LinkRowTableNotInSameDatabase()
        if target.id == field.table_id and options.get("has_related_field") is True:
            raise errors.SelfReferencingLinkRowCannotHaveRelatedField()
        return {**options, "link_row_table_id": target.id}

    def response_options(self, field):
        primary = (
            Field.objects.select_related("table__database")
            .filter(table_id=field.link_row_table_id, primary=True)
            .first()
        )
        return {
            "link_row_table_id": field.link_row_table_id,
            "link_row_related_field_id": field.link_row_related_field_id,
            "link_row_table": field.link_row_table_id,
            "link_row_related_field": field.link_row_related_field_id,
            "link_row_limit_selection_view_id": field.options.get(
                "link_row_limit_selection_view_id"
            ),
            "link_row_multiple_relationships": field.options.get(
                "link_row_multiple_relationships", True
            ),
            "has_related_field": field.link_row_related_field_id is not None,
            "link_row_table_primary_field": None if primary is None else field_to_json(primary),
        }

    def history_value(self, field, value):
        return [item["id"] for item in value or ()]

    def history_metadata(self, field):
        return {
            **super().history_metadata(field),
            "linked_table_id": field.link_row_table_id,
            "linked_field_id": field.link_row_related_field_id,
        }

    def history_shown(self, field, values):
        """The linked rows' names before and after, by id, as Baserow keeps them."""
        items = [item for value in values for item in value or ()]
        return {"linked_rows": {str(item["id"]): {"value": item["value"]} for item in items}}

    # Storage

    def model_field(self, field, builder):
        if field.link_row_table_id is None or field.link_row_relation_id is None:
            return None
        target = builder.related_table_model(field.link_row_table_id)
        through = links.define_relation(
            builder, field, f"Links{field.id}", target, related_name=links.accessor(field)
        )
        through.primary_field = Field.objects.filter(
            table_id=field.link_row_table_id, primary=True
        ).first()
        return models.ManyToManyField(
            target, through=through, through_fields=("src", "tgt"), related_name="+", blank=True
        )

    def prefetch(self, queryset, field):
        through = links.relation_model(queryset.model, links.accessor(field))
        if through is None:
            return queryset
        cache = f"{field.db_column}_linked"
        return queryset.prefetch_related(
            Prefetch(
                links.accessor(field),
                queryset=through.objects.filter(tgt__trashed=False).order_by("id"),
                to_attr=cache,
            ),
            Prefetch(f"{cache}__tgt", queryset=_with_primary(through)),
        )

    # Cell values

    def input_field(self, field):
        return LinkRowInput(field)

    def prepare_batch(self, field, values):
        """The linked rows every value of the write names, in one lookup for all of them."""
        if field.link_row_table_id is None:
            return None
        items: list[int | str] = []
        for value in values:
            try:
                items += _parse_items(value)
            except serializers.ValidationError:  # reported by the value's own validation
                continue
        return links.prepare_rows(field.link_row_table_id, items)

    def batch_input_field(self, field, prepared):
        return LinkRowInput(field, prepared=prepared)

    def sort_expression(self, field, model, sort_type="default"):
        """The linked rows' primary texts, in the linked table's row order; NULL for none.

        Baserow sorts by the array of these values; joined by a separator below any character
        they hold, they compare the same way under a binary collation. Sortable only when the
        primary field is a text: other primaries would compare as texts, not as their values.
        """
        through = links.relation_model(model, links.accessor(field))
        primary = None if through is None else through.primary_field
        if primary is None or primary.type not in links.TEXT_TYPES:
            return None
        return links.linked_texts(through, primary)

    def search_q(self, field, term, model):
        through = links.relation_model(model, links.accessor(field))
        primary = None if through is None else through.primary_field
        if primary is None or primary.type not in {*links.TEXT_TYPES, "number", "autonumber"}:
            return None
        linked = through.objects.filter(
            src=OuterRef("pk"),
            tgt__trashed=False,
            **{f"tgt__{primary.db_column}__icontains": term},
        )
        return models.Q(Exists(linked))

    def default_value(self, field):
        return []

    def set_relations(self, row, field, value):
        through = links.relation_model(type(row), links.accessor(field))
        wanted = list(value or ())
        existing = list(through.objects.filter(src_id=row.id).values_list("tgt_id", flat=True))
        gone = set(existing) - set(wanted)
        if gone:
            through.objects.filter(src_id=row.id, tgt_id__in=gone).delete()
        through.objects.bulk_create(
            [through(src_id=row.id, tgt_id=target) for target in wanted if target not in existing]
        )

    def output_value(self, field, row):
        through = links.relation_model(type(row), links.accessor(field))
        linked = getattr(row, f"{field.db_column}_linked", None)
        if linked is None:  # a row read without `prefetch`
            linked = through.objects.filter(src_id=row.id, tgt__trashed=False).order_by("id")
            linked = linked.select_related("tgt")
        primary = through.primary_field
        return [
            {
                "id": link.tgt_id,
                "value": links.primary_text(primary, link.tgt),
                "order": links.order_text(link.tgt.order),
            }
            for link in linked
        ]

    def openapi_schema(self, field, *, for_request):
        table = f"table {field.link_row_table_id}"
        if for_request:
            schema = {
                "type": "array",
                "items": {"type": "integer"},
                "nullable": True,
                "description": f"The ids of the linked rows of {table} (or their primary values).",
            }
            if not field.options.get("link_row_multiple_relationships", True):
                schema["maxItems"] = 1
            return schema
        link = {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "value": {"type": "string", "description": "The linked row's primary value."},
                "order": {"type": "string", "format": "decimal"},
            },
            "required": ["id", "value", "order"],
        }
        return {"type": "array", "items": link, "description": f"The linked rows of {table}."}

    def example_value(self, field, *, for_request):
        if for_request:
            return [1]
        return [{"id": 1, "value": "Row 1", "order": "1.00000000000000000000"}]

    # Conversions discard links: the contract keeps no data across link_row.

    def to_texts(self, field, values):
        return [None] * len(values)

    def from_texts(self, field, texts):
        return [None] * len(texts)

    def to_text(self, field, value):
        return None

    def from_text(self, field, text):
        return None

    # Lifecycle

    def before_storage(self, field, options):
        """A new link (or a field becoming one) gets its relation, or joins its counterpart's."""
        if field.link_row_relation_id is not None:
            return []
        field.link_row_table_id = options["link_row_table_id"]
        source = _creating_reverse_of.get()
        if source is not None and source.link_row_table_id == field.table_id:
            field.link_row_relation_id = source.link_row_relation_id
            field.link_row_related_field = source
        else:
            field.link_row_relation_id = field.id
            field.link_row_related_field = None
        field.save(
            update_fields=["link_row_table", "link_row_relation_id", "link_row_related_field"]
        )
        return []

    def after_create(self, field, options):
        if _wants_related(field, options.get("has_related_field")):
            return [_create_related(field)]
        return []

    def after_update(self, old_field, field, options):
        changed: list[Field] = []
        if options["link_row_table_id"] != old_field.link_row_table_id:
            changed += _retarget(field, options["link_row_table_id"])
            wanted = _wants_related(field, options.get("has_related_field"))
        else:
            wanted = options.get("has_related_field")
        if wanted and field.link_row_related_field_id is None and not _is_self_link(field):
            changed.append(_create_related(field))
        elif wanted is False and field.link_row_related_field_id is not None:
            changed += _delete_related(field)
        if old_field.options.get("link_row_multiple_relationships", True) and not (
            field.options.get("link_row_multiple_relationships", True)
        ):
            _keep_first_links(field)
        return changed

    def after_type_change(self, old_field, field):
        """The field is not a link anymore: it leaves the relation, which goes with its pair."""
        field.link_row_table = None
        field.link_row_related_field = None
        field.link_row_relation_id = None
        field.save(
            update_fields=["link_row_table", "link_row_related_field", "link_row_relation_id"]
        )
        return _delete_related(old_field) + links.dependents(old_field)

    def trash_companions(self, field, *, trashed=False):
        return list(
            Field.objects_and_trash.select_related("table__database").filter(
                id=field.link_row_related_field_id, type="link_row", trashed=trashed
            )
        )

    def dependents(self, field):
        return links.dependents(field)

    # Duplication

    def copy_options(self, field, *, table_ids, field_ids):
        """Links to a copied table link to its copy; a counterpart gets one of its own."""
        target = field.link_row_table_id
        return {
            **field.options,
            "link_row_table_id": table_ids.get(target, target),
            "has_related_field": field.link_row_related_field_id is not None,
        }

    def copy_cells(self, old_field, new_field, *, table_ids, field_ids, values=True):
        # Both sides of a copied relation share it: the side that made it copies it.
        if values and new_field.link_row_relation_id == new_field.id:
            copied_target = old_field.link_row_table_id in table_ids
            links.copy_relation(old_field, new_field, copied_target=copied_target)


def _with_primary(through) -> models.QuerySet:
    """The linked rows, with what their primary field's value needs."""
    target = through._meta.get_field("tgt").related_model
    primary = through.primary_field
    if primary is None:
        return target.objects.all()
    return field_types.get(primary.type).prefetch(target.objects.all(), primary)


def _is_self_link(field: Field) -> bool:
    return field.link_row_table_id == field.table_id


def _wants_related(field: Field, has_related_field: bool | None) -> bool:
    """Links get a related field unless they point at their own table or were asked not to."""
    if _is_self_link(field) or field.link_row_related_field_id is not None:
        return False
    return has_related_field is not False


def _free_name(table_id: int, name: str) -> str:
    """`name`, or `name 2`, `name 3`... whichever the table does not have yet."""
    taken = set(Field.objects.filter(table_id=table_id).values_list("name", flat=True))
    taken |= RESERVED_NAMES
    candidate, number = name[:MAX_NAME_LENGTH], 2
    while candidate in taken or not candidate.strip():
        suffix = f" {number}"
        candidate = f"{name[: MAX_NAME_LENGTH - len(suffix)]}{suffix}"
        number += 1
    return candidate


def _create_related(field: Field) -> Field:
    """The reverse link in the linked table, named after this field's table."""
    table = Table.objects.get(id=field.table_id)
    target = Table.objects.get(id=field.link_row_table_id)
    token = _creating_reverse_of.set(field)
    try:
        related, _ = field_create_unchecked(
            table=target,
            type="link_row",
            name=_free_name(target.id, table.name),
            options={"link_row_table_id": table.id, "has_related_field": False},
        )
    finally:
        _creating_reverse_of.reset(token)
    field.link_row_related_field = related
    field.save(update_fields=["link_row_related_field"])
    return related


def _delete_related(field: Field) -> list[Field]:
    """Delete the field's counterpart; the relation table goes once no field uses it."""
    related = (
        Field.objects.select_related("table__database")
        .filter(id=field.link_row_related_field_id, type="link_row")
        .first()
    )
    field.link_row_related_field = None
    Field.objects.filter(id=field.id).update(link_row_related_field=None)
    if related is None:
        return []
    table = table_models.lock_table_schema(related.table)
    dependents = links.dependents(related)
    table_models.remove_field_storage(related)
    related.delete()
    table_models.bump_schema_version(table)
    return dependents


def _retarget(field: Field, target_id: int) -> list[Field]:
    """Point the link at another table: its links and related field go, a new relation comes."""
    changed = _delete_related(field) + links.dependents(field)
    table_models.remove_field_storage(field)
    field.link_row_table_id = target_id
    field.link_row_relation_id = field.id
    field.save(update_fields=["link_row_table", "link_row_relation_id"])
    table_models.add_field_storage(field)
    return changed


def _keep_first_links(field: Field) -> None:
    """In single relationship mode each row keeps only its oldest link."""
    through = links.relation_model(table_models.build_model(field.table), links.accessor(field))
    first = through.objects.values("src").annotate(first=Min("id")).values_list("first", flat=True)
    through.objects.exclude(id__in=list(first)).delete()


FIELD_TYPES = [LinkRowFieldType()]
