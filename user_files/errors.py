"""Domain exceptions of user files."""


class InvalidFile(Exception):
    """No file was sent, or what was sent is not a file."""


class FileSizeTooLarge(Exception):
    """The file is larger than BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB."""

    def __init__(self, max_size_mb: int) -> None:
        super().__init__(f"The provided file is too large. Max {max_size_mb}MB is allowed.")
        self.max_size_mb = max_size_mb


class FileUrlCouldNotBeReached(Exception):
    """The URL's host could not be reached, is forbidden, or answered with an error."""


class InvalidFileUrl(Exception):
    """The URL is not an absolute http(s) URL."""
