"""Domain exceptions of webhooks."""


class WebhookDoesNotExist(Exception):
    """The webhook does not exist, or the user may not reach it."""


class WebhookMaxLimitExceeded(Exception):
    """The table already has the largest number of webhooks allowed."""

    def __init__(self, limit: int) -> None:
        super().__init__(
            "The maximally allowed webhooks per table has been exceeded. "
            f"You can create a maximum of {limit} webhooks."
        )


class WebhookEventConfigFieldNotInTable(Exception):
    """An event config names a field of another table."""

    def __init__(self, field_id: int) -> None:
        super().__init__(
            f"The provided event config field with ID {field_id} does not belong to the table."
        )


class WebhookEventConfigViewNotInTable(Exception):
    """An event config names a view of another table."""

    def __init__(self, view_id: int) -> None:
        super().__init__(
            f"The provided event config view with ID {view_id} does not belong to the table."
        )
