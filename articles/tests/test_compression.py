"""Pages leave gzipped for browsers that ask (GZipMiddleware, newsportal/settings.py)."""

import gzip

GZIPPED = {"accept-encoding": "gzip, deflate, br"}


def test_a_reader_page_is_gzipped_when_the_browser_accepts_it(client, story):
    article = story(headline="خبر يصل مضغوطا")
    response = client.get(article.get_absolute_url(), headers=GZIPPED)
    assert response["Content-Encoding"] == "gzip"
    assert "خبر يصل مضغوطا" in gzip.decompress(response.content).decode()


def test_a_reader_page_is_plain_for_a_client_that_does_not_ask(client, story):
    response = client.get(story().get_absolute_url())
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!doctype html>")


def test_caches_keep_the_gzipped_and_the_plain_page_apart(client, story):
    response = client.get(story().get_absolute_url(), headers=GZIPPED)
    assert "Accept-Encoding" in response["Vary"]


def test_the_same_page_never_compresses_to_the_same_bytes_twice(client, story):
    # Django pads each gzip header with random bytes ("Heal The BREACH"): the
    # compressed length no longer tells an attacker (BREACH) how well a guess
    # at a secret on the page compressed against it.
    path = story().get_absolute_url()
    lengths = {len(client.get(path, headers=GZIPPED).content) for _ in range(6)}
    assert len(lengths) > 1
