"""Photos attached to stories: upload checks and resized renditions.

An upload is accepted only if Pillow can open and fully decode it as one of
the formats browsers show, within ``settings.IMAGE_MAX_BYTES`` and
``settings.IMAGE_MAX_PIXELS``. Each accepted photo gets resized copies (JPEG,
and WebP where this Pillow supports it) once, when it is saved, beside the
original with deterministic names (``articles/2024/11/name-800w.webp``).
What was made is recorded on the story (``Article.image_renditions``, from
``Photo.as_record``) so that rendering a page never asks the storage about a
file: over S3 each question would be a network round trip.
"""

import io
import logging
import posixpath
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, UnidentifiedImageError, features

logger = logging.getLogger(__name__)

# What browsers can show; anything else Pillow reads (TIFF, BMP, PSD, ...) is refused.
ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP"}
# How each kind of rendition is written, by MIME type.
SAVE_OPTIONS = {
    "image/jpeg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
    "image/webp": {"format": "WEBP", "quality": 80, "method": 4},
}


@dataclass(frozen=True)
class Rendition:
    name: str  # storage name, e.g. articles/2024/11/photo-800w.jpg
    width: int
    height: int
    mime_type: str


@dataclass(frozen=True)
class Photo:
    """A stored photo and the renditions made of it: what the template tag shows."""

    name: str  # the original's storage name
    width: int  # as shown: after the camera's EXIF rotation
    height: int
    size: int  # bytes of the original (feeds announce it)
    renditions: tuple[Rendition, ...]

    def as_record(self) -> dict:
        """The JSON stored in ``Article.image_renditions``."""
        return {
            "name": self.name,
            "width": self.width,
            "height": self.height,
            "size": self.size,
            "renditions": [[r.name, r.width, r.height, r.mime_type] for r in self.renditions],
        }

    @classmethod
    def from_record(cls, record, name: str) -> "Photo | None":
        """The photo ``record`` describes, or None unless it describes ``name``.

        A record of another file (the photo replaced outside the admin, a
        restored revision) or of none is ignored: the tag then links the original.
        """
        if not isinstance(record, dict) or not name or record.get("name") != name:
            return None
        try:
            return cls(
                name=name,
                width=int(record["width"]),
                height=int(record["height"]),
                size=int(record.get("size") or 0),
                renditions=tuple(Rendition(*item) for item in record["renditions"]),
            )
        except (KeyError, TypeError, ValueError):
            logger.warning("Ignoring a malformed record of the renditions of %s", name)
            return None


def rendition_formats() -> list[tuple[str, str, str]]:
    """(Pillow format, extension, MIME type) of the copies this Pillow can write."""
    formats = [("JPEG", "jpg", "image/jpeg")]
    if features.check("webp"):
        formats.append(("WEBP", "webp", "image/webp"))
    return formats


def check_image(uploaded) -> Image.Image:
    """Refuse ``uploaded`` unless it is a photo we can show; return it opened.

    Raises ValidationError with a message in Arabic that names the file and
    says what is wrong. The file is left rewound for saving.
    """
    name = getattr(uploaded, "name", "") or "الملف"
    limit = settings.IMAGE_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            "حجم الصورة «%(name)s» %(size)s، والحد الأقصى %(limit)s. صغّرها ثم أعد رفعها.",
            code="image_too_large",
            params={
                "name": name,
                "size": filesizeformat(uploaded.size),
                "limit": filesizeformat(limit),
            },
        )
    not_an_image = ValidationError(
        "الملف «%(name)s» ليس صورة يمكن قراءتها. ارفع صورة بصيغة JPEG أو PNG أو WebP أو GIF.",
        code="invalid_image",
        params={"name": name},
    )
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image_format = image.format
            width, height = image.size
            # Dimensions come from the header: refuse a bomb before decoding it.
            _check_pixels(name, width, height)
            image.verify()
        # verify() leaves the image unusable and misses truncated JPEGs: decode it fully.
        uploaded.seek(0)
        image = Image.open(uploaded)
        image.load()
    except ValidationError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise not_an_image from None
    finally:
        uploaded.seek(0)
    if image_format not in ACCEPTED_FORMATS:
        raise ValidationError(
            "صيغة الصورة «%(name)s» (%(format)s) لا تعرضها المتصفحات. "
            "ارفع صورة بصيغة JPEG أو PNG أو WebP أو GIF.",
            code="unsupported_image_format",
            params={"name": name, "format": image_format},
        )
    return image


def _check_pixels(name: str, width: int, height: int) -> None:
    if width * height > settings.IMAGE_MAX_PIXELS:
        raise ValidationError(
            "أبعاد الصورة «%(name)s» %(width)s×%(height)s بكسل أكبر من المسموح "
            "(%(limit)s مليون بكسل). صغّرها ثم أعد رفعها.",
            code="image_too_many_pixels",
            params={
                "name": name,
                "width": width,
                "height": height,
                "limit": settings.IMAGE_MAX_PIXELS // 1_000_000,
            },
        )


def rendition_widths(original_width: int) -> list[int]:
    """The widths of the copies made of a photo ``original_width`` pixels wide.

    Never wider than the original: a small photo gets one copy at its own width.
    """
    return sorted({min(width, original_width) for width in settings.IMAGE_RENDITION_WIDTHS})


def rendition_name(original_name: str, width: int, extension: str) -> str:
    """``articles/2024/11/photo.png`` -> ``articles/2024/11/photo-800w.webp``."""
    stem, _ = posixpath.splitext(original_name)
    return f"{stem}-{width}w.{extension}"


def renditions(original_name: str, width: int, height: int) -> list[Rendition]:
    """Every copy of a ``width``×``height`` photo, smallest first, per format."""
    result = []
    for _, extension, mime_type in rendition_formats():
        for copy_width in rendition_widths(width):
            copy_height = max(1, round(height * copy_width / width))
            result.append(
                Rendition(
                    rendition_name(original_name, copy_width, extension),
                    copy_width,
                    copy_height,
                    mime_type,
                )
            )
    return result


def generate_renditions(
    original_name: str, storage: Storage = default_storage, *, keep_existing: bool = False
) -> Photo:
    """Write the resized copies of the stored photo ``original_name``; describe them.

    Safe to run again: existing copies are replaced by identical ones, or
    left as they are with ``keep_existing`` (then only missing ones are made).
    Everything happens in memory: nothing is written but to ``storage``.
    """
    with storage.open(original_name, "rb") as stored:
        size = stored.size
        with Image.open(stored) as opened:
            opened.load()
            # Cameras store rotation in EXIF; apply it, as the copies carry no metadata.
            # (An animated GIF gives its first frame, where Image.open leaves it.)
            image = ImageOps.exif_transpose(opened)
    width, height = image.size
    made = renditions(original_name, width, height)
    if keep_existing:
        missing = [rendition for rendition in made if not storage.exists(rendition.name)]
    else:
        missing = made
    # JPEG has no transparency: its copies are flattened onto white.
    sources = {
        mime_type: _flatten(image) if mime_type == "image/jpeg" else _keep_alpha(image)
        for mime_type in {rendition.mime_type for rendition in missing}
    }
    for rendition in missing:
        source = sources[rendition.mime_type]
        resized = (
            source
            if rendition.width == width
            else source.resize((rendition.width, rendition.height), Image.Resampling.LANCZOS)
        )
        buffer = io.BytesIO()
        resized.save(buffer, **SAVE_OPTIONS[rendition.mime_type])
        if storage.exists(rendition.name):
            storage.delete(rendition.name)
        saved = storage.save(rendition.name, ContentFile(buffer.getvalue()))
        if saved != rendition.name:  # the storage renamed it: the record would not name it
            logger.warning(
                "Rendition of %s stored as %s, not %s", original_name, saved, rendition.name
            )
    return Photo(original_name, width, height, size, tuple(made))


def _flatten(image: Image.Image) -> Image.Image:
    """An RGB copy for JPEG, transparent areas on white."""
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB") if image.mode != "RGB" else image


def _keep_alpha(image: Image.Image) -> Image.Image:
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    return image.convert("RGBA" if has_alpha else "RGB")
