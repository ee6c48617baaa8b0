"""The production server's settings (`make serve`): gunicorn with uvicorn workers on the ASGI app.

Request lines and headers: the app answers 414 / 431 in the error format past
`MAX_REQUEST_LINE_SIZE` / `MAX_REQUEST_HEADERS_SIZE` (api/middleware.py); the server's own
limit, further out, only stops a client from making a worker buffer without end.

Production runs this twice (README, Production): the web processes on `BIND`, and the websocket
service (`make serve-ws`: `BIND` 127.0.0.1:8001, one worker) where the proxy sends `/ws/`, so
fanning events out to sockets never takes CPU from the workers answering HTTP requests.
"""

import os

wsgi_app = "baserow_clone.asgi:application"
worker_class = "baserow_clone.workers.UvicornWorker"
bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# A request waiting on a lock holds its own thread, not the worker (each ASGI request of the
# synchronous app runs in a thread of its own); this only bounds how long one may take.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
