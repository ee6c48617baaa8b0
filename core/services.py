"""Changing the instance settings (staff only)."""

from typing import Any

from django.db import transaction

from core.errors import StaffOnly
from core.models import InstanceSettings
from core.selectors import instance_settings
from users.models import User


def require_staff(*, user: User) -> None:
    """Raise unless the user is staff."""
    if not user.is_staff:
        raise StaffOnly()


@transaction.atomic
def instance_settings_update(*, user: User, **values: Any) -> InstanceSettings:
    """Set the given settings; the others keep their values."""
    require_staff(user=user)
    row = instance_settings()
    row = InstanceSettings.objects.select_for_update().get(id=row.id)
    for name, value in values.items():
        setattr(row, name, value)
    if values:
        row.save(update_fields=list(values))
    return row
