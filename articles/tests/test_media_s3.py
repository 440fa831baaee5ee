"""Photos in S3-compatible object storage (MEDIA_STORAGE=s3), against moto's server on loopback."""

import io
import json
import os
import re
import subprocess
import sys
import urllib.request
import uuid
from html import unescape
from pathlib import Path

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from moto.server import ThreadedMotoServer
from PIL import Image

from articles.models import Article
from articles.tests.admin_support import change_url, form_data

ROOT = Path(__file__).resolve().parents[2]
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint():
    """An S3-compatible server of the session's own, on a free loopback port."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def s3_settings(s3_endpoint):
    """The django-storages settings newsportal/settings.py makes for MEDIA_STORAGE=s3.

    Read once, in a new process, from the environment a deployment would set.
    """
    names = [
        "AWS_S3_ENDPOINT_URL",
        "AWS_S3_REGION_NAME",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_S3_CUSTOM_DOMAIN",
        "AWS_QUERYSTRING_AUTH",
        "AWS_DEFAULT_ACL",
        "AWS_S3_FILE_OVERWRITE",
        "AWS_S3_OBJECT_PARAMETERS",
    ]
    made = _settings_in_a_new_process(
        f"{{name: getattr(s, name) for name in {names!r}}} | {{'STORAGE': s.STORAGES['default']}}",
        _s3_environment("placeholder", s3_endpoint),
    )
    assert made.pop("STORAGE") == {"BACKEND": "storages.backends.s3.S3Storage"}
    return made


@pytest.fixture
def s3_media(settings, s3_endpoint, s3_settings):
    """Photos stored in a fresh bucket, with the settings MEDIA_STORAGE=s3 makes."""
    bucket = f"photos-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=bucket)
    # Readers may fetch any photo, as README.md tells a deployment to allow.
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(public_read_policy(bucket)))
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage"},
    }
    settings.AWS_STORAGE_BUCKET_NAME = bucket
    for name, value in s3_settings.items():
        setattr(settings, name, value)
    return bucket


def public_read_policy(bucket: str) -> dict:
    """A bucket policy letting anyone read its objects, and nothing else."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }


def _s3_environment(bucket: str, endpoint: str) -> dict:
    return {
        "MEDIA_STORAGE": "s3",
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": REGION,
        **CREDENTIALS,
    }


def _settings_in_a_new_process(expression: str, environment: dict, *, check=True):
    """``expression`` over the settings (``s``) that ``environment`` makes, as JSON."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import json; from django.conf import settings as s; print(json.dumps({expression}))",
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsportal.settings",
            "ENV_FILE": "",
            **environment,
        },
        capture_output=True,
        text=True,
    )
    if not check:
        return result
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _image_bytes(width=1600, height=900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def _upload_photo(client, article):
    """Attach a photo to ``article`` through its admin form, as an editor's browser would."""
    photo = io.BytesIO(_image_bytes())
    photo.name = "محطة التحلية.jpg"
    data = form_data(client.get(change_url(article))) | {
        "image": photo,
        "image_alt": "محطة تحلية المياه من الخارج",
        "_save": "1",
    }
    response = client.post(change_url(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return article


def _image_urls(html: str) -> list[str]:
    urls = re.findall(r'<img[^>]* src="([^"]+)"', html)
    for srcset in re.findall(r'srcset="([^"]+)"', html):
        urls += [item.strip().split(" ")[0] for item in unescape(srcset).split(",")]
    return [unescape(url) for url in urls]


# The settings ---------------------------------------------------------------------


def test_settings_keep_photos_on_the_filesystem_by_default():
    backend = _settings_in_a_new_process("s.STORAGES['default']['BACKEND']", {})
    assert backend == "django.core.files.storage.FileSystemStorage"


def test_settings_store_photos_in_s3_with_plain_urls_and_unique_names(s3_settings):
    assert s3_settings["AWS_QUERYSTRING_AUTH"] is False
    assert s3_settings["AWS_S3_FILE_OVERWRITE"] is False
    assert s3_settings["AWS_DEFAULT_ACL"] is None
    assert s3_settings["AWS_S3_CUSTOM_DOMAIN"] is None


def test_django_never_serves_photos_from_a_bucket():
    environment = {"DEBUG": "1", **_s3_environment("photos", "http://127.0.0.1:9")}
    assert _settings_in_a_new_process("s.SERVE_MEDIA", environment) is False


def test_settings_put_a_cdn_in_front_of_the_bucket():
    environment = {
        "AWS_S3_CUSTOM_DOMAIN": "photos.news.example",
        **_s3_environment("photos", "http://127.0.0.1:9"),
    }
    assert _settings_in_a_new_process("s.AWS_S3_CUSTOM_DOMAIN", environment) == (
        "photos.news.example"
    )


def test_settings_refuse_an_unknown_media_storage():
    result = _settings_in_a_new_process("s.STORAGES", {"MEDIA_STORAGE": "ftp"}, check=False)
    assert result.returncode != 0
    assert "MEDIA_STORAGE is `filesystem` or `s3`, not 'ftp'" in result.stderr


# A photo uploaded through the admin -------------------------------------------------


def test_uploaded_photo_and_renditions_are_served_from_the_bucket(
    s3_media, s3_endpoint, editor_client, make_article
):
    article = _upload_photo(editor_client, make_article())
    html = editor_client.get(article.get_absolute_url()).content.decode()
    urls = _image_urls(html)
    assert len(urls) > 3  # the fallback, and every width of every format
    for url in urls:
        assert url.startswith(f"{s3_endpoint}/{s3_media}/articles/"), url
        assert "?" not in url  # not signed: the page may be cached longer than a signature
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            Image.open(io.BytesIO(response.read())).verify()


def test_the_story_records_its_renditions_where_they_were_made(
    s3_media, editor_client, make_article
):
    article = _upload_photo(editor_client, make_article())
    record = article.image_renditions
    assert record["name"] == article.image.name
    assert (record["width"], record["height"]) == (1600, 900)
    for name, *_ in record["renditions"]:
        assert default_storage.exists(name)


def test_two_photos_with_one_name_do_not_overwrite_each_other(
    s3_media, editor_client, make_article
):
    first = _upload_photo(editor_client, make_article())
    second = _upload_photo(editor_client, make_article())
    assert first.image.name != second.image.name
    assert Article.objects.get(pk=first.pk).image.name == first.image.name


def test_nothing_is_written_to_the_server_disk(s3_media, editor_client, make_article):
    article = _upload_photo(editor_client, make_article())
    editor_client.get(article.get_absolute_url())
    assert not Path(django_settings.MEDIA_ROOT).exists()


def test_rendering_a_page_asks_the_bucket_nothing(
    s3_media, editor_client, make_article, monkeypatch
):
    article = _upload_photo(editor_client, make_article())
    asked = []
    from botocore.client import BaseClient

    original = BaseClient._make_api_call

    def counting(self, operation, params):
        asked.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", counting)
    editor_client.get(article.get_absolute_url())
    editor_client.get("/")
    assert asked == []
