"""A registry of pluggable types, keyed by their `type` name."""

from collections.abc import Iterator
from typing import Generic, Protocol, TypeVar


class UnknownType(Exception):
    """No type of this kind is registered under this name."""

    def __init__(self, kind: str, type_name: str) -> None:
        super().__init__(f"The {kind} type {type_name} does not exist.")
        self.kind, self.type_name = kind, type_name


class Typed(Protocol):
    type: str


T = TypeVar("T", bound=Typed)


class Registry(Generic[T]):
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}

    def register(self, item: T) -> None:
        if item.type in self._items:
            raise ValueError(f"{self.kind} type {item.type!r} is already registered")
        self._items[item.type] = item

    def get(self, type_name: str) -> T:
        try:
            return self._items[type_name]
        except KeyError:
            raise UnknownType(self.kind, type_name) from None

    def names(self) -> list[str]:
        return list(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items.values())

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._items
