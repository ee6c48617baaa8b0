"""Sort keys of cells holding several values (links, lookups, multiple selects).

Every sort key must be one scalar that both engines compare with =, < and > (the keyset seek of
`rows.selectors.row_adjacent` does), so values are joined into one text rather than sorted as
arrays.
"""

from django.db import models
from django.db.models.functions import Coalesce

# Joins the values of a cell whose order should follow the values' own, element by element: it
# sorts below any character the values hold, so under a binary collation ("a" < "a b" < "b")
# the joined texts compare as the lists of values would.
ELEMENT_SEPARATOR = "\x01"


class JoinedText(models.Subquery):
    """The texts one subquery selects for a row, joined in the given order; NULL when none.

    `queryset` is filtered on `OuterRef`s; `value` gives one text per selected row and
    `order` the expressions they are joined in the order of.
    """

    output_field = models.TextField()

    def __init__(self, queryset, *, value, order, separator: str):
        keys = {f"join_key_{position}": key for position, key in enumerate(order)}
        text = Coalesce(value, models.Value(""), output_field=models.TextField())
        selected = queryset.order_by().values(join_value=text, **keys)
        super().__init__(selected, output_field=models.TextField())
        self.keys = list(keys)
        self.separator = separator

    def as_sql(self, compiler, connection, template=None, **extra_context):
        keys = ", ".join(f"joined.{connection.ops.quote_name(key)}" for key in self.keys)
        value = f"joined.{connection.ops.quote_name('join_value')}"
        if connection.vendor == "postgresql":
            template = (
                f"(SELECT STRING_AGG({value}, %%s ORDER BY {keys}) FROM (%(subquery)s) joined)"
            )
        else:
            # SQLite (before 3.44) has no ordered aggregates; it joins the rows of an ordered
            # subquery in their order, which an aggregate over it does not flatten away.
            template = (
                f"(SELECT GROUP_CONCAT({value}, %%s) FROM "
                f"(SELECT * FROM (%(subquery)s) joined ORDER BY {keys}) joined)"
            )
        sql, params = super().as_sql(compiler, connection, template=template, **extra_context)
        return sql, (self.separator, *params)
