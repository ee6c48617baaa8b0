"""Announce an event after the transaction commits; subscribers receive it then, in order."""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from events.catalogue import EVENT_TYPES, Audience
from events.context import request_context

logger = logging.getLogger(__name__)

Subscriber = Callable[["Event"], None]
PayloadBuilder = Callable[["Event"], dict[str, Any]]

_subscribers: list[Subscriber] = []
_payload_builders: dict[str, PayloadBuilder] = {}


@dataclass
class Event:
    """One committed change: its type, where it happened, who caused it, and its wire payload.

    `subjects` holds what the payload is built from (model instances as committed, ids, rows
    already serialized where the state before the change is needed); `payload` is built from
    them once, on first use, by the builder registered for the type.
    """

    type: str
    subjects: dict[str, Any]
    workspace_id: int | None = None
    table_id: int | None = None
    user_id: int | None = None
    recipients: tuple[int, ...] = ()  # user ids (see Audience)
    websocket_id: str | None = None
    client_session_id: str | None = None
    _payload: dict[str, Any] | None = field(default=None, repr=False)
    _payload_json: str | None = field(default=None, repr=False)

    @property
    def audience(self) -> Audience:
        return EVENT_TYPES[self.type]

    @property
    def payload(self) -> dict[str, Any]:
        """The message of 09-other.md, `type` first."""
        if self._payload is None:
            self._payload = {"type": self.type, **_payload_builders[self.type](self)}
        return self._payload

    @property
    def payload_json(self) -> str:
        """The payload encoded as JSON, once for every subscriber that sends it on."""
        if self._payload_json is None:
            self._payload_json = json.dumps(self.payload)
        return self._payload_json


def subscribe(subscriber: Subscriber) -> None:
    """Call `subscriber(event)` for every committed event (registered once, at app start)."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def register_payload(event_type: str, builder: PayloadBuilder) -> None:
    """Say how the wire payload of `event_type` is built from an event's subjects."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    _payload_builders[event_type] = builder


def announce(
    event_type: str,
    *,
    workspace_id: int | None = None,
    table_id: int | None = None,
    user: Any = None,
    recipients: tuple[int, ...] | list[int] = (),
    **subjects: Any,
) -> Event:
    """Deliver an event once the current transaction commits; never if it rolls back."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}")
    context = request_context()
    event = Event(
        type=event_type,
        subjects=subjects,
        workspace_id=workspace_id,
        table_id=table_id,
        user_id=getattr(user, "id", None),
        recipients=tuple(recipients),
        websocket_id=context.websocket_id,
        client_session_id=context.client_session_id,
    )
    transaction.on_commit(lambda: _deliver(event))
    return event


def _deliver(event: Event) -> None:
    for subscriber in _subscribers:
        try:
            subscriber(event)
        except Exception:
            # The change is committed: a failing subscriber must not turn it into an error.
            logger.exception("event subscriber %r failed on %s", subscriber, event.type)
