"""Reads of user files."""

from user_files.models import UserFile


def user_files_found(names: list[str]) -> dict[str, UserFile]:
    """The user files of those of these storage names that exist, keyed by name."""
    wanted = set(names)
    if not wanted:
        return {}
    uniques = {name.split("_", 1)[0] for name in wanted}
    return {
        user_file.name: user_file
        for user_file in UserFile.objects.filter(unique__in=uniques)
        if user_file.name in wanted
    }
