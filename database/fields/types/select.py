"""single_select and multiple_select: options are SelectOption rows, cells refer to them by id.

A single_select cell is the option id in an integer column (no foreign key: user tables live in
their own model registries). A multiple_select field keeps a relation table
`database_multipleselect_<field id>` of (row id, option id) pairs.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Rank
from rest_framework import serializers

from api.exceptions import RequestBodyValidationError
from database import table_models
from database.fields.errors import SelectOptionDoesNotBelongToField
from database.fields.models import SelectOption
from database.fields.registry import NOT_QUICK, ColumnOutput, FieldType
from database.fields.sorting import JoinedText

SELECT_TYPES = {"single_select", "multiple_select"}
OPTION_MODEL = "SelectOptionRef"
# Options mapped per statement when a field is copied (3 parameters each).
MAPPING_BATCH = 300


class SelectOptionInput(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    value = serializers.CharField(max_length=255, allow_blank=True, trim_whitespace=False)
    color = serializers.CharField(max_length=255)


def options_of(field) -> list[SelectOption]:
    return list(SelectOption.objects.filter(field_id=field.id).order_by("order", "id"))


# Past this many options, rows are sorted by looking their option up rather than by a CASE.
RANKED_SORT_MAX_OPTIONS = 100


def known_options(field) -> dict[int, SelectOption]:
    """The field's options by id in their order, kept on the field (see `model_built`).

    Only for fields of a table model: options change with the field (`field_update`), which
    changes the table's schema version and so gives a new model with new field objects.
    Each option also has its rank among the field's options by value and by order.
    """
    known = field.__dict__.get("known_options")
    if known is None:
        known = field.known_options = _ranked_options([field.id])[field.id]
    return known


def _ranked_options(field_ids: list[int]) -> dict[int, dict[int, SelectOption]]:
    """The fields' options by id, in their order, ranked as the database sorts them."""
    ranked: dict[int, dict[int, SelectOption]] = {field_id: {} for field_id in field_ids}
    options = SelectOption.objects.filter(field_id__in=field_ids).annotate(
        value_rank=models.Window(Rank(), partition_by=[F("field_id")], order_by=F("value").asc()),
        order_rank=models.Window(Rank(), partition_by=[F("field_id")], order_by=F("order").asc()),
    )
    for option in options.order_by("order", "id"):
        ranked[option.field_id][option.id] = option
    return ranked


def option_json(option) -> dict[str, Any]:
    return {"id": option.id, "value": option.value, "color": option.color}


def _as_list(value: Any) -> list:
    """A cell of either select type as a list of options (none, one or several)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def option_schemas(field) -> tuple[dict[str, Any], dict[str, Any]]:
    """The OpenAPI schemas of an option as sent (its id) and as returned (an object)."""
    options = options_of(field)
    sent: dict[str, Any] = {"type": "integer"}
    returned: dict[str, Any] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "value": {"type": "string"},
            "color": {"type": "string"},
        },
        "required": ["id", "value", "color"],
    }
    if options:  # OpenAPI forbids an empty enum
        sent["enum"] = [option.id for option in options]
        returned["properties"]["id"]["enum"] = [option.id for option in options]
        returned["properties"]["value"]["enum"] = list(dict.fromkeys(o.value for o in options))
    return sent, returned


def options_text(field) -> str:
    """The options of a select field for a description: `id` (value), ..."""
    named = ", ".join(f"{option.id} ({option.value})" for option in options_of(field))
    return f" The options: {named}." if named else " The field has no options yet."


class PreparedOptions:
    """A select field's options, read once for all the values of a write.

    Shared as is by the copies DRF makes of an input field for each item it validates.
    """

    def __init__(self, options: list[SelectOption]):
        self.options = options

    def __deepcopy__(self, memo):
        return self

    def lookups(self) -> tuple[dict[int, int], dict[str, int]]:
        """Option ids by id and by value (the first option of a value), as resolved."""
        by_id = {option.id: option.id for option in self.options}
        by_value: dict[str, int] = {}
        for option in self.options:
            by_value.setdefault(option.value, option.id)
        return by_id, by_value


def resolve_options(field, items: list[Any], prepared: PreparedOptions | None = None) -> list[int]:
    """Option ids for ids and/or values, in the given order without repeats.

    An unknown option is refused with the contract's string detail. The options are read
    unless `prepared` holds them already.
    """
    options = options_of(field) if prepared is None else prepared.options
    by_id = {option.id: option.id for option in options}
    by_value: dict[str, int] = {}
    for option in options:
        by_value.setdefault(option.value, option.id)
    ids: list[int] = []
    for item in items:
        if isinstance(item, int) and not isinstance(item, bool):
            found = by_id.get(item)
            if found is None:
                raise RequestBodyValidationError(
                    f"The provided select option id {item} is not a valid select option."
                )
        elif isinstance(item, str):
            found = by_value.get(item)
            if found is None and item.strip().isdigit():
                found = by_id.get(int(item.strip()))
            if found is None:
                raise RequestBodyValidationError(
                    f"The provided select option value '{item}' is not a valid select option."
                )
        else:
            raise serializers.ValidationError("Select options are given by id or value.")
        if found not in ids:
            ids.append(found)
    return ids


def match_texts(field, texts: list[str | None], *, many: bool) -> list[Any]:
    """Option ids for texts in conversions: the whole text, else its comma-separated parts."""
    by_value: dict[str, int] = {}
    for option in options_of(field):
        by_value.setdefault(option.value, option.id)
        by_value.setdefault(option.value.strip().lower(), option.id)
    results: list[Any] = []
    for text in texts:
        ids: list[int] = []
        if text is not None:
            whole = by_value.get(text, by_value.get(text.strip().lower()))
            parts = [text] if whole is not None else text.split(",")
            for part in parts:
                found = by_value.get(part, by_value.get(part.strip().lower()))
                if found is not None and found not in ids:
                    ids.append(found)
        if many:
            results.append(ids or None)
        else:
            results.append(ids[0] if ids else None)
    return results


def _matching_options(field, term: str) -> list[int]:
    """The ids of the field's options whose name contains `term`, case-insensitively."""
    matching = SelectOption.objects.filter(field_id=field.id, value__icontains=term)
    return list(matching.values_list("id", flat=True))


class SelectFieldType(FieldType):
    """What both select types share: the options and their lifecycle."""

    transient_options = ("select_options",)

    def option_fields(self):
        return {
            "select_options": serializers.ListField(
                child=SelectOptionInput(),
                required=False,
                allow_null=True,
                default=None,
                max_length=settings.MAX_SELECT_OPTIONS,
            )
        }

    def validate_options(self, *, field, options):
        given_ids = [item["id"] for item in options.get("select_options") or () if "id" in item]
        if given_ids:
            own = set()
            if field.id is not None:
                own = set(
                    SelectOption.objects.filter(field_id=field.id).values_list("id", flat=True)
                )
            for option_id in given_ids:
                if option_id not in own:
                    raise SelectOptionDoesNotBelongToField(
                        f"The select option {option_id} does not belong to the field."
                    )
        return options

    def response_options(self, field):
        return {"select_options": [option_json(option) for option in options_of(field)]}

    def history_shown(self, field, values):
        """The options the cell held before and after, by id, as Baserow keeps them."""
        shown = [item for value in values for item in _as_list(value)]
        return {"select_options": {str(item["id"]): item for item in shown}}

    def prepare_batch(self, field, values):
        """The options, once: every value of the write is resolved against them."""
        return PreparedOptions(list(known_options(field).values()))

    def model_built(self, fields):
        # The options of the model's select fields in one query.
        ranked = _ranked_options([field.id for field in fields])
        for field in fields:
            field.known_options = ranked[field.id]

    def before_storage(self, field, options):
        """Create, update and delete the options as listed, before any data is converted."""
        given = options.get("select_options")
        if given is not None:
            existing = {option.id: option for option in options_of(field)}
            kept: set[int] = set()
            for position, item in enumerate(given):
                option = existing.get(item.get("id")) or SelectOption(field=field)
                option.value, option.color, option.order = item["value"], item["color"], position
                option.save()
                kept.add(option.id)
            SelectOption.objects.filter(field_id=field.id).exclude(id__in=kept).delete()
        self.clean_default(field)
        return []

    def after_update(self, old_field, field, options):
        if options.get("select_options") is not None:
            self.drop_deleted_options(field)
        return []

    def after_type_change(self, old_field, field):
        if field.type not in SELECT_TYPES:
            SelectOption.objects.filter(field_id=field.id).delete()
        return []

    def clean_default(self, field) -> None:
        """Drop default option ids that are not (or no longer) options of the field."""

    def drop_deleted_options(self, field) -> None:
        """Empty the cells that hold options the field no longer has."""

    def to_texts(self, field, values):
        names = {option.id: option.value for option in options_of(field)}
        texts: list[str | None] = []
        for value in values:
            ids = value if isinstance(value, list | tuple) else [value]
            parts = [names[option_id] for option_id in ids if option_id in names]
            texts.append(", ".join(parts) if parts else None)
        return texts

    def to_text(self, field, value):
        return self.to_texts(field, [value])[0]

    def copy_cells(self, old_field, new_field, *, table_ids, field_ids, values=True):
        """Copy the options (new ids), then point the copy's default and cells at them."""
        old_options = options_of(old_field)
        new_options = SelectOption.objects.bulk_create(
            [
                SelectOption(field_id=new_field.id, value=o.value, color=o.color, order=o.order)
                for o in old_options
            ]
        )
        if any(option.id is None for option in new_options):  # no ids back from the insert
            new_options = options_of(new_field)
        option_ids = {old.id: new.id for old, new in zip(old_options, new_options, strict=True)}
        self.copy_default(old_field, new_field, option_ids)
        if values:
            self.copy_selected(old_field, new_field, option_ids)

    def copy_default(self, old_field, new_field, option_ids: dict[int, int]) -> None:
        """Give the copy the default of the original, in terms of the copied options."""

    def copy_selected(self, old_field, new_field, option_ids: dict[int, int]) -> None:
        """Make the copy's cells select the copies of the options the original's select."""


class SingleSelectInput(serializers.Field):
    def __init__(self, field, prepared: PreparedOptions | None = None, **kwargs):
        super().__init__(required=False, allow_null=True, **kwargs)
        self.select_field = field
        self.prepared = prepared

    def to_internal_value(self, data):
        return resolve_options(self.select_field, [data], self.prepared)[0]


class SingleSelectFieldType(SelectFieldType):
    type = "single_select"
    sort_types = ("default", "order")

    def history_value(self, field, value):
        return None if value is None else value["id"]

    def option_fields(self):
        return {
            **super().option_fields(),
            "single_select_default": serializers.IntegerField(allow_null=True, default=None),
        }

    def response_options(self, field):
        default = field.options.get("single_select_default")
        return {**super().response_options(field), "single_select_default": default}

    def clean_default(self, field):
        default = field.options.get("single_select_default")
        if (
            default is not None
            and not SelectOption.objects.filter(field_id=field.id, id=default).exists()
        ):
            field.options["single_select_default"] = None
            field.save(update_fields=["options"])

    def model_field(self, field, builder):
        return models.BigIntegerField(null=True, blank=True)

    def input_field(self, field):
        return SingleSelectInput(field)

    def batch_input_field(self, field, prepared):
        return SingleSelectInput(field, prepared=prepared)

    def quick_input(self, field, prepared):
        by_id, by_value = prepared.lookups()

        def check(value: Any) -> Any:
            # Null, or the id or the exact value of one of the field's options.
            if value is None:
                return None
            if type(value) is int:
                return by_id.get(value, NOT_QUICK)
            if type(value) is str:
                return by_value.get(value, NOT_QUICK)
            return NOT_QUICK

        return check

    def sort_expression(self, field, model, sort_type="default"):
        # "order": the options' order as set on the field, rather than their names.
        known = known_options(field)
        if len(known) > RANKED_SORT_MAX_OPTIONS:
            option = SelectOption.objects.filter(id=OuterRef(field.db_column), field_id=field.id)
            by = "order" if sort_type == "order" else "value"
            return Subquery(option.values(by)[:1])
        # Each option's rank, as the database ranked their values (or orders): a CASE over a
        # few options costs far less per row than looking the option up; equal values tie.
        rank = "order_rank" if sort_type == "order" else "value_rank"
        cases = [
            models.When(**{field.db_column: option_id}, then=Value(getattr(option, rank)))
            for option_id, option in known.items()
        ]
        return models.Case(*cases, default=Value(None), output_field=models.IntegerField())

    def search_q(self, field, term, model):
        # The matching options first: without any, the column needs no scanning at all.
        matching = _matching_options(field, term)
        return models.Q(**{f"{field.db_column}__in": matching}) if matching else None

    def default_value(self, field):
        return field.options.get("single_select_default")

    def output_value(self, field, row):
        option_id = getattr(row, field.db_column)
        if option_id is None:
            return None
        option = known_options(field).get(option_id)
        # None: the option was deleted under the cell.
        return None if option is None else option_json(option)

    def column_output(self, field):
        options = known_options(field)
        choices = {option_id: option_json(option) for option_id, option in options.items()}
        return ColumnOutput(field.db_column, choices=choices, default=None)

    def openapi_schema(self, field, *, for_request):
        sent, returned = option_schemas(field)
        if for_request:
            text = "The id of one option (or its value), or null." + options_text(field)
            if "enum" in sent:  # a nullable enum lists null among its values
                sent["enum"].append(None)
            return {**sent, "nullable": True, "description": text}
        return {**returned, "nullable": True, "description": "The chosen option, or null."}

    def example_value(self, field, *, for_request):
        options = options_of(field)
        if not options:
            return None
        return options[0].id if for_request else option_json(options[0])

    def from_texts(self, field, texts):
        return match_texts(field, texts, many=False)

    def from_text(self, field, text):
        return self.from_texts(field, [text])[0]

    def drop_deleted_options(self, field):
        model = table_models.build_model(field.table)
        options = SelectOption.objects.filter(field_id=field.id).values("id")
        model.objects.filter(**{f"{field.db_column}__isnull": False}).exclude(
            **{f"{field.db_column}__in": options}
        ).update(**{field.db_column: None})

    def copy_default(self, old_field, new_field, option_ids):
        default = old_field.options.get("single_select_default")
        new_field.options["single_select_default"] = option_ids.get(default)
        new_field.save(update_fields=["options"])

    def copy_selected(self, old_field, new_field, option_ids):
        quote = connection.ops.quote_name
        table, column = quote(new_field.table.db_table), quote(new_field.db_column)
        with connection.cursor() as cursor:
            for case, params, old_ids in _mapping_batches(column, option_ids):
                cursor.execute(
                    f"UPDATE {table} SET {column} = {case} WHERE {column} IN ({_marks(old_ids)})",
                    [*params, *old_ids],
                )
            # Cells naming no option of the original (one deleted under them) stay empty.
            cursor.execute(
                f"UPDATE {table} SET {column} = NULL WHERE {column} IS NOT NULL AND {column} "
                f"NOT IN (SELECT id FROM {quote(SelectOption._meta.db_table)} WHERE field_id = %s)",
                [new_field.id],
            )


def option_model(builder) -> type[models.Model]:
    """The model of SelectOption rows inside a table's registry, defined once per build."""
    existing = builder.apps.all_models[table_models.APP_LABEL].get(OPTION_MODEL.lower())
    if existing is not None:
        return existing
    attrs = {
        "value": models.CharField(max_length=255),
        "color": models.CharField(max_length=255),
        "order": models.PositiveIntegerField(default=0),
    }
    return builder.define(OPTION_MODEL, SelectOption._meta.db_table, attrs)


class MultipleSelectInput(serializers.Field):
    def __init__(self, field, prepared: PreparedOptions | None = None, **kwargs):
        super().__init__(required=False, allow_null=True, **kwargs)
        self.select_field = field
        self.prepared = prepared

    def to_internal_value(self, data):
        if data is None:
            return []
        if isinstance(data, str):
            data = [part.strip() for part in data.split(",") if part.strip()]
        if not isinstance(data, list):
            raise serializers.ValidationError("Expected a list of option ids or values.")
        return resolve_options(self.select_field, data, self.prepared)


class MultipleSelectFieldType(SelectFieldType):
    type = "multiple_select"
    has_column = False

    def history_value(self, field, value):
        return [item["id"] for item in value or ()]

    def option_fields(self):
        return {
            **super().option_fields(),
            "multiple_select_default": serializers.ListField(
                child=serializers.IntegerField(), allow_null=True, default=list
            ),
        }

    def response_options(self, field):
        default = field.options.get("multiple_select_default") or []
        return {**super().response_options(field), "multiple_select_default": default}

    def clean_default(self, field):
        default = field.options.get("multiple_select_default") or []
        own = set(SelectOption.objects.filter(field_id=field.id).values_list("id", flat=True))
        cleaned = [option_id for option_id in default if option_id in own]
        if cleaned != field.options.get("multiple_select_default"):
            field.options["multiple_select_default"] = cleaned
            field.save(update_fields=["options"])

    def model_field(self, field, builder):
        options = option_model(builder)
        through = builder.define(
            f"MultipleSelect{field.id}",
            f"database_multipleselect_{field.id}",
            {
                "row": models.ForeignKey(
                    table_models.model_reference(field.table_id),
                    on_delete=models.CASCADE,
                    db_constraint=False,
                    related_name=_selected(field),
                ),
                "option": models.ForeignKey(
                    options, on_delete=models.CASCADE, db_constraint=False, related_name="+"
                ),
            },
        )
        return models.ManyToManyField(
            options,
            through=through,
            through_fields=("row", "option"),
            related_name="+",
            blank=True,
        )

    def prefetch(self, queryset, field):
        through = _through(queryset.model, field)
        if through is None:  # a partial model, e.g. that of a linked table
            return queryset
        return queryset.prefetch_related(
            Prefetch(_selected(field), queryset=_in_option_order(through), to_attr=_cache(field))
        )

    def input_field(self, field):
        return MultipleSelectInput(field)

    def batch_input_field(self, field, prepared):
        return MultipleSelectInput(field, prepared=prepared)

    def quick_input(self, field, prepared):
        by_id, by_value = prepared.lookups()

        def check(value: Any) -> Any:
            # Null, or option ids and/or exact values: a list, or a text of comma-separated
            # values (each stripped).
            if value is None:
                return None
            if type(value) is str:
                value = [part.strip() for part in value.split(",") if part.strip()]
            elif type(value) is not list:
                return NOT_QUICK
            ids: list[int] = []
            for item in value:
                kind = type(item)
                found = (
                    by_id.get(item) if kind is int else by_value.get(item) if kind is str else None
                )
                if found is None:
                    return NOT_QUICK
                if found not in ids:
                    ids.append(found)
            return ids

        return check

    def sort_expression(self, field, model, sort_type="default"):
        """The chosen options' values joined by commas in the order they were chosen.

        As Baserow sorts them: it joins the values as its (row, option) pairs come, which is
        the order they were stored in (not the options' order the cell shows). NULL for none.
        """
        through = _through(model, field)
        if through is None:
            return None
        chosen = through.objects.filter(row=OuterRef("pk"))
        return JoinedText(chosen, value=F("option__value"), order=[F("id")], separator=",")

    def search_q(self, field, term, model):
        through = _through(model, field)
        if through is None:
            return None
        matching = _matching_options(field, term)
        if not matching:
            return None
        chosen = through.objects.filter(row=OuterRef("pk"), option_id__in=matching)
        return models.Q(Exists(chosen))

    def default_value(self, field):
        return list(field.options.get("multiple_select_default") or [])

    def set_relations(self, row, field, value):
        through = _through(type(row), field)
        through.objects.filter(row_id=row.id).delete()
        through.objects.bulk_create(
            [through(row_id=row.id, option_id=option_id) for option_id in value or ()]
        )

    def output_value(self, field, row):
        selected = getattr(row, _cache(field), None)
        if selected is None:  # a row read without `prefetch`
            through = _through(type(row), field)
            if through is None:  # a partial model, e.g. that of a linked table
                return []
            selected = _in_option_order(through).filter(row_id=row.id)
        return [option_json(link.option) for link in selected]

    def openapi_schema(self, field, *, for_request):
        sent, returned = option_schemas(field)
        if for_request:
            text = "The ids (or values) of the chosen options." + options_text(field)
            return {"type": "array", "items": sent, "nullable": True, "description": text}
        return {"type": "array", "items": returned, "description": "The chosen options."}

    def example_value(self, field, *, for_request):
        options = options_of(field)[:1]
        return [option.id if for_request else option_json(option) for option in options]

    def from_texts(self, field, texts):
        return match_texts(field, texts, many=True)

    def from_text(self, field, text):
        return self.from_texts(field, [text])[0]

    def drop_deleted_options(self, field):
        through = _through(table_models.build_model(field.table), field)
        options = SelectOption.objects.filter(field_id=field.id).values("id")
        through.objects.exclude(option_id__in=options).delete()

    def copy_default(self, old_field, new_field, option_ids):
        default = old_field.options.get("multiple_select_default") or []
        copied = [option_ids[option_id] for option_id in default if option_id in option_ids]
        new_field.options["multiple_select_default"] = copied
        new_field.save(update_fields=["options"])

    def copy_selected(self, old_field, new_field, option_ids):
        """One INSERT ... SELECT per batch of options: the pairs of the copied rows."""
        old = _through(table_models.get_model(old_field.table), old_field)
        new = _through(table_models.get_model(new_field.table), new_field)
        if old is None or new is None:
            return
        quote = connection.ops.quote_name
        row, option = (old._meta.get_field(name).column for name in ("row", "option"))
        new_row, new_option = (new._meta.get_field(name).column for name in ("row", "option"))
        copied_rows = quote(new_field.table.db_table)
        with connection.cursor() as cursor:
            for case, params, old_ids in _mapping_batches(f"m.{quote(option)}", option_ids):
                cursor.execute(
                    f"INSERT INTO {quote(new._meta.db_table)} ({quote(new_row)}, "
                    f"{quote(new_option)}) SELECT m.{quote(row)}, {case} "
                    f"FROM {quote(old._meta.db_table)} m "
                    f"JOIN {copied_rows} r ON r.id = m.{quote(row)} "
                    f"WHERE m.{quote(option)} IN ({_marks(old_ids)}) ORDER BY m.id",
                    [*params, *old_ids],
                )


def _mapping_batches(column: str, mapping: dict[int, int]):
    """`CASE <column> WHEN old THEN new ... END`, its parameters and its old ids, per batch.

    Batches keep every statement under SQLite's limit of 999 parameters.
    """
    items = list(mapping.items())
    for start in range(0, len(items), MAPPING_BATCH):
        batch = items[start : start + MAPPING_BATCH]
        whens = " ".join("WHEN %s THEN %s" for _ in batch)
        params = [value for pair in batch for value in pair]
        yield f"CASE {column} {whens} END", params, [old for old, _ in batch]


def _marks(values) -> str:
    return ", ".join("%s" for _ in values)


def _through(model, field) -> Any:
    """The relation model of a multiple_select field in a table model, or None."""
    try:
        return model._meta.get_field(field.db_column).remote_field.through
    except FieldDoesNotExist:
        return None


def _in_option_order(through) -> models.QuerySet:
    return through.objects.select_related("option").order_by("option__order", "option__id")


def _selected(field) -> str:
    """The name under which a row reaches its (row, option) pairs."""
    return f"{field.db_column}_selected"


def _cache(field) -> str:
    return f"{field.db_column}_options"


FIELD_TYPES = [SingleSelectFieldType(), MultipleSelectFieldType()]
