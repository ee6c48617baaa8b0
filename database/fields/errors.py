"""Domain exceptions of fields."""


class FieldDoesNotExist(Exception):
    """No such field (or not in a table the user can see)."""


class FieldWithSameNameAlreadyExists(Exception):
    """Field names are unique per table, compared exactly."""


class ReservedFieldName(Exception):
    """`id` and `order` are the row's own columns."""


class InvalidFieldName(Exception):
    """A field name cannot be blank."""


class MaxFieldNameLengthExceeded(Exception):
    """A field name has at most 255 characters."""


class MaxFieldCountExceeded(Exception):
    """A table has at most MAX_FIELDS_PER_TABLE fields."""


class FieldAlreadyTrashed(Exception):
    """The field went to the trash after it was looked up (a concurrent delete)."""


class CannotDeletePrimaryField(Exception):
    """The primary field is the row's name: make another field primary first."""


class IncompatiblePrimaryFieldType(Exception):
    """This type cannot be the primary field."""

    def __init__(self, type_name: str = "") -> None:
        super().__init__(f"The field type {type_name} is not compatible with the primary field.")


class DbIndexNotSupported(Exception):
    """`db_index` was asked for a type whose values have no column to index."""

    def __init__(self, type_name: str = "") -> None:
        super().__init__(
            f"The field type {type_name} does not support database indexes. Explicitly set "
            "`db_index` to `false` to fix this error."
        )


class CannotChangeFieldType(Exception):
    """The field's type cannot change to the requested one."""


class FieldIsAlreadyPrimary(Exception):
    """The field is the primary field already."""


class FieldNotInTable(Exception):
    """The field belongs to another table."""


class LinkRowTableNotProvided(Exception):
    """A link_row field needs `link_row_table_id`."""


class LinkRowTableNotInSameDatabase(Exception):
    """A link_row field links tables of one database only."""


class SelfReferencingLinkRowCannotHaveRelatedField(Exception):
    """A link to its own table has no reverse field."""


class SelectOptionDoesNotBelongToField(Exception):
    """A select option id in the request belongs to another field."""


class IncompatibleFieldTypeForUniqueValues(Exception):
    """Unique values are listed only for text-like fields."""


class InvalidCountThroughField(Exception):
    """A count needs a link_row field of its own table to count through."""


class InvalidLookupThroughField(Exception):
    """A lookup needs a link_row field of its own table to look through."""


class InvalidLookupTargetField(Exception):
    """A lookup's target must be a field of the linked table of a type it can show."""
