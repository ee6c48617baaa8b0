"""Domain exceptions of applications."""


class ApplicationDoesNotExist(Exception):
    """No such application (or database), or it or its workspace is in the trash."""


class ApplicationNotInWorkspace(Exception):
    """An id given to order a workspace's applications belongs to none of them."""

    def __init__(self, application_id: int) -> None:
        super().__init__(f"The application id {application_id} does not belong to the group.")


class ApplicationAlreadyTrashed(Exception):
    """The application was moved to the trash before this deletion could."""
