"""Domain exceptions of jobs."""


class JobDoesNotExist(Exception):
    """No such job among the user's jobs."""


class JobNotCancellable(Exception):
    """The job has ended (finished, failed or cancelled) and cannot be cancelled any more."""


class JobCancelled(Exception):
    """Raised inside a running job when it learns it was cancelled, to roll its work back."""


class MaxJobCountExceeded(Exception):
    """The user already has as many unended jobs of this type as the type allows."""
