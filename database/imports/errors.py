"""Domain exceptions of imports."""


class ImportFileDoesNotExist(Exception):
    """The user file named to import from does not exist."""


class InvalidImportFile(Exception):
    """The file cannot be read as the type it was given as."""


class FileCannotMakeTable(Exception):
    """A file read into a new table holds what a table refuses; the message says what."""
