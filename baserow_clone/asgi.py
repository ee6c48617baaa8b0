"""ASGI entry point: HTTP and the `/ws/core/` websocket (see README, Production)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baserow_clone.settings")
http_application = get_asgi_application()  # sets Django up before the consumers are imported

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.urls import path  # noqa: E402

from api.throttle_gate import throttle_gate  # noqa: E402
from baserow_clone.lifespan import lifespan  # noqa: E402
from realtime.consumers import CoreConsumer  # noqa: E402
from realtime.hub import with_hub  # noqa: E402

application = with_hub(
    ProtocolTypeRouter(
        {
            "http": throttle_gate(http_application),
            "websocket": URLRouter([path("ws/core/", CoreConsumer.as_asgi())]),
            "lifespan": lifespan,
        }
    )
)
