"""In-transaction hooks for the layers above (the trash) to record what the services do."""

from django.dispatch import Signal

# An item went to the trash. Keyword arguments: `trash_item_type`, `item` (a model instance;
# for rows their table), `user` (or None), `workspace_id`, `application_id`, `parent_id`
# (the table, rows only), `name`, `names` (rows: their primary values), `parent_name`,
# `row_ids` (rows only), `field_ids` (tables: the links of other tables trashed with
# them). Receivers write in the same transaction.
item_trashed = Signal()
