from django.apps import AppConfig


class TrashConfig(AppConfig):
    name = "trash"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from events.signals import item_trashed
        from trash.registry import trash_item_types
        from trash.rows import ROW_TRASH_ITEM_TYPES
        from trash.services import trash_entry_record
        from trash.types import TRASH_ITEM_TYPES

        for item_type in (*TRASH_ITEM_TYPES, *ROW_TRASH_ITEM_TYPES):
            if item_type.type not in trash_item_types:
                trash_item_types.register(item_type())
        item_trashed.connect(trash_entry_record, dispatch_uid="trash")
