"""CSV cells a spreadsheet would run as formulas (CSV injection), and the way back.

A cell that starts like a formula (`= + - @ | %`, after any apostrophes) and is not a plain
number is written after one more apostrophe, which spreadsheets show as text; an import of a
CSV file takes that one apostrophe off again, so an export imported back gives the same cells.
"""

import re

_MAY_START = frozenset("=+-@|%'")
_FORMULA_LIKE = re.compile(r"'*[=+\-@|%]")
_DEFUSED = re.compile(r"'+[=+\-@|%]")
_PLAIN_NUMBER = re.compile(r"-?[0-9,.]+")


def defused(text: str) -> str:
    """The text as a CSV cell no spreadsheet runs."""
    if (
        text
        and text[0] in _MAY_START
        and _FORMULA_LIKE.match(text)
        and not _PLAIN_NUMBER.fullmatch(text)
    ):
        return "'" + text
    return text


def undefused(text: str) -> str:
    """A CSV cell's text as it was before `defused`."""
    if text[:1] == "'" and _DEFUSED.match(text):
        return text[1:]
    return text
