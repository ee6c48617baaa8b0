"""User file rules: upload a file or fetch one from a URL, then store it with its thumbnails."""

import hashlib
import pathlib
import re
import secrets
import string
import tempfile
from typing import IO
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage

from api import outbound
from user_files.errors import (
    FileSizeTooLarge,
    FileUrlCouldNotBeReached,
    InvalidFile,
    InvalidFileUrl,
)
from user_files.models import UserFile
from user_files.storage import mime_type_of, open_image, save_thumbnails, user_file_path
from users.models import User

UNIQUE_ALPHABET = string.ascii_letters + string.digits
UNIQUE_LENGTH = 32  # about 190 bits: names cannot be guessed
CHUNK_SIZE = 64 * 1024
MAX_ORIGINAL_NAME = 255


def size_limit_bytes() -> int:
    return settings.BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB * 1024 * 1024


def _extension(original_name: str) -> str:
    """The name's extension, lowercase, if it is a plain one (letters and digits)."""
    extension = pathlib.PurePosixPath(original_name).suffix[1:].lower()
    return extension if re.fullmatch(r"[a-z0-9]{1,16}", extension) else ""


def _sha256(file: IO[bytes]) -> tuple[str, int]:
    file.seek(0)
    digest, size = hashlib.sha256(), 0
    while chunk := file.read(CHUNK_SIZE):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def user_file_upload(*, user: User, file: IO[bytes] | None, original_name: str) -> UserFile:
    """Store an uploaded file (once per name and content) and, for an image, its thumbnails."""
    if file is None or not hasattr(file, "read"):
        raise InvalidFile()
    original_name = original_name.replace("/", "_").replace("\\", "_")[-MAX_ORIGINAL_NAME:]
    sha256_hash, size = _sha256(file)
    if size > size_limit_bytes():
        raise FileSizeTooLarge(settings.BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB)
    existing = UserFile.objects.filter(original_name=original_name, sha256_hash=sha256_hash).first()
    if existing is not None and default_storage.exists(user_file_path(existing.name)):
        return existing
    user_file = UserFile(
        original_name=original_name,
        original_extension=_extension(original_name),
        unique="".join(secrets.choice(UNIQUE_ALPHABET) for _ in range(UNIQUE_LENGTH)),
        sha256_hash=sha256_hash,
        uploaded_by=user,
        size=size,
        mime_type=mime_type_of(original_name),
    )
    image = open_image(file)
    if image is not None and save_thumbnails(image, user_file.name):
        user_file.is_image = True
        user_file.image_width, user_file.image_height = image.size
    file.seek(0)
    default_storage.save(user_file_path(user_file.name), File(file))
    user_file.save()
    return user_file


def _name_from_url(url: str) -> str:
    name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]).strip()
    return name or "file"


def user_file_upload_via_url(*, user: User, url: str) -> UserFile:
    """Download a file from a public URL (never a private address), then store it."""
    try:
        outbound.validate_url(url)
    except outbound.InvalidOutboundUrl as exc:
        raise InvalidFileUrl() from exc
    limit = size_limit_bytes()
    with tempfile.SpooledTemporaryFile(max_size=CHUNK_SIZE * 16) as spool:
        try:
            with outbound.open_url(url, timeout=10) as response:
                if response.status_code >= 400:
                    raise FileUrlCouldNotBeReached()
                declared = response.headers.get("Content-Length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FileSizeTooLarge(settings.BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB)
                received = 0
                for chunk in response.iter_content(CHUNK_SIZE):
                    received += len(chunk)
                    if received > limit:
                        raise FileSizeTooLarge(settings.BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB)
                    spool.write(chunk)
                final_url = response.url
        except outbound.InvalidOutboundUrl as exc:
            raise InvalidFileUrl() from exc
        except (outbound.UnreachableUrl, OSError) as exc:
            raise FileUrlCouldNotBeReached() from exc
        return user_file_upload(user=user, file=spool, original_name=_name_from_url(final_url))
