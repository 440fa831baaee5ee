"""Signing in to the newsroom: throttled failures (django-axes) and password rules."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.urls import reverse

from articles.tests.admin_support import EDITORS, PASSWORD, newsroom_user

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Each failed sign-in hashes a password; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _sign_in(client, username, password, address="203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def _fail(client, times, username="muharrir", address="203.0.113.7"):
    for _ in range(times):
        _sign_in(client, username, "كلمة-خاطئة", address)


def test_right_password_signs_in(client, editor):
    response = _sign_in(client, "muharrir", PASSWORD)
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_four_failures_do_not_lock_the_account(client, editor, settings):
    _fail(client, settings.AXES_FAILURE_LIMIT - 1)
    assert _sign_in(client, "muharrir", PASSWORD).status_code == 302


def test_five_failures_lock_the_account_even_with_the_right_password(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    _fail(client, 5)
    response = _sign_in(client, "muharrir", PASSWORD)
    assert response.status_code == 429
    assert client.get("/admin/").status_code == 302  # still signed out


def test_lockout_page_says_why_in_arabic(client, editor):
    _fail(client, 4)
    response = _sign_in(client, "muharrir", "كلمة-خاطئة")
    html = response.content.decode()
    assert response.status_code == 429
    assert 'dir="rtl"' in html
    assert "أُوقف الدخول مؤقتًا" in html
    assert "15 دقيقة" in html


def test_lockout_is_for_that_username_from_that_address(client, editor):
    newsroom_user("zamil", EDITORS)
    _fail(client, 5)
    assert _sign_in(client, "zamil", PASSWORD).status_code == 302
    client.logout()
    assert _sign_in(client, "muharrir", PASSWORD, address="198.51.100.9").status_code == 302


def test_lock_lifts_after_the_cool_off_period(client, editor):
    _fail(client, 5)
    assert _sign_in(client, "muharrir", PASSWORD).status_code == 429
    # The failures happened sixteen minutes ago: past the fifteen-minute cool-off.
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - datetime.timedelta(minutes=16))
    assert _sign_in(client, "muharrir", PASSWORD).status_code == 302


def test_weak_passwords_are_refused(db):
    with pytest.raises(ValidationError):
        validate_password("12345678")
    validate_password(PASSWORD)
