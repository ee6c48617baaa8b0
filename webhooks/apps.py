from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events import subscribe
        from webhooks.delivery import webhooks_on_event

        subscribe(webhooks_on_event)
