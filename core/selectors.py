"""Reading the instance settings."""

from core.models import InstanceSettings

SETTINGS_ID = 1


def instance_settings() -> InstanceSettings:
    """The one settings row, made with its defaults on first read."""
    row, _ = InstanceSettings.objects.get_or_create(id=SETTINGS_ID)
    return row
