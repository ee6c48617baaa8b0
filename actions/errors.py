"""Domain exceptions of undo and redo."""


class ClientSessionIdHeaderNotSet(Exception):
    """Undo and redo need the request's ClientSessionId header."""


class UndoRedoLockConflict(Exception):
    """Another undo or redo of the same session is running."""
