"""The ASGI lifespan of a server process: with no broker, it runs the periodic tasks itself."""

from typing import Any

from asgiref.sync import sync_to_async

from jobs.beat import embedded_beat_start, embedded_beat_stop


async def lifespan(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Start the embedded beat when the server starts (`make run`, `make serve`), stop it last.

    Only servers send lifespan events: management commands and tests never start it.
    """
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await sync_to_async(embedded_beat_start, thread_sensitive=False)()
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await sync_to_async(embedded_beat_stop, thread_sensitive=False)()
            await send({"type": "lifespan.shutdown.complete"})
            return
