"""Failed calls: retries with backoff, deactivation, the call log, and the outbound guard."""

import pytest

from database.rows.services import rows_create
from tests.webhooks.helpers import ROWS, create_hook, primary
from webhooks.models import TableWebhook
from workspaces.models import NotificationRecipient

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_call_is_retried_until_it_succeeds(user_client, table, receiver):
    receiver.statuses = [500, 503]
    hook = create_hook(user_client, table, receiver.url)
    rows_create(table=table, items=[{}])
    calls = receiver.wait_for(3)
    assert len({call["body"]["event_id"] for call in calls}) == 1  # the same delivery
    webhook = TableWebhook.objects.get(id=hook["id"])
    assert webhook.active and webhook.failed_triggers == 0
    log = user_client.get(f"/api/database/webhooks/{hook['id']}/").json()["calls"]
    assert [call["response_status"] for call in log] == [200, 503, 500]
    assert log[0]["event_type"] == "rows.created"
    assert log[0]["called_url"] == receiver.url
    assert log[0]["request"].startswith(f"POST {receiver.url}\r\n")
    assert "X-Baserow-Event: rows.created" in log[0]["request"]
    assert log[0]["response"].endswith('{"ok": true}')
    assert log[0]["error"] == ""


def test_eight_failures_in_a_row_deactivate_the_webhook(user_client, table, receiver, user):
    receiver.status = 500
    hook = create_hook(user_client, table, receiver.url)
    rows_create(table=table, items=[{}])
    calls = receiver.wait_for(8)
    webhook = TableWebhook.objects.get(id=hook["id"])
    assert len(calls) == 8  # the first call and 7 retries: the 8th failure stops it
    assert not webhook.active
    assert webhook.failed_triggers == 8
    body = user_client.get(f"/api/database/webhooks/{hook['id']}/").json()
    assert len(body["calls"]) == 5  # the last 5 are kept
    assert {call["response_status"] for call in body["calls"]} == {500}
    notification = NotificationRecipient.objects.get(recipient=user).notification
    assert notification.type == "webhook_deactivated"
    assert notification.data["webhook_id"] == hook["id"]
    rows_create(table=table, items=[{}])  # an inactive webhook is not called
    assert len(receiver.calls) == 8
    revived = user_client.patch(
        f"/api/database/webhooks/{hook['id']}/", {"active": True}, format="json"
    ).json()
    assert revived["active"] is True and revived["failed_triggers"] == 0


def test_retries_stop_at_eight(user_client, table, receiver, settings):
    settings.WEBHOOKS_MAX_CONSECUTIVE_FAILURES = 100
    receiver.status = 500
    hook = create_hook(user_client, table, receiver.url)
    rows_create(table=table, items=[{}])
    assert len(receiver.wait_for(9)) == 9  # the first call and 8 retries
    webhook = TableWebhook.objects.get(id=hook["id"])
    assert webhook.active and webhook.failed_triggers == 9


def test_long_texts_are_trimmed_in_the_call_log(user_client, table, receiver, settings):
    settings.WEBHOOKS_CALL_LOG_TEXT_LIMIT = 500
    hook = create_hook(user_client, table, receiver.url)
    name = primary(table)
    user_client.post(f"{ROWS}/{table.id}/", {name.db_column: "x" * 5000}, format="json")
    receiver.wait_for(1)
    (call,) = user_client.get(f"/api/database/webhooks/{hook['id']}/").json()["calls"]
    assert len(call["request"]) <= 520 and call["request"].endswith("...(truncated)")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_private_targets_are_refused_without_the_setting(
    user_client, table, receiver, settings, host
):
    hook = create_hook(user_client, table, receiver.url.replace("127.0.0.1", host))
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = False
    settings.WEBHOOKS_MAX_RETRIES = 0
    rows_create(table=table, items=[{}])
    webhook = TableWebhook.objects.get(id=hook["id"])
    (call,) = webhook.calls.all()
    assert "forbidden address" in call.error
    assert call.response_status is None
    assert webhook.failed_triggers == 1
    assert receiver.calls == []
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = True  # the same webhook, allowed: it arrives
    rows_create(table=table, items=[{}])
    assert len(receiver.wait_for(1)) == 1


def test_test_call_answers_the_exchange(user_client, table, receiver):
    response = user_client.post(
        f"/api/database/webhooks/table/{table.id}/test-call/",
        {"url": receiver.url, "event_type": "rows.updated", "headers": {"X-A": "b"}},
        format="json",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["status_code"] == 200 and data["is_unreachable"] is False
    assert data["request"].startswith(f"POST {receiver.url}")
    assert '{"ok": true}' in data["response"]
    (call,) = receiver.calls
    assert call["headers"]["X-A"] == "b"
    assert call["headers"]["X-Baserow-Event"] == "rows.updated"
    body = call["body"]
    assert body["table_id"] == table.id and body["event_type"] == "rows.updated"
    assert body["items"][0]["id"] == 0 and body["old_items"] == body["items"]
    assert primary(table).name in body["items"][0]


def test_test_call_to_an_unreachable_or_private_url(user_client, table, receiver, settings):
    receiver.close()
    path = f"/api/database/webhooks/table/{table.id}/test-call/"
    data = user_client.post(path, {"url": receiver.url}, format="json").json()
    assert data["is_unreachable"] is True and data["status_code"] is None
    settings.OUTBOUND_ALLOW_PRIVATE_ADDRESSES = False
    response = user_client.post(path, {"url": "http://localhost:1/"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "ERROR_REQUEST_BODY_VALIDATION"
