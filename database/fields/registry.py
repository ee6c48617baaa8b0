"""Field types: how each kind of field is stored, validated, serialized and converted."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django.db import models
from rest_framework import serializers

from database.registry import Registry

if TYPE_CHECKING:
    from database.fields.models import Field
    from database.table_models import ModelBuilder


# What a `quick_input` check gives for a value it leaves to the type's input field.
NOT_QUICK = object()

# The characters of a number's text in SQL (`-12.50`), for `search_characters`.
NUMBER_CHARACTERS = frozenset("0123456789.-")


@dataclass(frozen=True)
class SqlConversion:
    """An SQL expression converting the old column, exact only for the rows `exact_for` selects
    (the others go through text in Python)."""

    expression: Any
    exact_for: models.Q


@dataclass(frozen=True)
class ColumnOutput:
    """How a cell's `output_value` follows from one column of its row alone, for reads of many
    rows as plain values (exports) rather than as model instances."""

    column: str
    # The cell from the column's value (as a values query reads it); None: that value as is.
    convert: Callable[[Any], Any] | None = None
    # For columns of few values: the cell of each, and the cell of any other (`convert` unused).
    choices: dict[Any, Any] | None = None
    default: Any = None
    # Whether every cell is a string or None.
    text: bool = False


class FieldType:
    """One kind of field. Subclasses are small; a new type is a class plus a register line."""

    type: ClassVar[str]
    # Computed types: rows never set them and conversion recomputes them.
    read_only: ClassVar[bool] = False
    can_be_primary: ClassVar[bool] = True
    # Whether the type keeps its values in the column `field_<id>` (link_row uses a relation
    # table, created_on reads the row's own timestamp).
    has_column: ClassVar[bool] = True
    # Whether `db_index` may be set: an index on the column then serves sorts and filters.
    can_have_db_index: ClassVar[bool] = False
    # Whether search matches the column's own text (`icontains`): then, on PostgreSQL, the
    # field's `db_index` adds a trigram index that serves the search's substring match.
    trigram_searchable: ClassVar[bool] = False
    # The ways rows can be sorted by the field; "default" sorts by the cell's value.
    sort_types: ClassVar[tuple[str, ...]] = ("default",)
    # The characters the column's text can hold, when that is a small set (numbers, dates): a
    # search term with any other character cannot match it, and the column is not scanned.
    search_characters: ClassVar[frozenset[str] | None] = None
    # Whether the cells read rows of other tables (links, lookups): then the table's own
    # writes do not cover every change of what its rows filter on (see database/rows/counts.py).
    reads_other_tables: ClassVar[bool] = False
    # Properties accepted on create/update that are not kept in `Field.options`
    # (e.g. `select_options`, kept as SelectOption rows by the type's hooks).
    transient_options: ClassVar[tuple[str, ...]] = ()

    # Properties

    def option_fields(self) -> dict[str, serializers.Field]:
        """Type-specific properties: name -> DRF field carrying its default. Fresh per call."""
        return {}

    def validate_options(self, *, field: "Field", options: dict[str, Any]) -> dict[str, Any]:
        """Checks across properties or against other objects; may raise domain errors.

        `field` is the field being created (unsaved, without id) or updated (with its table).
        """
        return options

    def response_options(self, field: "Field") -> dict[str, Any]:
        """The type-specific keys of the field object on the wire."""
        defaults = {name: f.get_default() for name, f in self.option_fields().items()}
        return {name: field.options.get(name, default) for name, default in defaults.items()}

    # Storage

    def model_field(self, field: "Field", builder: "ModelBuilder") -> models.Field | None:
        """The Django field for `field_<id>` (always nullable: defaults are applied on insert)."""
        raise NotImplementedError

    def prefetch(self, queryset: models.QuerySet, field: "Field") -> models.QuerySet:
        """Prefetch or annotate what `output_value` reads, in a constant number of queries."""
        return queryset

    def row_columns(self, field: "Field") -> tuple[str, ...]:
        """The row's own columns `output_value` reads (`created_on`, `updated_on`): the rows
        queries read those only for the fields that ask for them."""
        return ()

    def model_built(self, fields: list["Field"]) -> None:
        """Once per table model built, with its fields of this type: a place to keep on them
        what does not change without a schema change (a change gives a new model and fields).
        """

    # Cell values

    def input_field(self, field: "Field") -> serializers.Field:
        """Validates a cell value sent by a client; its output is passed to `to_db`."""
        raise NotImplementedError

    def prepare_batch(self, field: "Field", values: list[Any]) -> Any:
        """What validating these raw cell values needs, looked up once for a whole batch.

        Called once per field and write (one row or a batch), before any value is validated,
        with the raw values the items give the field (possibly malformed: it must not raise).
        The result is handed to `batch_input_field`; the default type needs nothing.
        """
        return None

    def batch_input_field(self, field: "Field", prepared: Any) -> serializers.Field:
        """`input_field` validating with what `prepare_batch` looked up, without queries."""
        return self.input_field(field)

    def quick_input(self, field: "Field", prepared: Any) -> Callable[[Any], Any] | None:
        """A fast check of the common well-formed values of a cell, for large writes.

        The callable gives the value exactly as the input field validates it, or `NOT_QUICK`
        to leave the value, and the wording of any error, to the input field (the result for
        any value must not differ). `prepared` is what `prepare_batch` gave. None: every value
        goes through the input field.
        """
        return None

    def to_db(self, field: "Field", value: Any) -> Any:
        """The validated input as stored in the column."""
        return value

    def default_value(self, field: "Field") -> Any:
        """What a new row stores when the client leaves the field out."""
        return None

    def fill_new_rows(
        self, field: "Field", model: type[models.Model], rows: list[dict[str, Any]]
    ) -> None:
        """Set the values this type computes itself on rows about to be inserted.

        Each row is a dict of its columns' values (`field_<id>` -> value as stored).
        Called for every field of the table, read-only ones included, after the client's values
        and the defaults are set, inside the insert's transaction and under the table's row lock.
        """

    def set_relations(self, row: models.Model, field: "Field", value: Any) -> None:
        """For types stored outside the row (many-to-many), write them after the row is saved."""

    def output_value(self, field: "Field", row: models.Model) -> Any:
        """The cell value of `row` in the contract's JSON form."""
        return getattr(row, field.db_column)

    def column_output(self, field: "Field") -> ColumnOutput | None:
        """`output_value` from one column's value, made once for many rows; the same cell for
        every value. None when the cell needs more than the column (related rows, annotations)."""
        return None

    # Row history: a changed cell as Baserow records it (06 `history`).

    # The type's properties kept beside a changed cell, as Baserow does: how to show its value.
    history_options: ClassVar[tuple[str, ...]] = ()

    def history_value(self, field: "Field", value: Any) -> Any:
        """A cell's contract value as row history keeps it; related objects go by id."""
        return value

    def history_metadata(self, field: "Field") -> dict[str, Any]:
        """What the `fields_metadata` of the field's changed cells hold whatever their values."""
        options = self.response_options(field) if self.history_options else {}
        kept = {name: options.get(name) for name in self.history_options}
        return {"id": field.id, "type": self.type, **kept}

    def history_shown(self, field: "Field", values: list[Any]) -> dict[str, Any]:
        """What else showing these cell values (before and after) needs, e.g. option names."""
        return {}

    # Sorting and search of rows

    def sort_expression(
        self, field: "Field", model: type[models.Model], sort_type: str = "default"
    ) -> Any:
        """The SQL expression rows are sorted by for this field, or None when it is unsortable.

        `sort_type` is one of `sort_types` (the `[order]` of `order_by=field_5[order]`).
        """
        return models.F(field.db_column) if self.has_column else None

    def sorted_by(
        self, field: "Field", model: type[models.Model], sort_type: str = "default"
    ) -> Any:
        """`sort_expression` for a sort type of this type's `sort_types`, else None (as for
        an unsortable field): what order_by, view sorts and group-bys sort by."""
        if sort_type not in self.sort_types:
            return None
        return self.sort_expression(field, model, sort_type)

    def search_q(self, field: "Field", term: str, model: type[models.Model]) -> models.Q | None:
        """Rows whose cell contains `term` (case-insensitive), in SQL; None: not searchable."""
        if not self.has_column:
            return None
        if self.search_characters is not None and not set(term) <= self.search_characters:
            return None
        return models.Q(**{f"{field.db_column}__icontains": term})

    # API documentation: the generated per-database docs and OpenAPI document read these.

    def openapi_schema(self, field: "Field", *, for_request: bool) -> dict[str, Any]:
        """The OpenAPI 3.0 schema of a cell as clients send it (`for_request`) or receive it.

        Its `description` says in a sentence what the cell accepts or holds.
        """
        return {"type": "string", "nullable": True, "description": "Any text."}

    def example_value(self, field: "Field", *, for_request: bool) -> Any:
        """A cell value for the docs' examples; with `for_request`, one the API accepts."""
        return "string"

    # Conversion between types

    def to_text(self, field: "Field", value: Any) -> str | None:
        """A stored value as plain text, the common ground of conversions."""
        return None if value is None else str(value)

    def from_text(self, field: "Field", text: str | None) -> Any:
        """A stored value parsed leniently from text; None when it cannot be parsed."""
        return text

    def to_texts(self, field: "Field", values: list[Any]) -> list[str | None]:
        """`to_text` over a batch; override to look things up once per batch."""
        return [self.to_text(field, value) for value in values]

    def from_texts(self, field: "Field", texts: list[str | None]) -> list[Any]:
        """`from_text` over a batch; override to look things up once per batch."""
        return [self.from_text(field, text) for text in texts]

    def sql_text(self, field: "Field") -> Any:
        """An SQL expression giving exactly `to_text` of the field's column, or None."""
        return None

    def sql_conversion(self, old_field: "Field", new_field: "Field") -> Any:
        """An SQL expression computing this type's value from the old column (for every row),
        a SqlConversion (for some rows), or None (every row goes through text in Python)."""
        return None

    # Lifecycle: create runs before_storage, the DDL, then after_create. A type change runs the
    # new type's before_storage, the data conversion, the old type's after_type_change, then the
    # new type's after_create. Each returns the other fields it changed.

    def before_storage(self, field: "Field", options: dict[str, Any]) -> list["Field"]:
        """Work after the field row is saved but before its storage is made or converted."""
        return []

    def after_type_change(self, old_field: "Field", field: "Field") -> list["Field"]:
        """Clean up what this (old) type kept once a field became another type."""
        return []

    def after_create(self, field: "Field", options: dict[str, Any]) -> list["Field"]:
        """Work after the field and its column exist; returns other fields changed by it."""
        return []

    def after_update(
        self, old_field: "Field", field: "Field", options: dict[str, Any]
    ) -> list["Field"]:
        """Work after the field's properties changed; returns other fields changed by it."""
        return []

    def trash_companions(self, field: "Field", *, trashed: bool = False) -> list["Field"]:
        """Other fields that go to the trash and come back with this one (`trashed`: in it)."""
        return []

    def dependents(self, field: "Field") -> list["Field"]:
        """The fields of the table computed from this one, which change when it goes or comes."""
        return []

    # Duplication: tables are copied field by field (each field after the fields it names),
    # then their live rows with their ids in one INSERT ... SELECT of the row columns, then what
    # each field keeps outside its row column. `table_ids` and `field_ids` map the copied
    # tables and fields (so far) to their copies.

    def copy_dependencies(self, field: "Field") -> list[int]:
        """The ids of the fields whose copies must exist before this field's copy is made."""
        return []

    def copy_options(
        self, field: "Field", *, table_ids: dict[int, int], field_ids: dict[int, int]
    ) -> dict[str, Any]:
        """The options creating the field's copy, naming the copies of copied tables/fields."""
        return dict(field.options)

    def copy_cells(
        self,
        old_field: "Field",
        new_field: "Field",
        *,
        table_ids: dict[int, int],
        field_ids: dict[int, int],
        values: bool = True,
    ) -> None:
        """Copy, in SQL, what the field keeps outside the row column: what defines it (select
        options) and, with `values`, the cells' values kept there (relation tables).

        Runs in the copy's transaction once every copied row exists (same ids as the
        originals; trashed rows are not copied), before anyone else sees the copies. A field
        duplicated within its table is copied the same way, its rows being the table's own.
        """


field_types: Registry[FieldType] = Registry("field")
