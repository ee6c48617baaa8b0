"""Wire format of webhooks and their calls, and validation of their request bodies."""

import re
from typing import Any
from urllib.parse import urlsplit

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.outbound import ForbiddenAddress, InvalidOutboundUrl, UnreachableUrl, checked_address
from api.outbound import validate_url as validate_outbound_url
from webhooks.models import EVENT_TYPES, REQUEST_METHODS, TableWebhook, TableWebhookCall

# RFC 9110 token characters; values: visible characters, spaces and tabs (no CR, LF or NUL).
HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,256}")
HEADER_VALUE = re.compile(r"[\t\x20-\x7e\x80-\uffff]{0,8192}")


def validate_headers(headers: dict[str, Any]) -> dict[str, Any]:
    for name, value in headers.items():
        if not HEADER_NAME.fullmatch(name):
            raise serializers.ValidationError(
                f"The provided header name {name} is invalid.", code="invalid_http_header_name"
            )
        if not isinstance(value, str) or not HEADER_VALUE.fullmatch(value):
            raise serializers.ValidationError(
                f"The provided header value of {name} is invalid.",
                code="invalid_http_header_value",
            )
    return headers


def validate_webhook_url(url: str) -> str:
    """An absolute http(s) URL whose host does not resolve to a forbidden address."""
    try:
        parts = urlsplit(validate_outbound_url(url))
        checked_address(parts.hostname, parts.port or 443)
    except InvalidOutboundUrl as error:
        raise serializers.ValidationError(str(error), code="invalid_url") from error
    except ForbiddenAddress as error:
        raise serializers.ValidationError(str(error), code="invalid_url") from error
    except UnreachableUrl:
        pass  # a name that does not resolve now may later; every call is checked again
    return url


class EventConfigSerializer(serializers.Serializer):
    event_type = serializers.ChoiceField(choices=EVENT_TYPES)
    fields = serializers.ListField(child=serializers.IntegerField(), required=False)
    views = serializers.ListField(child=serializers.IntegerField(), required=False)


class WebhookWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, validators=[validate_webhook_url])
    name = serializers.CharField(max_length=255)
    request_method = serializers.ChoiceField(choices=REQUEST_METHODS, required=False)
    include_all_events = serializers.BooleanField(required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=EVENT_TYPES), required=False
    )
    event_config = EventConfigSerializer(many=True, required=False)
    headers = serializers.DictField(required=False, validators=[validate_headers])
    use_user_field_names = serializers.BooleanField(required=False)


class WebhookUpdateSerializer(WebhookWriteSerializer):
    url = serializers.CharField(max_length=2000, validators=[validate_webhook_url], required=False)
    name = serializers.CharField(max_length=255, required=False)
    active = serializers.BooleanField(required=False)


class WebhookTestCallSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=2000, validators=[validate_webhook_url])
    event_type = serializers.ChoiceField(choices=EVENT_TYPES, default="rows.created")
    request_method = serializers.ChoiceField(choices=REQUEST_METHODS, default="POST")
    headers = serializers.DictField(required=False, default=dict, validators=[validate_headers])
    use_user_field_names = serializers.BooleanField(default=True)


class WebhookCallSerializer(serializers.ModelSerializer):
    class Meta:
        model = TableWebhookCall
        fields = (
            "id",
            "event_id",
            "event_type",
            "called_time",
            "called_url",
            "request",
            "response",
            "response_status",
            "error",
        )


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.SerializerMethodField()
    event_config = serializers.SerializerMethodField()
    calls = WebhookCallSerializer(many=True)

    class Meta:
        model = TableWebhook
        fields = (
            "id",
            "events",
            "event_config",
            "headers",
            "calls",
            "created_on",
            "updated_on",
            "use_user_field_names",
            "url",
            "request_method",
            "name",
            "include_all_events",
            "failed_triggers",
            "active",
        )

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_events(self, webhook: TableWebhook) -> list[str]:
        return [event.event_type for event in webhook.events.all()]

    @extend_schema_field(EventConfigSerializer(many=True))
    def get_event_config(self, webhook: TableWebhook) -> list[dict[str, Any]]:
        return [
            {
                "event_type": event.event_type,
                "fields": [field.id for field in event.fields.all()],
                "views": [view.id for view in event.views.all()],
            }
            for event in webhook.events.all()
        ]


class WebhookTestCallResultSerializer(serializers.Serializer):
    request = serializers.CharField()
    response = serializers.CharField()
    status_code = serializers.IntegerField(allow_null=True)
    is_unreachable = serializers.BooleanField()
