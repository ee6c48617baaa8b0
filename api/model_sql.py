"""Model instances read with hand-written SQL, for the lookups (nearly) every request makes.

The ORM compiles a query each time it runs one, and for a lookup by primary key that costs more
than the database takes to answer: about 0.4 ms for the user of a JWT, over 1 ms for a table
with its database, its workspace and the membership test, on every row request. These few
reads write their SQL by hand instead, with the column lists taken from the models' metadata,
and build instances as the ORM does (each column through its database converters, then
`Model.from_db`), so they stay in step with the models.
"""

from collections.abc import Callable, Collection, Iterable, Sequence
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import signals
from django.db.models.base import ModelState

# The range of the integer primary keys: the ORM answers "no such row" past it (Django 5), a
# driver may refuse the value (SQLite's raises OverflowError).
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


def is_key(value: Any) -> bool:
    """Whether `value` is an integer a primary key column can hold."""
    return isinstance(value, int) and BIGINT_MIN <= value <= BIGINT_MAX


class ModelColumns:
    """A model's concrete columns: the SQL that selects them, and instances from their values."""

    def __init__(self, model: type[models.Model], using: str) -> None:
        self.model = model
        self.using = using
        connection = connections[using]
        fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in fields]
        self.names = [connection.ops.quote_name(field.column) for field in fields]
        # What the ORM's compiler applies to each column it reads (SQLite's dates and
        # booleans, JSON, ...): the backend's converters, then the field's own.
        self.converters: list[tuple[int, list[Callable], Any]] = []
        for position, field in enumerate(fields):
            column = field.get_col(model._meta.db_table)
            found = connection.ops.get_db_converters(column) + field.get_db_converters(connection)
            if found:
                self.converters.append((position, found, column))

    def __len__(self) -> int:
        return len(self.names)

    def select(self, alias: str) -> str:
        """`alias."col", …` for a SELECT list."""
        return ", ".join(f"{alias}.{name}" for name in self.names)

    def instance(self, row: Sequence[Any], start: int = 0) -> models.Model:
        """The instance whose columns are `row[start:start + len(self)]`."""
        values = list(row[start : start + len(self.names)])
        self._convert(values, self.converters, connections[self.using])
        return self.model.from_db(self.using, self.attnames, values)

    def names_except(self, attnames: Collection[str]) -> list[str]:
        """The quoted columns, but those of the fields `attnames`."""
        return [
            name
            for name, attname in zip(self.names, self.attnames, strict=True)
            if attname not in attnames
        ]

    def instances(self, rows: Iterable[Sequence[Any]], given: dict[str, Any]) -> list[models.Model]:
        """Instances of rows holding the columns `names_except(given)`, in that order; the
        fields in `given` (attname -> value) take that value, the same in every instance."""
        read = [i for i, attname in enumerate(self.attnames) if attname not in given]
        constant = [(i, given[a]) for i, a in enumerate(self.attnames) if a in given]
        converters = [entry for entry in self.converters if self.attnames[entry[0]] not in given]
        build = self._builder()
        connection = connections[self.using]  # not per row: the lookup is thread-local
        instances = []
        for row in rows:
            values: list[Any] = [None] * len(self.attnames)
            for position, value in zip(read, row, strict=True):
                values[position] = value
            for position, value in constant:
                values[position] = value
            if converters:
                self._convert(values, converters, connection)
            instances.append(build(values))
        return instances

    def _builder(self) -> Callable[[list[Any]], models.Model]:
        """What makes an instance of every column's value, as `Model.from_db` does.

        Without receivers of the model's init signals, the instance gets its values straight
        into its `__dict__`, where `Model.__init__` would put them one `setattr` at a time (a
        good part of making 200 rows' instances).
        """
        model, using, attnames = self.model, self.using, self.attnames
        if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
            return partial(model.from_db, using, attnames)

        def build(values: list[Any]) -> models.Model:
            instance = model.__new__(model)
            instance.__dict__.update(zip(attnames, values, strict=True))
            state = instance._state = ModelState()
            state.adding, state.db = False, using
            return instance

        return build

    @staticmethod
    def _convert(values: list[Any], converters: list[tuple], connection: Any) -> None:
        """Each value at a converter's position through its converters, in place."""
        for position, found, column in converters:
            value = values[position]
            for converter in found:
                value = converter(value, column, connection)
            values[position] = value


def model_columns(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> ModelColumns:
    """The model's `ModelColumns`, made once per model and database.

    Kept on the model class itself, so that the ones of the tables' dynamic models go with
    their models.
    """
    by_database = model.__dict__.get("_model_columns")
    if by_database is None:
        by_database = {}
        model._model_columns = by_database
    found = by_database.get(using)
    if found is None:
        found = by_database[using] = ModelColumns(model, using)
    return found


def fetch_one(sql: str, params: Sequence[Any], using: str = DEFAULT_DB_ALIAS) -> tuple | None:
    """The first row `sql` gives, or None."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def fetch_all(sql: str, params: Sequence[Any], using: str = DEFAULT_DB_ALIAS) -> list[tuple]:
    """Every row `sql` gives."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def column(model: type[models.Model], name: str, using: str = DEFAULT_DB_ALIAS) -> str:
    """The quoted column of the model's field `name`."""
    return connections[using].ops.quote_name(model._meta.get_field(name).column)


def table_name(model: type[models.Model], using: str = DEFAULT_DB_ALIAS) -> str:
    return connections[using].ops.quote_name(model._meta.db_table)
