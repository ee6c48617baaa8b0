"""Built-in filter types. Each module here lists its types in `FILTER_TYPES`; all are registered."""

import importlib
import pkgutil
import threading

from database.rows.filters.registry import view_filter_types

_registered = False
_lock = threading.Lock()


def register_builtin_filter_types() -> None:
    """Register the `FILTER_TYPES` of every module of this package, once."""
    global _registered
    with _lock:
        if not _registered:
            _register_all()
            _registered = True


def _register_all() -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        for filter_type in getattr(module, "FILTER_TYPES", ()):
            if filter_type.type not in view_filter_types:
                view_filter_types.register(filter_type)
