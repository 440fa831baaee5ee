"""Copies of one story in the admin's story list: the column, the filter, split and merge."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.permissions import REGROUP_REFUSAL
from articles.tests.admin_support import changelist_url, form_data
from articles.tests.grouping_support import (
    DISPATCH,
    SAME_TOPIC,
    TRAILER,
    group_of,
    ids,
    import_stories,
    stored,
    wire_story,
)

pytestmark = pytest.mark.django_db

PUBLISHED = {"status": "published"}


@pytest.fixture
def copies():
    """AFP's dispatch and two outlets' copies of it, published and grouped on import; and
    another dispatch of the same day, alone."""
    import_stories(
        wire_story("afp", DISPATCH, **PUBLISHED),
        wire_story("outlet", [*DISPATCH[:4], TRAILER], **PUBLISHED),
        wire_story("site", ["أ ف ب - الأمة برس", *DISPATCH[:3]], **PUBLISHED),
        wire_story("other", SAME_TOPIC, **PUBLISHED),
    )
    assert group_of("afp") == group_of("outlet") == group_of("site") != group_of("other")


def act(client, action: str, *guids: str, follow: bool = False):
    """Post the story list's action on the stories ``guids``, as the list's form does."""
    data = {"action": action, "_selected_action": ids(*guids), "index": "0"}
    return client.post(changelist_url(), data, follow=follow)


def listed(client, query: str = "") -> set[str]:
    response = client.get(changelist_url() + query)
    assert response.status_code == 200
    return {article.guid for article in response.context["cl"].result_list}


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


# The column ------------------------------------------------------------------


def test_the_column_counts_the_copies_and_links_to_them(copies, editor_client):
    html = editor_client.get(changelist_url()).content.decode()
    link = f"{changelist_url()}?story_group__id__exact={group_of('afp')}"
    assert f'href="{link}"' in html
    assert "3 نسخ" in html


def test_the_column_shows_a_dash_for_a_story_alone(copies, editor_client):
    response = editor_client.get(changelist_url() + "?copies=alone")
    row = response.content.decode().split('class="field-story_copies"', 1)[1][:20]
    assert row.startswith(">—<")


def test_the_columns_link_lists_the_groups_copies(copies, editor_client):
    query = f"?story_group__id__exact={group_of('afp')}"
    assert listed(editor_client, query) == {"afp", "outlet", "site"}


def test_the_column_costs_no_query_a_row(copies, editor_client, django_assert_max_num_queries):
    import_stories(*(wire_story(f"brief-{n}", [f"عاجل رقم {n} من الميناء"]) for n in range(20)))
    editor_client.get(changelist_url())
    with django_assert_max_num_queries(15):
        editor_client.get(changelist_url())


# The filter ------------------------------------------------------------------


def test_the_filter_lists_stories_with_copies(copies, editor_client):
    assert listed(editor_client, "?copies=grouped") == {"afp", "outlet", "site"}


def test_the_filter_lists_stories_alone(copies, editor_client):
    assert listed(editor_client, "?copies=alone") == {"other"}


def test_the_filter_lists_the_editors_decisions(copies, editor_client):
    act(editor_client, "split_from_group", "outlet")
    assert listed(editor_client, "?copies=by_editor") == {"outlet"}
    assert listed(editor_client, "?copies=alone") == {"other", "outlet"}


def test_the_filter_is_offered_in_arabic(copies, editor_client):
    html = editor_client.get(changelist_url()).content.decode()
    assert "نسخ الخبر نفسه" in html
    assert "?copies=by_editor" in html


# Split and merge -------------------------------------------------------------


def test_editor_sees_split_and_merge(copies, editor_client):
    html = editor_client.get(changelist_url()).content.decode()
    assert 'value="split_from_group"' in html and "فصل عن المجموعة" in html
    assert 'value="merge_groups"' in html and "دمج في مجموعة واحدة" in html


def test_split_takes_the_story_out_of_its_group(copies, editor_client):
    response = act(editor_client, "split_from_group", "outlet", follow=True)
    assert response.status_code == 200
    outlet = stored("outlet")
    assert (outlet.story_group_id, outlet.is_grouped_by_editor) == (None, True)
    assert group_of("afp") == group_of("site")
    assert "عدد الأخبار المفصولة عن نسخها: 1." in " ".join(texts(response))


def test_merge_joins_the_groups(copies, editor_client):
    response = act(editor_client, "merge_groups", "site", "other", follow=True)
    assert len({group_of(g) for g in ("afp", "outlet", "site", "other")}) == 1
    assert "4 نسخ" in " ".join(texts(response))


def test_merge_needs_two_stories(copies, editor_client):
    response = act(editor_client, "merge_groups", "other", follow=True)
    assert "اختر خبرين على الأقل" in " ".join(texts(response))
    assert not stored("other").is_grouped_by_editor


def test_a_split_is_kept_when_another_copy_is_imported(copies, editor_client):
    act(editor_client, "split_from_group", "outlet")
    import_stories(wire_story("late", ["أ ف ب - الأمة برس", *DISPATCH[:4]]))
    assert group_of("outlet") is None
    assert group_of("late") == group_of("afp")


def test_a_merge_is_kept_when_another_copy_is_imported(copies, editor_client):
    act(editor_client, "merge_groups", "afp", "other")
    import_stories(wire_story("other", [*SAME_TOPIC, TRAILER], version=2))
    assert group_of("other") == group_of("afp")


def test_split_and_merge_keep_text_status_and_guid(copies, editor_client):
    def snapshot():
        return list(
            Article.objects.order_by("pk").values_list("guid", "headline", "status", "slug")
        )

    before = snapshot()
    act(editor_client, "merge_groups", "afp", "other")
    act(editor_client, "split_from_group", "outlet")
    assert snapshot() == before


def test_withdrawing_one_copy_leaves_the_others_published(copies, editor_client):
    act(editor_client, "withdraw", "afp")
    assert stored("afp").status == Article.Status.WITHDRAWN
    assert {stored(g).status for g in ("outlet", "site")} == {Article.Status.PUBLISHED}
    assert group_of("outlet") == group_of("afp")


# Who may ---------------------------------------------------------------------


def test_contributor_sees_neither_split_nor_merge(copies, contributor_client):
    html = contributor_client.get(changelist_url()).content.decode()
    assert 'value="split_from_group"' not in html
    assert 'value="merge_groups"' not in html


@pytest.mark.parametrize("action", ["split_from_group", "merge_groups"])
def test_a_contributors_forged_post_is_refused_with_a_message(copies, contributor_client, action):
    before = list(Article.objects.order_by("pk").values_list("story_group", "is_grouped_by_editor"))
    response = act(contributor_client, action, "outlet", "other", follow=True)
    assert response.status_code == 200
    assert REGROUP_REFUSAL in texts(response)
    after = list(Article.objects.order_by("pk").values_list("story_group", "is_grouped_by_editor"))
    assert after == before


# Restoring a text ------------------------------------------------------------


def test_restoring_an_earlier_text_keeps_the_split(copies, editor_client):
    act(editor_client, "split_from_group", "outlet")
    outlet = stored("outlet")
    before_split = Version.objects.get_for_object(outlet).order_by("pk").first()
    assert before_split.field_dict["story_group_id"] == group_of("afp")
    url = reverse("admin:articles_article_revision", args=[outlet.pk, before_split.pk])
    assert editor_client.post(url, form_data(editor_client.get(url))).status_code == 302
    outlet.refresh_from_db()
    assert (outlet.story_group_id, outlet.is_grouped_by_editor) == (None, True)


def test_sorting_by_the_column_puts_the_largest_group_first(copies, editor_client, make_article):
    make_article(guid="newsroom")
    column = editor_client.get(changelist_url()).context["cl"].list_display.index("story_copies")
    response = editor_client.get(f"{changelist_url()}?o=-{column}")
    first = {article.guid for article in response.context["cl"].result_list[:3]}
    assert first == {"afp", "outlet", "site"}


def test_the_list_searches_with_the_column(copies, editor_client):
    assert "afp" in listed(editor_client, "?q=" + "عنوان afp")
