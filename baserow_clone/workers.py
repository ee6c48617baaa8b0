"""The uvicorn worker `gunicorn.conf.py` runs: no `Server` header, bounded request heads whose
overflow is answered in the API's error format rather than uvicorn's plain text, and websocket
events framed once for all the sockets that hear them (`realtime/frames.py`)."""

import json
import os
from typing import ClassVar

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn_worker import UvicornWorker as BaseUvicornWorker

from realtime.frames import SharedFramesProtocol

# How much of a request line and headers the server buffers before refusing the request; the
# app's own, smaller limits (MAX_REQUEST_LINE_SIZE, MAX_REQUEST_HEADERS_SIZE) answer first.
SERVER_HEAD_LIMIT = int(os.environ.get("SERVER_HEAD_LIMIT", str(1024 * 1024)))


class JSONErrorsH11Protocol(H11Protocol):
    """uvicorn's h11 protocol; a request it cannot read gets a JSON error (414, 431 or 400)."""

    def send_400_response(self, msg: str) -> None:
        received, _ = self.conn.trailing_data
        if len(received) <= SERVER_HEAD_LIMIT:
            status, code, detail = 400, "ERROR_BAD_REQUEST", "The request is malformed."
        elif b"\r\n" not in received:
            status, code, detail = 414, "ERROR_REQUEST_LINE_TOO_LONG", "The URL is too long."
        else:
            status, code = 431, "ERROR_REQUEST_HEADERS_TOO_LARGE"
            detail = "The request's headers are too large."
        body = json.dumps({"error": code, "detail": detail}).encode()
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ]
        for event in (
            h11.Response(status_code=status, headers=headers),
            h11.Data(data=body),
            h11.EndOfMessage(),
        ):
            self.transport.write(self.conn.send(event))
        self.transport.close()


class UvicornWorker(BaseUvicornWorker):
    CONFIG_KWARGS: ClassVar[dict] = {
        **BaseUvicornWorker.CONFIG_KWARGS,
        "http": JSONErrorsH11Protocol,
        "ws": SharedFramesProtocol,
        "h11_max_incomplete_event_size": SERVER_HEAD_LIMIT,
        "server_header": False,
    }
