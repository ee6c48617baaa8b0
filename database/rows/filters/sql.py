"""The few SQL spellings that differ between PostgreSQL and SQLite."""

import re

from django.db import connection, models
from django.db.models import Func, Value
from django.db.models.functions import Cast


def word_regex(word: str) -> str:
    """A regex (for `iregex`) matching `word` as a whole word."""
    # Not \b or \m: words may start or end with punctuation ("50%"). PostgreSQL's regexes and
    # Python's re (which Django runs as SQLite's REGEXP) read this pattern alike.
    return rf"(^|\W){re.escape(word)}(\W|$)"


def decimal_text(expression, places: int):
    """A decimal shown with exactly `places` decimals, as the number field shows it."""
    if connection.vendor == "postgresql":
        # A numeric(p, places) column keeps its scale when cast to text.
        return Cast(expression, models.TextField())
    # SQLite keeps decimals as floats: format them.
    return Func(
        Value(f"%.{places}f"), expression, function="printf", output_field=models.TextField()
    )


def integer_text(expression):
    return Cast(expression, models.TextField())
