import pytest
from django.db import connection


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


# Transactional: the test closes the connection, which a wrapping transaction
# would not survive.
@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_when_the_database_does_not(client, settings, monkeypatch):
    # A real connection to a port nobody listens on, not a mock.
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "HOST", "127.0.0.1")
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", {"connect_timeout": 2})
    try:
        response = client.get("/healthz")
    finally:
        connection.close()
    assert response.status_code == 503


@pytest.mark.django_db
def test_healthz_needs_no_allowed_host_and_no_https(client, settings):
    # Docker's HEALTHCHECK asks from inside the container, by plain HTTP.
    settings.ALLOWED_HOSTS = ["news.example"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
