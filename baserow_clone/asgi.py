"""ASGI entry point: gunicorn -k uvicorn_worker.UvicornWorker baserow_clone.asgi:application."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baserow_clone.settings")

application = get_asgi_application()
