"""The address a sign-in came from behind our proxies (newsportal.client_ip)."""

import pytest
from django.contrib.auth.models import User
from django.test import Client, RequestFactory

from newsportal.client_ip import client_ip


def request(forwarded=None, remote="10.0.0.8"):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **headers)


def test_with_no_proxy_the_connecting_address_counts_whatever_the_header(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 0
    assert client_ip(request("203.0.113.5")) == "10.0.0.8"


def test_behind_two_proxies_the_client_is_the_address_the_first_one_saw(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2
    # Varnish appended the client, HAProxy appended Varnish; HAProxy connects.
    assert client_ip(request("203.0.113.5, 10.0.0.7")) == "203.0.113.5"


def test_an_address_the_client_wrote_itself_is_not_believed(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert client_ip(request("1.2.3.4, 203.0.113.5, 10.0.0.7")) == "203.0.113.5"
    assert client_ip(request("1.2.3.4,5.6.7.8, 203.0.113.5 ,10.0.0.7")) == "203.0.113.5"


def test_a_request_that_skipped_the_proxies_counts_its_first_address(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2
    assert client_ip(request()) == "10.0.0.8"
    assert client_ip(request("")) == "10.0.0.8"


@pytest.mark.django_db
def test_behind_proxies_a_lockout_is_the_attackers_not_every_readers(settings):
    settings.AXES_IPWARE_PROXY_COUNT = 2
    User.objects.create_user("editor", password="right-password", is_staff=True)
    attacker = Client(REMOTE_ADDR="10.0.0.8", HTTP_X_FORWARDED_FOR="198.51.100.9, 10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attacker.post("/admin/login/", {"username": "editor", "password": "wrong"})
    locked = attacker.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert locked.status_code == 429
    # The editor, through the same proxies from their own address, still signs in.
    editor = Client(REMOTE_ADDR="10.0.0.8", HTTP_X_FORWARDED_FOR="203.0.113.5, 10.0.0.7")
    answer = editor.post("/admin/login/", {"username": "editor", "password": "right-password"})
    assert answer.status_code == 302
