"""Middleware of the API's edges: errors raised outside DRF's views still answer JSON."""

from django.http import HttpRequest, JsonResponse

from api.errors import DATABASE_UNAVAILABLE, database_unavailable_body, is_database_unavailable


class DatabaseUnavailableMiddleware:
    """A database that cannot be reached gives 503 JSON from any view, not a 500 page."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if is_database_unavailable(exception):
            return JsonResponse(database_unavailable_body(), status=DATABASE_UNAVAILABLE.status)
        return None
