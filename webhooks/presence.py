"""The event types a table's active webhooks hear, kept in the shared cache so that a row write
asks the cache, not the database. Each entry is tagged with the table's webhooks version, which
every change to them replaces once committed: a value read before a change is never used after
it, in any process."""

import logging
import uuid

from django.core.cache import cache
from django.db import transaction

from webhooks.models import TableWebhook

logger = logging.getLogger(__name__)

EVERY_EVENT = "*"


def _keys(table_id: int) -> tuple[str, str]:
    return f"webhooks:table:{table_id}:version", f"webhooks:table:{table_id}:heard"


def _heard_in_database(table_id: int) -> frozenset[str]:
    listening = TableWebhook.objects.filter(table_id=table_id, active=True)
    return frozenset(
        EVERY_EVENT if every else event_type
        for every, event_type in listening.values_list("include_all_events", "events__event_type")
        if every or event_type
    )


def _heard(table_id: int) -> frozenset[str]:
    version_key, heard_key = _keys(table_id)
    try:
        cached = cache.get_many([version_key, heard_key])
        version = cached.get(version_key)
        if version is None:  # never changed, or evicted: a new tag, so older entries miss
            cache.add(version_key, uuid.uuid4().hex, timeout=None)
            version = cache.get(version_key)
        elif (entry := cached.get(heard_key)) is not None and entry[0] == version:
            return entry[1]
        heard = _heard_in_database(table_id)
        cache.set(heard_key, (version, heard), timeout=None)
        return heard
    except Exception:  # no cache server: the database still knows
        logger.exception("webhook presence cache failed for table %s", table_id)
        return _heard_in_database(table_id)


def table_hears(table_id: int, event_type: str) -> bool:
    """Whether an active webhook of the table may hear the event type."""
    heard = _heard(table_id)
    return EVERY_EVENT in heard or event_type in heard


def forget_table(table_id: int) -> None:
    """Once the current transaction commits, make every process re-read the table's webhooks."""

    def replace_version() -> None:
        try:
            cache.set(_keys(table_id)[0], uuid.uuid4().hex, timeout=None)
        except Exception:
            logger.exception("webhook presence cache failed for table %s", table_id)

    transaction.on_commit(replace_version)
