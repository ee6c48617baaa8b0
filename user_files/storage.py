"""Where user files and their thumbnails live in the default storage, and how they are served."""

import io
import mimetypes
import warnings
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps
from storages.backends.s3 import S3Storage as BaseS3Storage

USER_FILES_FOLDER = "user_files"
THUMBNAILS_FOLDER = "thumbnails"
# Baserow's thumbnail sizes: (width, height); a None width keeps the image's proportions.
THUMBNAIL_SIZES: dict[str, tuple[int | None, int]] = {
    "tiny": (None, 21),
    "small": (48, 48),
    "card_cover": (300, 160),
}
# Formats Pillow reads and writes that browsers show: thumbnails are made only for these.
THUMBNAIL_FORMATS = {"PNG", "JPEG", "GIF", "WEBP", "BMP"}
# Served inline (shown by the browser); anything else, HTML and SVG included, is an attachment.
INLINE_MIME_PREFIXES = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/bmp")
INLINE_MIME_PREFIXES += ("audio/", "video/", "application/pdf", "text/plain")
# No script runs and nothing loads from a served file, whatever the browser makes of it.
CONTENT_SECURITY_POLICY = "default-src 'none'; img-src 'self' data:; media-src 'self'; sandbox"


def user_file_path(name: str) -> str:
    return f"{USER_FILES_FOLDER}/{name}"


def thumbnail_path(size: str, name: str) -> str:
    return f"{THUMBNAILS_FOLDER}/{size}/{name}"


def storage_url(path: str) -> str:
    return default_storage.url(path)


def mime_type_of(name: str) -> str:
    return mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"


def served_headers(name: str) -> dict[str, str]:
    """The headers a stored file is served with: its type, never sniffed or run as a page."""
    mime_type = mime_type_of(name)
    inline = mime_type.startswith(INLINE_MIME_PREFIXES)
    disposition = "inline" if inline else f'attachment; filename="{name.rsplit("/", 1)[-1]}"'
    return {
        "Content-Type": mime_type,
        "Content-Disposition": disposition,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    }


def open_image(file: IO[bytes]) -> Image.Image | None:
    """The file as a Pillow image with its size read, or None (not an image, or a bomb)."""
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Past Image.MAX_IMAGE_PIXELS Pillow only warns; such an image is refused too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file)
            image.size  # noqa: B018 - reading the header is what may raise
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ):
        return None
    return image


def save_thumbnails(image: Image.Image, name: str) -> bool:
    """Store the thumbnails of an image opened by `open_image`; False when none can be made."""
    if image.format not in THUMBNAIL_FORMATS:
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image.load()
        source = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
        for size, (width, height) in THUMBNAIL_SIZES.items():
            if width is None:
                thumbnail = source.copy()
                thumbnail.thumbnail((source.width, height))
            else:
                thumbnail = ImageOps.fit(source, (width, height))
            save_image(thumbnail, image.format, thumbnail_path(size, name))
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombWarning,
        Image.DecompressionBombError,
    ):
        return False
    return True


def save_image(image: Image.Image, image_format: str, path: str) -> None:
    if image_format in {"JPEG", "BMP"} and image.mode != "RGB":
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format=image_format)
    default_storage.save(path, ContentFile(buffer.getvalue()))


def thumbnails_json(name: str) -> dict[str, dict[str, Any]]:
    """The contract's `thumbnails` object of an image stored under `name`."""
    return {
        size: {"url": storage_url(thumbnail_path(size, name)), "width": width, "height": height}
        for size, (width, height) in THUMBNAIL_SIZES.items()
    }


class S3Storage(BaseS3Storage):
    """django-storages' S3 backend; files other than plain media download as attachments."""

    def get_object_parameters(self, name: str) -> dict[str, Any]:
        parameters = super().get_object_parameters(name)
        headers = served_headers(name)
        parameters.setdefault("ContentType", headers["Content-Type"])
        parameters.setdefault("ContentDisposition", headers["Content-Disposition"])
        return parameters
