"""Photo checks, renditions and the article_picture tag."""

import io
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from PIL import Image, features

from articles.images import (
    Photo,
    check_image,
    generate_renditions,
    rendition_name,
    rendition_widths,
    renditions,
)
from articles.models import Article

WEBP = features.check("webp")


def image_bytes(width=1600, height=900, image_format="JPEG", mode="RGB", color=(200, 30, 30)):
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, image_format)
    return buffer.getvalue()


def upload(content, name="photo.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


@pytest.fixture
def storage(tmp_path):
    return FileSystemStorage(location=tmp_path, base_url="/media/")


# Checks ---------------------------------------------------------------------


def test_a_jpeg_is_accepted():
    image = check_image(upload(image_bytes()))
    assert image.format == "JPEG"
    assert image.size == (1600, 900)


def test_a_text_file_named_jpg_is_refused_with_the_file_named():
    with pytest.raises(ValidationError) as refused:
        check_image(upload("هذا ليس صورة بل نص عادي".encode(), "خبر.jpg"))
    message = refused.value.messages[0]
    assert "«خبر.jpg» ليس صورة" in message
    assert refused.value.code == "invalid_image"


def test_a_truncated_jpeg_is_refused():
    content = image_bytes()
    with pytest.raises(ValidationError) as refused:
        check_image(upload(content[: len(content) // 2]))
    assert refused.value.code == "invalid_image"


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(settings):
    settings.IMAGE_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as refused:
        check_image(upload(b"x" * 1001))
    assert refused.value.code == "image_too_large"
    assert "الحد الأقصى" in refused.value.messages[0]


def test_an_image_with_too_many_pixels_is_refused(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    with pytest.raises(ValidationError) as refused:
        check_image(upload(image_bytes(2000, 1000, "PNG"), "wide.png"))
    assert refused.value.code == "image_too_many_pixels"
    assert "2000×1000" in refused.value.messages[0]


def test_a_format_browsers_do_not_show_is_refused():
    with pytest.raises(ValidationError) as refused:
        check_image(upload(image_bytes(100, 100, "TIFF"), "scan.tiff"))
    assert refused.value.code == "unsupported_image_format"


# Renditions -----------------------------------------------------------------------


def test_rendition_names_sit_beside_the_original():
    assert rendition_name("articles/2024/11/photo.png", 800, "webp") == (
        "articles/2024/11/photo-800w.webp"
    )


def test_renditions_are_never_wider_than_the_original(settings):
    settings.IMAGE_RENDITION_WIDTHS = [400, 800, 1200]
    assert rendition_widths(3000) == [400, 800, 1200]
    assert rendition_widths(600) == [400, 600]
    assert rendition_widths(300) == [300]


def test_renditions_are_written_for_each_width_and_format(storage, settings):
    settings.IMAGE_RENDITION_WIDTHS = [400, 800, 1200]
    name = storage.save("articles/2024/11/photo.jpg", ContentFile(image_bytes(1600, 900)))
    made = generate_renditions(name, storage).renditions
    expected_formats = {"JPEG", "WEBP"} if WEBP else {"JPEG"}
    assert len(made) == 3 * len(expected_formats)
    for rendition in made:
        with storage.open(rendition.name) as stored, Image.open(stored) as image:
            assert image.size == (rendition.width, rendition.height)
            assert image.format in expected_formats
    assert {r.width for r in made} == {400, 800, 1200}
    assert storage.exists("articles/2024/11/photo-800w.jpg")


@pytest.mark.skipif(not WEBP, reason="this Pillow has no WebP support")
def test_webp_renditions_are_made_where_pillow_supports_them(storage):
    name = storage.save("articles/photo.png", ContentFile(image_bytes(500, 500, "PNG")))
    generate_renditions(name, storage)
    with storage.open("articles/photo-500w.webp") as stored, Image.open(stored) as image:
        assert image.format == "WEBP"


def test_making_renditions_twice_gives_the_same_names(storage):
    name = storage.save("articles/photo.jpg", ContentFile(image_bytes(900, 600)))
    first = generate_renditions(name, storage)
    assert generate_renditions(name, storage) == first


def test_keeping_existing_renditions_makes_only_the_missing_ones(storage):
    name = storage.save("articles/photo.jpg", ContentFile(image_bytes(900, 600)))
    made = generate_renditions(name, storage)
    storage.delete("articles/photo-400w.jpg")
    kept = storage.path("articles/photo-800w.jpg")
    before = Path(kept).stat().st_mtime_ns
    assert generate_renditions(name, storage, keep_existing=True) == made
    assert storage.exists("articles/photo-400w.jpg")
    assert Path(kept).stat().st_mtime_ns == before


def test_the_photo_made_describes_the_original(storage):
    content = image_bytes(1000, 500)
    name = storage.save("articles/photo.jpg", ContentFile(content))
    photo = generate_renditions(name, storage)
    assert (photo.name, photo.width, photo.height, photo.size) == (name, 1000, 500, len(content))


def test_a_record_gives_back_the_photo_it_was_made_from(storage):
    name = storage.save("articles/photo.jpg", ContentFile(image_bytes(1000, 500)))
    photo = generate_renditions(name, storage)
    record = json.loads(json.dumps(photo.as_record()))  # as the JSONField returns it
    assert Photo.from_record(record, name) == photo


def test_a_record_of_another_file_or_none_is_ignored(storage):
    name = storage.save("articles/photo.jpg", ContentFile(image_bytes(300, 200)))
    record = generate_renditions(name, storage).as_record()
    assert Photo.from_record(record, "articles/other.jpg") is None
    assert Photo.from_record(None, name) is None
    assert Photo.from_record({"name": name, "width": "x"}, name) is None


def test_transparent_png_becomes_a_jpeg_on_white(storage):
    name = storage.save(
        "articles/logo.png", ContentFile(image_bytes(100, 100, "PNG", "RGBA", (0, 0, 0, 0)))
    )
    generate_renditions(name, storage)
    with storage.open("articles/logo-100w.jpg") as stored, Image.open(stored) as image:
        assert image.mode == "RGB"
        assert image.getpixel((50, 50)) == (255, 255, 255)


def test_renditions_describe_what_generate_renditions_writes(storage):
    name = storage.save("articles/photo.jpg", ContentFile(image_bytes(1000, 500)))
    assert tuple(renditions(name, 1000, 500)) == generate_renditions(name, storage).renditions


# The template tag --------------------------------------------------------------------


def _render(article, arguments=""):
    template = Template("{% load article_images %}{% article_picture article " + arguments + " %}")
    return template.render(Context({"article": article}))


def _article_with_photo(alt="صورة الوزير في المحطة"):
    name = default_storage.save("articles/2024/11/station.jpg", ContentFile(image_bytes(1600, 900)))
    photo = generate_renditions(name)
    return Article(image=name, image_alt=alt, image_renditions=photo.as_record())


def test_tag_renders_a_picture_with_srcset_sizes_and_dimensions():
    html = _render(_article_with_photo(), 'sizes="(min-inline-size: 60rem) 40rem, 100vw"')
    assert html.startswith("<picture>") and html.endswith("</picture>")
    assert "/media/articles/2024/11/station-400w.jpg 400w" in html
    assert "/media/articles/2024/11/station-1200w.jpg 1200w" in html
    assert 'src="/media/articles/2024/11/station-800w.jpg"' in html
    assert 'sizes="(min-inline-size: 60rem) 40rem, 100vw"' in html
    assert 'width="1600" height="900"' in html
    assert 'alt="صورة الوزير في المحطة"' in html
    assert 'loading="lazy"' in html
    if WEBP:
        assert (
            '<source type="image/webp" srcset="/media/articles/2024/11/station-400w.webp 400w'
            in html
        )


def test_tag_escapes_the_alt_text():
    html = _render(_article_with_photo(alt='"><script>alert(1)</script>'))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_tag_loads_the_lead_photo_eagerly():
    html = _render(_article_with_photo(), 'loading="eager" fetchpriority="high"')
    assert 'loading="eager"' in html
    assert 'fetchpriority="high"' in html


def test_tag_renders_nothing_for_a_story_without_a_photo():
    assert _render(Article()) == ""


def test_tag_never_asks_the_storage_about_files(monkeypatch):
    article = _article_with_photo()
    for question in ("exists", "size", "open", "listdir"):

        def refuse(*args, question=question, **kwargs):
            raise AssertionError(f"the tag asked the storage: {question}")

        monkeypatch.setattr(FileSystemStorage, question, refuse)
    html = _render(article)
    assert "/media/articles/2024/11/station-400w.jpg 400w" in html
    assert 'width="1600" height="900"' in html


def test_tag_falls_back_to_the_original_without_a_record_of_renditions():
    name = default_storage.save("articles/plain.jpg", ContentFile(image_bytes(300, 200)))
    generate_renditions(name)  # made, but not recorded on the story
    html = _render(Article(image=name, image_alt="صورة"))
    assert 'src="/media/articles/plain.jpg"' in html
    assert "srcset" not in html
    assert "width=" not in html


def test_tag_ignores_the_record_of_a_replaced_photo():
    article = _article_with_photo()
    article.image = "articles/2024/11/replaced.jpg"
    html = _render(article)
    assert 'src="/media/articles/2024/11/replaced.jpg"' in html
    assert "station" not in html
