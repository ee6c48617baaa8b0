from django.apps import AppConfig


class DatabaseConfig(AppConfig):
    name = "database"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from database.fields.types import register_builtin_field_types

        register_builtin_field_types()
