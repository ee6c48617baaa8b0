"""In-transaction hooks of field changes, for the layers above fields (views) to react to.

Sent under the table's schema lock, inside the change's transaction: a receiver's writes
commit or roll back with the change. (Committed changes are announced as domain events.)
"""

from django.dispatch import Signal

# Before a field's column is dropped or converted; `field` is the field as it was.
field_storage_changing = Signal()
# After a field took another type and its new column exists; `field` is the field as it is.
field_type_changed = Signal()
