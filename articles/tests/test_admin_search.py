"""The admin's story list searched with the site's search engine, every status included."""

import pytest

from articles.models import Article
from articles.tests.search.support import frame

pytestmark = pytest.mark.django_db


def test_admin_search_finds_drafts_with_the_same_normalisation(admin_client, story):
    story(headline="مسودة عن كابول", status=Article.Status.DRAFT, paragraphs=frame("الأفغانية"))
    story(headline="خبر آخر", paragraphs=frame("العراقية"))
    response = admin_client.get("/admin/articles/article/", {"q": "الافغانيه"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "مسودة عن كابول" in html
    assert "خبر آخر" not in html


def test_admin_search_still_matches_part_of_a_headline(admin_client, story):
    story(headline="مسودة عن كابول", status=Article.Status.DRAFT)
    html = admin_client.get("/admin/articles/article/", {"q": "ودة عن"}).content.decode()
    assert "مسودة عن كابول" in html
