"""Domain exceptions of table exports."""


class ExportJobDoesNotExist(Exception):
    """No such export job among the user's jobs."""
