"""count and lookup: read-only values computed through a link_row field of the same table.

Neither has a column. Each defines, in its table's model registry, its own model of the link's
relation table (reached from a row as `count_<id>_links` / `lookup_<id>_links`); a count is a
correlated subquery, a lookup a prefetch of the links and of the target column, so reading any
number of rows costs the same queries. When the link or the target goes, the field stays with
an `error` and empty values, as Baserow's formulas do.
"""

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Prefetch
from rest_framework import serializers

from database import table_models
from database.fields import errors
from database.fields.models import Field
from database.fields.registry import FieldType, field_types
from database.fields.types import links
from database.tables.models import Table

# Targets whose values live outside their own column cannot be looked up (yet).
UNSUPPORTED_TARGETS = {"link_row", "multiple_select", "count", "lookup"}
ARRAY_TYPES = {
    "number": "number",
    "rating": "number",
    "autonumber": "number",
    "boolean": "boolean",
    "date": "date",
    "created_on": "date",
    "last_modified": "date",
    "single_select": "single_select",
    "duration": "duration",
}
KEEP_BATCH = 1000
# The options naming other fields: the link read through and the looked-up field.
FIELD_REFERENCES = ("through_field_id", "target_field_id")


def _link(field: Field, *, field_id: Any = None, name: Any = None) -> Field | None:
    """A link_row field of the field's table (not the field itself), by name if given, else id."""
    queryset = Field.objects.filter(
        table_id=field.table_id, type="link_row", link_row_relation_id__isnull=False
    ).exclude(id=field.id)
    if name:
        return queryset.filter(name=name).first()
    if field_id is not None:
        return queryset.filter(id=field_id).first()
    return None


def _references(field: Field) -> tuple[Field | None, Field | None, str | None]:
    """The field's live link and target (lookups), and what is wrong with them, if anything."""
    ids = [field.options.get("through_field_id"), field.options.get("target_field_id")]
    found = {f.id: f for f in Field.objects.filter(id__in=[i for i in ids if i is not None])}
    link, target = found.get(ids[0]), found.get(ids[1])
    if (
        link is None
        or link.type != "link_row"
        or link.table_id != field.table_id
        or link.link_row_relation_id is None
    ):
        return None, None, "references the deleted or unknown link field"
    if field.type == "count":
        return link, None, None
    if target is None or target.table_id != link.link_row_table_id:
        return link, None, "references the deleted or unknown target field"
    if target.type in UNSUPPORTED_TARGETS:
        return link, target, f"cannot look up a field of type {target.type}"
    return link, target, None


class ComputedThroughLinkType(FieldType):
    """What count and lookup share: read-only, no column, values kept when converted away."""

    read_only = True
    has_column = False
    reads_other_tables = True

    def model_field(self, field, builder):
        return None

    def input_field(self, field):
        return serializers.ReadOnlyField()

    def to_text(self, field, value):
        return links.as_text(value) or None

    def from_text(self, field, text):
        return None  # computed, never parsed

    def copy_dependencies(self, field):
        """The link read through, and the looked-up field."""
        return [field.options[key] for key in FIELD_REFERENCES if field.options.get(key)]

    def copy_options(self, field, *, table_ids, field_ids):
        """Read through the link's copy, and look up the target's copy if it was copied."""
        options = dict(field.options)
        for key in FIELD_REFERENCES:
            if options.get(key) is not None:
                options[key] = field_ids.get(options[key], options[key])
        return options

    def after_type_change(self, old_field, field):
        """Keep the last computed values as data of the field's new type."""
        new_type = field_types.get(field.type)
        model = table_models.build_model(field.table)
        column = _plain_column(model, field)
        if new_type.read_only or column is None:
            return []
        old_model = table_models.ModelBuilder(field.table).build([old_field])
        rows = self.prefetch(old_model.objects.order_by("id"), old_field)
        start = 0
        while batch := list(rows[start : start + KEEP_BATCH]):
            texts = [self.to_text(old_field, self.output_value(old_field, row)) for row in batch]
            values = new_type.from_texts(field, texts)
            changed = [
                model(id=row.id, **{column: value})
                for row, value in zip(batch, values, strict=True)
                if value is not None
            ]
            model.objects.bulk_update(changed, [column], batch_size=KEEP_BATCH)
            start += KEEP_BATCH
        return []


def _plain_column(model: type[models.Model], field: Field) -> str | None:
    try:
        model_field = model._meta.get_field(field.db_column)
    except FieldDoesNotExist:  # the new type keeps no column
        return None
    return None if model_field.is_relation else model_field.name


class CountFieldType(ComputedThroughLinkType):
    type = "count"

    def option_fields(self):
        return {"through_field_id": serializers.IntegerField(allow_null=True, default=None)}

    def validate_options(self, *, field, options):
        if _link(field, field_id=options.get("through_field_id")) is None:
            raise errors.InvalidCountThroughField()
        return options

    def response_options(self, field):
        error = _references(field)[2]
        return {
            "through_field_id": field.options.get("through_field_id"),
            "formula_type": "invalid" if error else "number",
            "error": error,
            "nullable": False,
            "number_decimal_places": 0,
        }

    def openapi_schema(self, field, *, for_request):
        return {
            "type": "string",
            "nullable": True,
            "description": "Read-only: the number of linked rows, as a string.",
        }

    def example_value(self, field, *, for_request):
        return "1"

    def model_field(self, field, builder):
        link, _, error = _references(field)
        if error is None:
            target = builder.related_table_model(link.link_row_table_id)
            name = _accessor(field)
            links.define_relation(builder, link, f"Count{field.id}", target, related_name=name)
        return None

    def prefetch(self, queryset, field):
        relation = links.relation_model(queryset.model, _accessor(field))
        if relation is None:
            return queryset
        return queryset.annotate(**{_value(field): links.live_links_count(relation)})

    def sort_expression(self, field, model, sort_type="default"):
        """The number of linked rows, 0 for none (as shown), in SQL."""
        relation = links.relation_model(model, _accessor(field))
        return None if relation is None else links.live_links_count(relation)

    def output_value(self, field, row):
        if hasattr(row, _value(field)):
            return str(getattr(row, _value(field)))
        relation = links.relation_model(type(row), _accessor(field))
        if relation is None:
            return None
        return str(relation.objects.filter(src_id=row.id, tgt__trashed=False).count())


class LookupFieldType(ComputedThroughLinkType):
    type = "lookup"
    transient_options = ("through_field_name", "target_field_name")

    def option_fields(self):
        def optional(field_class):
            return field_class(allow_null=True, required=False, default=None)

        return {
            "through_field_id": optional(serializers.IntegerField),
            "through_field_name": optional(serializers.CharField),
            "target_field_id": optional(serializers.IntegerField),
            "target_field_name": optional(serializers.CharField),
        }

    def validate_options(self, *, field, options):
        link = _link(
            field,
            field_id=options.get("through_field_id"),
            name=options.get("through_field_name"),
        )
        if link is None:
            raise errors.InvalidLookupThroughField()
        targets = Field.objects.filter(table_id=link.link_row_table_id)
        if options.get("target_field_name"):
            target = targets.filter(name=options["target_field_name"]).first()
        else:
            target = targets.filter(id=options.get("target_field_id")).first()
        if target is None or target.id == field.id or target.type in UNSUPPORTED_TARGETS:
            raise errors.InvalidLookupTargetField()
        return {**options, "through_field_id": link.id, "target_field_id": target.id}

    def response_options(self, field):
        link, target, error = _references(field)
        return {
            "through_field_id": field.options.get("through_field_id"),
            "through_field_name": None if link is None else link.name,
            "target_field_id": field.options.get("target_field_id"),
            "target_field_name": None if target is None else target.name,
            "formula_type": "invalid" if error else "array",
            "array_formula_type": None if error else ARRAY_TYPES.get(target.type, "text"),
            "error": error,
            "nullable": True,
        }

    def openapi_schema(self, field, *, for_request):
        _, target, error = _references(field)
        value = {}
        if error is None:
            value = field_types.get(target.type).openapi_schema(target, for_request=False)
        item = {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "value": value},
            "required": ["id", "value"],
        }
        text = "Read-only: the looked-up values of the linked rows."
        return {"type": "array", "items": item, "description": text}

    def example_value(self, field, *, for_request):
        _, target, error = _references(field)
        if error is not None:
            return []
        value = field_types.get(target.type).example_value(target, for_request=False)
        return [{"id": 1, "value": value}]

    def model_field(self, field, builder):
        link, target, error = _references(field)
        if error is not None:
            return None
        attrs = builder.fixed_columns()
        column = field_types.get(target.type).model_field(target, builder)
        if column is not None and not column.many_to_many:
            attrs[target.db_column] = column
        target_table = Table(id=link.link_row_table_id).db_table
        target_model = builder.define(f"LookupTarget{field.id}", target_table, attrs)
        relation = links.define_relation(
            builder, link, f"Lookup{field.id}", target_model, related_name=_accessor(field)
        )
        relation.target_field = target
        return None

    def prefetch(self, queryset, field):
        relation = links.relation_model(queryset.model, _accessor(field))
        if relation is None:
            return queryset
        target = relation.target_field
        targets = relation._meta.get_field("tgt").related_model.objects.all()
        cache = _value(field)
        return queryset.prefetch_related(
            Prefetch(
                _accessor(field),
                queryset=relation.objects.filter(tgt__trashed=False).order_by("id"),
                to_attr=cache,
            ),
            Prefetch(
                f"{cache}__tgt", queryset=field_types.get(target.type).prefetch(targets, target)
            ),
        )

    def sort_expression(self, field, model, sort_type="default"):
        """The looked-up texts joined in the linked table's row order, as links sort; NULL for
        none. Other targets are not sortable: their values would compare as texts."""
        relation = links.relation_model(model, _accessor(field))
        if relation is None or relation.target_field.type not in links.TEXT_TYPES:
            return None
        return links.linked_texts(relation, relation.target_field)

    def output_value(self, field, row):
        relation = links.relation_model(type(row), _accessor(field))
        if relation is None:
            return []
        linked = getattr(row, _value(field), None)
        if linked is None:  # a row read without `prefetch`
            linked = relation.objects.filter(src_id=row.id, tgt__trashed=False).order_by("id")
            linked = linked.select_related("tgt")
        target = relation.target_field
        target_type = field_types.get(target.type)
        return [
            {"id": link.tgt_id, "value": target_type.output_value(target, link.tgt)}
            for link in linked
        ]


def _accessor(field: Field) -> str:
    return f"{field.type}_{field.id}_links"


def _value(field: Field) -> str:
    return f"{field.db_column}_{field.type}"


FIELD_TYPES = [CountFieldType(), LookupFieldType()]
