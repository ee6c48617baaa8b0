"""The instance's admin-configured settings: one row, read by every process."""

import uuid

from django.conf import settings
from django.db import models


def _allow_new_signups_default() -> bool:
    # The environment's ALLOW_NEW_SIGNUPS only seeds the row; staff change it through the API.
    return settings.ALLOW_NEW_SIGNUPS


class EmailVerification(models.TextChoices):
    NO_VERIFICATION = "no_verification"
    RECOMMENDED = "recommended"
    ENFORCED = "enforced"


class InstanceSettings(models.Model):
    """Baserow's `Settings`: what staff allow on this core."""

    instance_id = models.CharField(max_length=64, default=uuid.uuid4, editable=False)
    allow_new_signups = models.BooleanField(default=_allow_new_signups_default)
    allow_signups_via_workspace_invitations = models.BooleanField(default=True)
    allow_reset_password = models.BooleanField(default=True)
    allow_global_workspace_creation = models.BooleanField(default=True)
    account_deletion_grace_delay = models.PositiveSmallIntegerField(default=30)
    show_admin_signup_page = models.BooleanField(default=False)
    track_workspace_usage = models.BooleanField(default=False)
    show_baserow_help_request = models.BooleanField(default=True)
    email_verification = models.CharField(
        max_length=16, choices=EmailVerification.choices, default=EmailVerification.NO_VERIFICATION
    )
    verify_import_signature = models.BooleanField(default=True)

    class Meta:
        db_table = "instance_settings"

    def __str__(self) -> str:
        return f"Settings of {self.instance_id}"
