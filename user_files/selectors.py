"""Reads of user files."""

from user_files.errors import UserFilesDoNotExist
from user_files.models import UserFile


def user_files_by_name(names: list[str]) -> dict[str, UserFile]:
    """The user files of these storage names, keyed by name; UserFilesDoNotExist if any is not."""
    uniques = {name.split("_", 1)[0]: name for name in names}
    found = {
        user_file.name: user_file
        for user_file in UserFile.objects.filter(unique__in=list(uniques))
        if user_file.name in names
    }
    missing = [name for name in dict.fromkeys(names) if name not in found]
    if missing:
        raise UserFilesDoNotExist(missing)
    return found
