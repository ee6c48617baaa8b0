"""Wire shapes of the instance settings (09-other.md)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.models import InstanceSettings


class InstanceSettingsSerializer(serializers.ModelSerializer):
    # No file uploads here yet: the co-branding logo is always null.
    co_branding_logo = serializers.SerializerMethodField()

    class Meta:
        model = InstanceSettings
        fields = (
            "allow_new_signups",
            "allow_signups_via_workspace_invitations",
            "allow_reset_password",
            "allow_global_workspace_creation",
            "account_deletion_grace_delay",
            "show_admin_signup_page",
            "track_workspace_usage",
            "show_baserow_help_request",
            "co_branding_logo",
            "email_verification",
            "verify_import_signature",
        )
        extra_kwargs = {name: {"required": False} for name in fields}  # noqa: RUF012

    @extend_schema_field({"type": "object", "nullable": True})
    def get_co_branding_logo(self, instance) -> None:
        return None


class InstanceIdSerializer(serializers.Serializer):
    instance_id = serializers.CharField(read_only=True)
