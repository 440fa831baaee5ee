"""Helpers for the admin's tests: newsroom users, and forms posted as a browser would.

``form_data`` reads the fields of a rendered admin form from its HTML, so a
test posts exactly what an editor's browser would send, changed only where
the test says so; a crafted request is that, plus fields the page never offered.
"""

import importlib
from html.parser import HTMLParser

from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

# The roles created by migration 0003_editor_roles.
EDITORS = "المحررون"
CONTRIBUTORS = "المساهمون"
PASSWORD = "كلمة-سر-طويلة-للاختبار-2024"


def role(name: str) -> Group:
    """The role the data migration created; made again as it would if a test emptied the tables.

    (A live_server test flushes the database, migration rows included.)
    """
    group, created = Group.objects.get_or_create(name=name)
    if created:
        migration = importlib.import_module("articles.migrations.0003_editor_roles")
        wanted = {
            EDITORS: migration.EDITOR_PERMISSIONS,
            CONTRIBUTORS: migration.CONTRIBUTOR_PERMISSIONS,
        }[name]
        group.permissions.set(
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in wanted
        )
    return group


def newsroom_user(username: str, group: str) -> User:
    """A staff member in one of the newsroom's roles."""
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(role(group))
    return user


def reloaded(article):
    """``article`` as the database holds it now."""
    article.refresh_from_db()
    return article


def paragraph_texts(article) -> list[str]:
    """``article``'s paragraphs, in order."""
    return list(article.paragraphs.order_by("position").values_list("text", flat=True))


def change_url(article) -> str:
    return reverse("admin:articles_article_change", args=[article.pk])


def changelist_url() -> str:
    return reverse("admin:articles_article_changelist")


class _FormFields(HTMLParser):
    """The successful controls of one <form>, in document order."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form":
            self.inside = attributes.get("id") == self.form_id
            return
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name and "disabled" not in attributes:
            kind = attributes.get("type", "text")
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attributes:
                return
            self.fields.append(
                (name, attributes.get("value") or ("on" if kind == "checkbox" else ""))
            )
        elif tag == "select" and name:
            self._select, self._select_options = name, []
        elif tag == "option" and self._select is not None:
            self._select_options.append((attributes.get("value", ""), "selected" in attributes))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            chosen = [value for value, selected in self._select_options if selected]
            if not chosen and self._select_options:
                chosen = [self._select_options[0][0]]
            self.fields += [(self._select, value) for value in chosen]
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            # Browsers drop the newline that Django writes after <textarea>.
            self.fields.append((self._textarea, text.removeprefix("\r\n").removeprefix("\n")))
            self._textarea = None


def form_data(response, form_id: str = "article_form") -> dict:
    """What a browser would post from the form ``form_id`` of ``response``."""
    assert response.status_code == 200, response.status_code
    parser = _FormFields(form_id)
    parser.feed(response.content.decode())
    data: dict = {}
    for name, value in parser.fields:
        if name in data:
            data[name] = (
                [*data[name], value] if isinstance(data[name], list) else [data[name], value]
            )
        else:
            data[name] = value
    assert data, f"no form #{form_id} on the page"
    return data


def paragraph_rows(data: dict) -> list[str]:
    """The inline paragraph form prefixes present in ``data``, e.g. ['paragraphs-0', ...]."""
    total = int(data["paragraphs-TOTAL_FORMS"])
    return [f"paragraphs-{index}" for index in range(total)]
