"""One websocket frame per event, written as is to every socket that hears it.

The server compresses each message on its own (permessage-deflate without context takeover,
which RFC 7692 lets a server choose whatever the client offered), so one event's compressed
frame is the same bytes for every socket: it is built once, not once per socket, which is most
of what a large event (a batch of rows) used to cost per socket. Sockets that negotiated no
compression get the same plain frame, also built once.
"""

from typing import Any

from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.extensions.permessage_deflate import (
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
)
from websockets.frames import Frame, Opcode
from websockets.protocol import State
from websockets.server import ServerProtocol

WINDOW_BITS = 12  # what uvicorn offers: 4 KiB of window per socket
COMPRESS_SETTINGS = {"memLevel": 5}


class SharedText(str):
    """A text message that many sockets send: its frames are built once, on first use."""

    def frame(self, extensions: list[Any]) -> bytes | None:
        """The frame for a connection with these extensions; None: it needs its own."""
        if not extensions:
            kind = "plain"
        elif _shares_compression(extensions):
            kind = "deflate"
        else:
            return None
        frames = self.__dict__.setdefault("frames", {})
        if kind not in frames:
            encoder = [_shared_deflate()] if kind == "deflate" else []
            frames[kind] = Frame(Opcode.TEXT, self.encode()).serialize(
                mask=False, extensions=encoder
            )
        return frames[kind]


def _shared_deflate() -> PerMessageDeflate:
    return PerMessageDeflate(
        remote_no_context_takeover=False,
        local_no_context_takeover=True,
        remote_max_window_bits=WINDOW_BITS,
        local_max_window_bits=WINDOW_BITS,
        compress_settings=COMPRESS_SETTINGS,
    )


def _shares_compression(extensions: list[Any]) -> bool:
    (extension, *others) = extensions
    return (
        not others
        and isinstance(extension, PerMessageDeflate)
        and extension.local_no_context_takeover
        and extension.local_max_window_bits == WINDOW_BITS
        and extension.compress_settings == COMPRESS_SETTINGS
    )


class SharedFramesProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websocket protocol, compressing each message on its own and writing a
    `SharedText`'s prebuilt frame instead of framing (and compressing) it again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.config.ws_per_message_deflate:
            self.conn = ServerProtocol(
                extensions=[
                    ServerPerMessageDeflateFactory(
                        server_no_context_takeover=True,
                        server_max_window_bits=WINDOW_BITS,
                        client_max_window_bits=WINDOW_BITS,
                        compress_settings=COMPRESS_SETTINGS,
                    )
                ],
                max_size=self.config.ws_max_size,
                logger=self.conn.logger,
            )

    async def send(self, message: Any) -> None:
        text = message.get("text") if message["type"] == "websocket.send" else None
        opened = self.handshake_complete and self.initial_response is None
        frame = (
            text.frame(self.conn.extensions) if opened and isinstance(text, SharedText) else None
        )
        if frame is None:
            await super().send(message)
            return
        await self.writable.wait()
        if self.disconnected or self.close_sent or self.conn.state is not State.OPEN:
            raise ClientDisconnected()
        self.transport.write(frame)
