"""Field rules: create, update (rename, properties, type conversion) and delete."""

import copy
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from rest_framework import serializers

from api.exceptions import RequestBodyValidationError
from api.validation import serialize_errors
from database import table_models
from database.conversion import Backfill
from database.fields import errors
from database.fields.models import Field
from database.fields.registry import FieldType, field_types
from database.fields.signals import field_storage_changing, field_type_changed
from database.tables.models import Table
from database.tables.services import unused_name
from events import announce
from events.signals import item_trashed
from users.models import User
from workspaces.permissions import require_member

RESERVED_NAMES = {"id", "order"}
MAX_NAME_LENGTH = 255


def require_table_member(*, user: User, table: Table) -> None:
    require_member(user=user, workspace=table.database.workspace)


def check_field_name(*, table: Table, name: str, exclude_id: int | None = None) -> None:
    """Names are non-blank, at most 255 characters, not reserved and unique in the table."""
    if not name.strip():
        raise errors.InvalidFieldName()
    if len(name) > MAX_NAME_LENGTH:
        raise errors.MaxFieldNameLengthExceeded()
    if name in RESERVED_NAMES:
        raise errors.ReservedFieldName()
    if Field.objects.filter(table_id=table.id, name=name).exclude(id=exclude_id).exists():
        raise errors.FieldWithSameNameAlreadyExists()


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    return value


def validate_options(
    field_type: FieldType, field: Field, given: dict[str, Any], kept: dict[str, Any]
) -> dict[str, Any]:
    """The type's properties: `given` over `kept`, defaults for the rest, then type checks."""
    option_fields = field_type.option_fields()
    serializer_class = type("OptionsSerializer", (serializers.Serializer,), dict(option_fields))
    data = {name: value for name, value in kept.items() if name in option_fields}
    data.update({name: value for name, value in given.items() if name in option_fields})
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise RequestBodyValidationError(serialize_errors(serializer.errors))
    return field_type.validate_options(field=field, options=dict(serializer.validated_data))


def _stored(field_type: FieldType, options: dict[str, Any]) -> dict[str, Any]:
    return _jsonable({k: v for k, v in options.items() if k not in field_type.transient_options})


@transaction.atomic
def field_create(
    *,
    user: User,
    table: Table,
    type: str,
    name: str,
    description: str | None = None,
    db_index: bool = False,
    options: dict[str, Any] | None = None,
    primary: bool = False,
) -> tuple[Field, list[Field]]:
    """Add a field and its column; returns it and the other fields it changed."""
    require_table_member(user=user, table=table)
    field, related = field_create_unchecked(
        table=table,
        type=type,
        name=name,
        description=description,
        db_index=db_index,
        options=options or {},
        primary=primary,
    )
    announce("field_created", table_id=table.id, user=user, field=field, related_fields=related)
    return field, related


def field_create_unchecked(
    *,
    table: Table,
    type: str,
    name: str,
    options: dict[str, Any],
    description: str | None = None,
    db_index: bool = False,
    primary: bool = False,
) -> tuple[Field, list[Field]]:
    """field_create without the permission gate, for services that checked it already."""
    field_type = field_types.get(type)
    table = table_models.lock_table_schema(table)
    if Field.objects.filter(table_id=table.id).count() >= settings.MAX_FIELDS_PER_TABLE:
        raise errors.MaxFieldCountExceeded()
    check_field_name(table=table, name=name)
    if primary and not field_type.can_be_primary:
        raise errors.IncompatiblePrimaryFieldType(type)
    if db_index and not field_type.can_have_db_index:
        raise errors.DbIndexNotSupported(type)
    highest = Field.objects.filter(table_id=table.id).aggregate(m=Max("order"))["m"]
    field = Field(
        table=table,
        name=name,
        type=type,
        description=description,
        db_index=db_index,
        primary=primary,
        order=0 if highest is None else highest + 1,
    )
    validated = validate_options(field_type, field, options, {})
    field.options = _stored(field_type, validated)
    field.save()
    related = field_type.before_storage(field, validated)
    table_models.add_field_storage(field)
    if field.db_index:
        table_models.sync_field_index(field)
    related += field_type.after_create(field, validated)
    table_models.bump_schema_version(table)
    return field, _unique(related, field)


def field_apply_changes(
    *, field: Field, options: dict[str, Any], changes: dict[str, Any]
) -> dict[str, Any]:
    """Check the changes and make them on `field` (not saved); returns its validated options."""
    new_type_name = changes.get("type") or field.type
    new_type = field_types.get(new_type_name)
    if "name" in changes and changes["name"] != field.name:
        check_field_name(table=field.table, name=changes["name"], exclude_id=field.id)
        field.name = changes["name"]
    if "description" in changes:
        field.description = changes["description"]
    if "db_index" in changes:
        field.db_index = changes["db_index"]
    if new_type_name != field.type and field.primary and not new_type.can_be_primary:
        raise errors.IncompatiblePrimaryFieldType(new_type_name)
    if field.db_index and not new_type.can_have_db_index:
        raise errors.DbIndexNotSupported(new_type_name)
    field.type = new_type_name
    validated = validate_options(new_type, field, options, field.options)
    field.options = _stored(new_type, validated)
    return validated


@transaction.atomic
def field_update(
    *,
    user: User,
    field: Field,
    options: dict[str, Any] | None = None,
    backfill: Backfill | None = None,
    **changes: Any,
) -> tuple[Field, list[Field]]:
    """Rename a field, change its properties or convert it to another type, keeping data.

    `backfill`: the new type's column, filled beforehand for this very change (see
    database/fields/conversion_jobs.py); it is dropped and the data converted here if the
    field changed since.
    """
    require_table_member(user=user, table=field.table)
    table = table_models.lock_table_schema(field.table)
    field = Field.objects.select_related("table__database").get(id=field.id)
    old_field = copy.deepcopy(field)
    old_type = field_types.get(field.type)
    validated = field_apply_changes(field=field, options=options or {}, changes=changes)
    new_type = field_types.get(field.type)
    type_changed = field.type != old_field.type
    field.save()

    if backfill is not None and not backfill.made_for(old_field, field):
        backfill.discard()
        backfill = None
    if type_changed:
        related = new_type.before_storage(field, validated)
        field_storage_changing.send(sender=Field, field=old_field)
        table_models.convert_field_storage(old_field, field, backfill=backfill)
        related += old_type.after_type_change(old_field, field)
        related += new_type.after_create(field, validated)
        field_type_changed.send(sender=Field, field=field)
    else:
        related = new_type.before_storage(field, validated)
        related += new_type.after_update(old_field, field, validated)
    # A conversion dropped the old column with its index.
    if type_changed or field.db_index != old_field.db_index:
        table_models.sync_field_index(field)
    table_models.bump_schema_version(table)
    field.refresh_from_db()
    related = _unique(related, field)
    announce("field_updated", table_id=table.id, user=user, field=field, related_fields=related)
    return field, related


@transaction.atomic
def field_delete(*, user: User, field: Field) -> list[Field]:
    """Move a field (and a link's counterpart) to the trash; returns the other fields it changed.

    Its column stays, untouched, until the field is deleted for good: no data is copied.
    """
    require_table_member(user=user, table=field.table)
    if field.primary:
        raise errors.CannotDeletePrimaryField()
    table = table_models.lock_table_schema(field.table)
    field = (
        Field.objects_and_trash.select_related("table__database__workspace")
        .filter(id=field.id)
        .first()
    )
    if field is None:
        raise errors.FieldDoesNotExist()
    if field.trashed:  # another deletion got the lock first
        raise errors.FieldAlreadyTrashed()
    companions = field_types.get(field.type).trash_companions(field)
    related = [
        *field_types.get(field.type).dependents(field),
        *(dependent for c in companions for dependent in field_types.get(c.type).dependents(c)),
    ]
    Field.objects.filter(id__in=[field.id, *(c.id for c in companions)]).update(trashed=True)
    _bump_tables([table, *(c.table for c in companions)])
    item_trashed.send(
        sender=Field,
        trash_item_type="field",
        item=field,
        user=user,
        workspace_id=table.database.workspace_id,
        application_id=table.database_id,
        name=field.name,
        parent_name=table.name,
    )
    related = _unique(related, None)
    announce(
        "field_deleted", table_id=table.id, user=user, field_id=field.id, related_fields=related
    )
    for companion in companions:
        announce(
            "field_deleted",
            table_id=companion.table_id,
            user=user,
            field_id=companion.id,
            related_fields=[],
        )
    return related


def _bump_tables(tables: list[Table]) -> None:
    for table in {table.id: table for table in tables}.values():
        table_models.bump_schema_version(table)


@transaction.atomic
def field_restore(*, user: User | None, field: Field) -> tuple[Field, list[Field]]:
    """Bring a trashed field (and a link's counterpart) back with its cells, under a free name."""
    table = table_models.lock_table_schema(field.table)
    companions = field_types.get(field.type).trash_companions(field, trashed=True)
    for restored in (field, *companions):
        taken = Field.objects.filter(table_id=restored.table_id).values_list("name", flat=True)
        if restored.name in taken:
            name = f"{restored.name[: MAX_NAME_LENGTH - 11]} (Restored)"
            restored.name = (
                name
                if name not in taken
                else unused_name(name=name, taken=taken, max_length=MAX_NAME_LENGTH)
            )
        restored.trashed = False
        restored.save(update_fields=["name", "trashed"])
    _bump_tables([table, *(c.table for c in companions)])
    related = _unique(
        [
            *companions,
            *field_types.get(field.type).dependents(field),
            *(d for c in companions for d in field_types.get(c.type).dependents(c)),
        ],
        field,
    )
    field = Field.objects.select_related("table__database__workspace").get(id=field.id)
    announce("field_restored", table_id=table.id, user=user, field=field, related_fields=related)
    for companion in companions:
        announce(
            "field_restored",
            table_id=companion.table_id,
            user=user,
            field=Field.objects.select_related("table__database").get(id=companion.id),
            related_fields=[field],
        )
    return field, related


def field_delete_permanently(*, field: Field) -> None:
    """Drop a trashed field's storage and the field, with a link's trashed counterpart."""
    table = table_models.lock_table_schema(field.table)
    companions = field_types.get(field.type).trash_companions(field, trashed=True)
    for gone in (field, *companions):
        field_storage_changing.send(sender=Field, field=gone)
        table_models.remove_field_storage(gone, leaving={f.id for f in (field, *companions)})
    Field.objects_and_trash.filter(id__in=[field.id, *(c.id for c in companions)]).delete()
    _bump_tables([table, *(c.table for c in companions)])


def _unique(fields: list[Field], exclude: Field | None) -> list[Field]:
    seen: dict[int, Field] = {}
    for field in fields:
        if field.id is not None and (exclude is None or field.id != exclude.id):
            seen[field.id] = field
    return list(seen.values())


@transaction.atomic
def field_change_primary(*, user: User, table: Table, field: Field) -> tuple[Field, list[Field]]:
    """Make a field of the table its primary field; returns it and the former primary field."""
    require_table_member(user=user, table=table)
    if field.table_id != table.id:
        raise errors.FieldNotInTable()
    table = table_models.lock_table_schema(table)
    field = Field.objects.select_related("table__database").filter(id=field.id).first()
    if field is None:
        raise errors.FieldDoesNotExist()
    if field.primary:
        raise errors.FieldIsAlreadyPrimary()
    if not field_types.get(field.type).can_be_primary:
        raise errors.IncompatiblePrimaryFieldType(field.type)
    former = list(
        Field.objects.select_related("table__database").filter(table_id=table.id, primary=True)
    )
    for old in former:
        old.primary = False
        old.save(update_fields=["primary"])
    field.primary = True
    field.save(update_fields=["primary"])
    # Links into this table show its primary field: their models change too.
    table_models.bump_schema_version(table)
    announce("field_updated", table_id=table.id, user=user, field=field, related_fields=former)
    return field, former
