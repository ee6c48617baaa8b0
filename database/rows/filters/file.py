"""Filters on file fields: a file's visible name, the number of files, images or documents."""

from django.db.models import Q, lookups

from database.fields.types.file import AnyFile, FileCount
from database.rows.filters.registry import ViewFilterType, match_none, parse_int

FILE_TYPES = frozenset({"file"})


class FilenameContainsFilterType(ViewFilterType):
    """Rows with a file whose visible name contains the value (case-insensitive)."""

    type = "filename_contains"
    compatible_field_types = FILE_TYPES

    def build(self, cell, value):
        return Q(AnyFile(cell.path, "name_contains", value))


class FilesLowerThanFilterType(ViewFilterType):
    """Rows with fewer files than the value."""

    type = "files_lower_than"
    compatible_field_types = FILE_TYPES

    def build(self, cell, value):
        count = parse_int(value)
        if count is None:
            return match_none()
        return Q(lookups.LessThan(FileCount(cell.path), count))


class HasFileTypeFilterType(ViewFilterType):
    """Rows with an image (`image`) or with a file that is not one (`document`)."""

    type = "has_file_type"
    compatible_field_types = FILE_TYPES

    def build(self, cell, value):
        if value not in ("image", "document"):
            return Q()
        return Q(AnyFile(cell.path, "is_image", value == "image"))


FILTER_TYPES = [FilenameContainsFilterType(), FilesLowerThanFilterType(), HasFileTypeFilterType()]
