from django.apps import AppConfig


class DatabaseConfig(AppConfig):
    name = "database"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from database.fields.signals import field_storage_changing, field_type_changed
        from database.fields.types import register_builtin_field_types
        from database.views.services import (
            views_after_field_type_change,
            views_before_field_storage_change,
        )

        register_builtin_field_types()
        field_storage_changing.connect(views_before_field_storage_change, dispatch_uid="views")
        field_type_changed.connect(views_after_field_type_change, dispatch_uid="views")
