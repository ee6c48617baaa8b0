"""The undoable action types, registered when the app starts."""

from actions.registry import action_types


def register_action_types() -> None:
    from actions.types import fields, rows, tables, trashed, views

    for module in (rows, fields, views, tables, trashed):
        for action_type in module.ACTION_TYPES:
            action_types.register(action_type)
