import pytest

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_front_page_is_arabic_and_right_to_left(client, make_article):
    make_article(headline="افتتاح معرض الكتاب في القاهرة")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "افتتاح معرض الكتاب في القاهرة" in html


def test_front_page_hides_drafts_withdrawn_and_scheduled(client, make_article):
    import datetime

    from django.utils import timezone

    make_article(headline="مسودة لم تنشر", status=Article.Status.DRAFT)
    make_article(headline="خبر مسحوب", status=Article.Status.WITHDRAWN)
    make_article(headline="خبر مجدول", published_at=timezone.now() + datetime.timedelta(hours=1))
    html = client.get("/").content.decode()
    assert "مسودة لم تنشر" not in html
    assert "خبر مسحوب" not in html
    assert "خبر مجدول" not in html


def test_story_page_shows_every_part(client, make_article):
    article = make_article(
        headline="أمطار غزيرة في بيروت",
        dateline="بيروت",
        image_caption="صورة لشارع غمرته المياه (أ ف ب)",
        publisher="موقع الخبر",
        paragraphs=("هطلت أمطار غزيرة.", "وأغلقت بعض الطرق."),
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "أمطار غزيرة في بيروت" in html
    assert "بيروت - </span>هطلت أمطار غزيرة." in html
    assert "صورة لشارع غمرته المياه (أ ف ب)" in html
    assert "موقع الخبر" in html
    assert html.index("هطلت أمطار غزيرة.") < html.index("وأغلقت بعض الطرق.")


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.WITHDRAWN])
def test_story_page_of_an_unreleased_story_is_not_found(client, make_article, status):
    article = make_article(status=status)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_wire_text_is_escaped(client, make_article):
    article = make_article(headline="<script>alert(1)</script>", paragraphs=("<b>نص</b>",))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "&lt;b&gt;نص&lt;/b&gt;" in html


def test_unknown_page_answers_404_in_arabic(client):
    response = client.get("/story/لا-يوجد/")
    assert response.status_code == 404
    assert "الصفحة غير موجودة" in response.content.decode()
