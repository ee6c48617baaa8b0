from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "realtime"

    def ready(self) -> None:
        from events import subscribe
        from realtime.broadcast import broadcast
        from realtime.payloads import register_payloads

        register_payloads()
        subscribe(broadcast)
