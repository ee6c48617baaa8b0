"""Built-in field types. Each module here lists its types in `FIELD_TYPES`; all are registered."""

import importlib
import pkgutil

from database.fields.registry import field_types


def register_builtin_field_types() -> None:
    """Register the `FIELD_TYPES` of every module of this package, once."""
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for field_type in getattr(module, "FIELD_TYPES", ()):
            if field_type.type not in field_types:
                field_types.register(field_type)
