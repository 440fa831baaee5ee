"""The record_renditions command: photos from before their renditions were recorded."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from PIL import Image

from articles.images import generate_renditions

pytestmark = pytest.mark.django_db


def record(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("record_renditions", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def stored_photo(name="articles/2024/11/station.jpg", width=1000, height=600):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 90, 40)).save(buffer, "JPEG")
    return default_storage.save(name, ContentFile(buffer.getvalue()))


def test_a_photo_without_a_record_gets_its_renditions_made_and_recorded(make_article):
    article = make_article(image=stored_photo())
    out, _ = record()
    article.refresh_from_db()
    assert article.image_renditions["name"] == article.image.name
    assert (article.image_renditions["width"], article.image_renditions["height"]) == (1000, 600)
    assert default_storage.exists("articles/2024/11/station-400w.jpg")
    assert out.strip() == "سُجّلت نسخ الصور في خبر واحد"


def test_renditions_already_made_are_recorded_without_being_made_again(make_article, monkeypatch):
    name = stored_photo()
    made = generate_renditions(name)
    article = make_article(image=name)

    def refuse(*args, **kwargs):
        raise AssertionError("a rendition was written again")

    monkeypatch.setattr(FileSystemStorage, "save", refuse)
    record()
    article.refresh_from_db()
    assert article.image_renditions == made.as_record()


def test_a_photo_already_recorded_is_left_alone(make_article):
    name = stored_photo()
    make_article(image=name, image_renditions=generate_renditions(name).as_record())
    make_article()  # no photo
    out, _ = record()
    assert out.strip() == "لا صور تنتظر تسجيل نسخها"


def test_the_record_of_a_replaced_photo_is_made_again(make_article):
    old = stored_photo("articles/old.jpg")
    article = make_article(
        image=stored_photo(), image_renditions=generate_renditions(old).as_record()
    )
    record()
    article.refresh_from_db()
    assert article.image_renditions["name"] == article.image.name


def test_a_missing_file_is_reported_and_the_others_recorded(make_article):
    make_article(image="articles/gone.jpg")
    kept = make_article(image=stored_photo())
    out, err = record()
    assert "articles/gone.jpg" in err
    kept.refresh_from_db()
    assert kept.image_renditions["name"] == kept.image.name
    assert out.strip() == "سُجّلت نسخ الصور في خبر واحد، وتعذّر تسجيلها في خبر واحد"


def test_remake_makes_every_photos_renditions_again(make_article):
    name = stored_photo()
    make_article(image=name, image_renditions=generate_renditions(name).as_record())
    default_storage.delete("articles/2024/11/station-400w.jpg")
    record("--remake")
    assert default_storage.exists("articles/2024/11/station-400w.jpg")
