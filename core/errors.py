"""Domain errors of the instance settings."""


class StaffOnly(Exception):
    """Only staff may do this."""
