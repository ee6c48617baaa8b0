"""The cached answer to "may an active webhook of this table hear this event?" follows every
change to the table's webhooks, and a value read before a change is never used after it."""

import pytest
from django.core.cache import cache

from database.rows.services import rows_create
from tests.webhooks.helpers import create_hook
from webhooks.models import TableWebhook
from webhooks.presence import forget_table, table_hears

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_answer_follows_the_webhooks_changes(user_client, table, receiver):
    assert not table_hears(table.id, "rows.created")  # cached: no webhook
    hook = create_hook(user_client, table, receiver.url)
    assert table_hears(table.id, "rows.created") and table_hears(table.id, "view.deleted")
    path = f"/api/database/webhooks/{hook['id']}/"
    body = {"include_all_events": False, "events": ["rows.deleted"]}
    assert user_client.patch(path, body, format="json").status_code == 200
    assert table_hears(table.id, "rows.deleted")
    assert not table_hears(table.id, "rows.created")
    user_client.patch(path, {"active": False}, format="json")
    assert not table_hears(table.id, "rows.deleted")
    user_client.patch(path, {"active": True}, format="json")
    assert table_hears(table.id, "rows.deleted")
    assert user_client.delete(path).status_code == 204
    assert not table_hears(table.id, "rows.deleted")


def test_a_webhook_deactivated_by_failures_is_no_longer_heard(
    user_client, table, receiver, settings
):
    settings.WEBHOOKS_MAX_RETRIES = 0
    settings.WEBHOOKS_MAX_CONSECUTIVE_FAILURES = 1
    receiver.status = 500
    create_hook(user_client, table, receiver.url)
    assert table_hears(table.id, "rows.created")
    rows_create(table=table, items=[{}])
    assert len(receiver.wait_for(1)) == 1
    assert not TableWebhook.objects.get().active
    assert not table_hears(table.id, "rows.created")


def test_an_answer_read_before_a_change_is_not_used_after_it(user, table):
    assert not table_hears(table.id, "rows.created")
    version_key = f"webhooks:table:{table.id}:version"
    heard_key = f"webhooks:table:{table.id}:heard"
    stale = cache.get(heard_key)  # what a slow reader read before the change below
    TableWebhook.objects.create(table=table, name="Hook", url="http://example.com/")
    forget_table(table.id)  # as the services do once the change is committed
    cache.set(heard_key, stale)  # the slow reader stores it late
    assert cache.get(version_key) != stale[0]
    assert table_hears(table.id, "rows.created")


def test_an_evicted_version_does_not_bring_back_an_old_answer(user, table):
    assert not table_hears(table.id, "rows.created")
    cache.delete(f"webhooks:table:{table.id}:version")
    TableWebhook.objects.create(table=table, name="Hook", url="http://example.com/")
    assert table_hears(table.id, "rows.created")
