"""Page/size pagination of the contract (00-conventions.md): page past the end is not an error."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 100
MAX_PAGE = 2**31 - 1


class PageSizeLimit(Exception):
    """`size` is above the endpoint's limit."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"The page size is limited to {limit}.")


def _positive_int(text: str | None) -> int | None:
    try:
        number = int(text) if text is not None else None
    except ValueError:
        return None
    return number if number is not None and number >= 1 else None


@dataclass(frozen=True)
class Page:
    number: int
    size: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def page_from_query(request: Request, *, max_size: int) -> Page:
    """`page` (non-numeric or < 1 reads as 1) and `size` (default 100, above max: PageSizeLimit)."""
    # Capped so that the offset stays a valid SQL bigint; such pages are empty anyway.
    number = min(_positive_int(request.query_params.get("page")) or 1, MAX_PAGE)
    size = _positive_int(request.query_params.get("size")) or DEFAULT_PAGE_SIZE
    if size > max_size:
        raise PageSizeLimit(max_size)
    return Page(number=number, size=size)


def paginate(
    request: Request,
    queryset: QuerySet,
    page: Page,
    *,
    with_count: bool = True,
    counter: Callable[[], int] | None = None,
) -> tuple[list[Any], dict[str, Any]]:
    """The page's objects and the envelope keys beside `results` (none without count).

    `counter` counts instead of `queryset.count()` (e.g. a maintained or cached total).
    """
    objects = list(queryset[page.offset : page.offset + page.size])
    if not with_count:
        return objects, {}
    count = counter() if counter is not None else queryset.count()
    url = request.build_absolute_uri()
    has_next = page.offset + page.size < count
    has_previous = page.number > 1 and count > 0
    previous_number = min(page.number - 1, max(1, -(-count // page.size)))
    return objects, {
        "count": count,
        "next": replace_query_param(url, "page", page.number + 1) if has_next else None,
        "previous": replace_query_param(url, "page", previous_number) if has_previous else None,
    }
