import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article, Paragraph, Source
from articles.search.index import refresh_search_vectors
from articles.tests.admin_support import CONTRIBUTORS, EDITORS, newsroom_user

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).resolve().parents[2] / "samples" / "000_cd5be3f60da65570.txt"


@pytest.fixture
def seed_bytes():
    return SEED.read_bytes()


@pytest.fixture
def make_article(db):
    """Create an article with paragraphs; published an hour ago unless told otherwise."""
    counter = iter(range(1, 10_000))

    def make(
        headline="وزير الري يفتتح محطة جديدة لتحلية المياه",
        status=Article.Status.PUBLISHED,
        published_at=None,
        paragraphs=("افتتح وزير الري اليوم محطة جديدة.", "وتنتج المحطة مياه الشرب لآلاف الأسر."),
        source="بترا",
        **fields,
    ):
        number = next(counter)
        article = Article.objects.create(
            guid=fields.pop("guid", f"test:{number}:{headline}"),
            headline=headline,
            slug=fields.pop("slug", f"خبر-{number}"),
            source=Source.objects.get_or_create(name=source)[0],
            status=status,
            published_at=published_at or timezone.now() - datetime.timedelta(hours=1),
            **fields,
        )
        Paragraph.objects.bulk_create(
            Paragraph(article=article, position=position, text=text)
            for position, text in enumerate(paragraphs, 1)
        )
        return article

    return make


@pytest.fixture
def story(make_article):
    """Create a story and index it, as every write path does."""

    def make(*args, **kwargs):
        article = make_article(*args, **kwargs)
        refresh_search_vectors([article.pk])
        return article

    return make


@pytest.fixture
def editor(db):
    """A newsroom editor: may publish, schedule, unpublish and withdraw."""
    return newsroom_user("muharrir", EDITORS)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def contributor(db):
    """A newsroom contributor: writes and edits drafts only."""
    return newsroom_user("musahim", CONTRIBUTORS)


@pytest.fixture
def contributor_client(client, contributor):
    client.force_login(contributor)
    return client
