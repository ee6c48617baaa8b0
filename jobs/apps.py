from importlib import import_module

from django.apps import AppConfig
from django.conf import settings


class JobsConfig(AppConfig):
    name = "jobs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from jobs.types import register_builtin_job_types

        register_builtin_job_types()
        for module in settings.JOB_TYPE_MODULES:
            import_module(module)  # registers its job types when imported
