"""The uvicorn worker `gunicorn.conf.py` runs: no `Server` header, bounded request heads."""

import os
from typing import ClassVar

from uvicorn_worker import UvicornWorker as BaseUvicornWorker

# How much of a request line and headers the server buffers before refusing the request; the
# app's own, smaller limits (MAX_REQUEST_LINE_SIZE, MAX_REQUEST_HEADERS_SIZE) answer in JSON.
SERVER_HEAD_LIMIT = int(os.environ.get("SERVER_HEAD_LIMIT", str(1024 * 1024)))


class UvicornWorker(BaseUvicornWorker):
    CONFIG_KWARGS: ClassVar[dict] = {
        **BaseUvicornWorker.CONFIG_KWARGS,
        "http": "h11",
        "h11_max_incomplete_event_size": SERVER_HEAD_LIMIT,
        "server_header": False,
    }
