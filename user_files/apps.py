from django.apps import AppConfig


class UserFilesConfig(AppConfig):
    name = "user_files"
    default_auto_field = "django.db.models.BigAutoField"
