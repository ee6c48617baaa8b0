"""Whether a form asks a field: its conditions on the other answers (evaluated in Python)."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from database.views.models import FormViewFieldOptions

TRUE_TEXTS = {"1", "true", "t", "y", "yes", "on", "checked"}


def _empty(answer: Any) -> bool:
    return answer in (None, "", [], {}, False)


def _text(answer: Any) -> str:
    if isinstance(answer, list):
        return " ".join(_text(item) for item in answer)
    if isinstance(answer, dict):
        return str(answer.get("value", answer.get("id", "")))
    return "" if answer is None else str(answer)


def _number(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def _compare(answer: Any, value: str, test: Callable[[Decimal, Decimal], bool]) -> bool:
    left, right = _number(answer), _number(value)
    return left is not None and right is not None and test(left, right)


def _ids(answer: Any) -> set[str]:
    items = answer if isinstance(answer, list) else [answer]
    return {_text(item) for item in items if item not in (None, "")}


# Condition type -> test of (answer, condition value). A blank value matches, as a blank
# filter does in Baserow; a type not listed here counts as met, so the field stays asked.
TESTS: dict[str, Callable[[Any, str], bool]] = {
    "empty": lambda answer, value: _empty(answer),
    "not_empty": lambda answer, value: not _empty(answer),
    "equal": lambda answer, value: _text(answer) == value,
    "not_equal": lambda answer, value: _text(answer) != value,
    "contains": lambda answer, value: value.lower() in _text(answer).lower(),
    "not_contains": lambda answer, value: value.lower() not in _text(answer).lower(),
    "boolean": lambda answer, value: (
        (_text(answer).lower() in TRUE_TEXTS) == (value.lower() in TRUE_TEXTS)
    ),
    "higher_than": lambda answer, value: _compare(answer, value, lambda a, b: a > b),
    "lower_than": lambda answer, value: _compare(answer, value, lambda a, b: a < b),
    "single_select_equal": lambda answer, value: value in _ids(answer),
    "single_select_not_equal": lambda answer, value: value not in _ids(answer),
    "link_row_has": lambda answer, value: value in _ids(answer),
    "link_row_has_not": lambda answer, value: value not in _ids(answer),
}
BLANK_IS_MET = set(TESTS) - {"empty", "not_empty", "boolean"}


def _met(condition: dict[str, Any], answers: dict[str, Any]) -> bool:
    test = TESTS.get(condition["type"])
    value = condition.get("value", "")
    if test is None or (value == "" and condition["type"] in BLANK_IS_MET):
        return True
    return test(answers.get(f"field_{condition['field']}"), value)


def _combine(results: list[bool], filter_type: str) -> bool:
    if not results:
        return True
    return all(results) if filter_type == "AND" else any(results)


def is_asked(options: FormViewFieldOptions, answers: dict[str, Any]) -> bool:
    """Whether the form asks the field, given the answers to the others."""
    if not options.show_when_matching_conditions:
        return True
    groups = options.condition_groups or []

    def group_met(group_id: int | None, filter_type: str) -> bool:
        results = [
            _met(condition, answers)
            for condition in options.conditions or []
            if condition.get("group") == group_id
        ]
        results += [
            group_met(group["id"], group["filter_type"])
            for group in groups
            if group.get("parent_group") == group_id
        ]
        return _combine(results, filter_type)

    return group_met(None, options.condition_type)
