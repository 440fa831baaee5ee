"""The newsroom's article form and its paragraphs' inline formset; the search page's form.

The form is the first of the admin's guards on the publishing workflow: it
asks ``articles.permissions`` whether its user may release a story or change
this one, whatever the request carries (the admin also makes those fields
read-only for them, and ``ArticleAdmin.save_model`` checks once more).
"""

import datetime
import re

import reversion
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone
from PIL import Image

from articles import dates, edit_conflicts, permissions, sharing
from articles.images import check_image
from articles.models import Article, Paragraph, Source
from articles.workflow_actions import WorkflowActionCheck


class CheckedImageField(forms.ImageField):
    """An image upload checked by ``articles.images.check_image``.

    Replaces Django's own check so a file that is too large is refused before
    Pillow reads it, and every refusal says in Arabic which file and why.
    """

    def to_python(self, data):
        uploaded = forms.FileField.to_python(self, data)
        if uploaded is None:
            return None
        image = check_image(uploaded)
        uploaded.image = image
        uploaded.content_type = Image.MIME.get(image.format)
        return uploaded


# The story form's fields, in the groups the newsroom's form shows them:
# the headline, then (after the paragraphs) one section per group.
HEADLINE_FIELDS = ["headline"]
SOURCE_FIELDS = ["source", "publisher", "byline", "section", "dateline"]
LINK_FIELDS = ["slug"]
STORY_FIELDS = [*HEADLINE_FIELDS, *SOURCE_FIELDS, *LINK_FIELDS]
# The status is no field: the workflow bar's buttons move a story (articles.admin_workflow).
PUBLISHING_FIELDS = ["published_at"]
PHOTO_FIELDS = ["image", "image_alt", "image_caption"]
SHARING_FIELDS = ["social_title", "description"]
PUBLISHED_AT_BOXES = ["تاريخ النشر", "ساعة النشر"]


class ArticleAdminForm(edit_conflicts.EditConflictCheck, WorkflowActionCheck, forms.ModelForm):
    # Set per request by ArticleAdmin.get_form; until then nobody's
    # permissions (None would mean the operator's, see articles.permissions).
    user = AnonymousUser()

    @property
    def can_publish(self) -> bool:
        return permissions.can_publish(self.user)

    class Meta:
        model = Article
        fields = [*STORY_FIELDS, *PUBLISHING_FIELDS, *PHOTO_FIELDS, *SHARING_FIELDS]
        field_classes = {"image": CheckedImageField}
        widgets = {
            "headline": forms.TextInput(attrs={"class": "vLargeTextField", "dir": "auto"}),
            "image_caption": forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
            "image_alt": forms.TextInput(attrs={"class": "vLargeTextField", "dir": "auto"}),
            "social_title": forms.TextInput(attrs={"class": "vLargeTextField", "dir": "auto"}),
            "description": forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        }
        help_texts = {
            "published_at": "تاريخ الخبر كما يراه القراء. «جدولة» تنشره وحده في هذا الموعد؛ "
            "«نشر الآن» ينشره فورًا، ويبقى تاريخًا أقدم إن كتبته.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._show_sharing_defaults()
        field = self.fields.get("published_at")
        if field is not None:
            field.required = False
            # The admin's split widget has one <label>, for its date box: name both boxes.
            boxes = getattr(field.widget, "widgets", ())
            for box, name in zip(boxes, PUBLISHED_AT_BOXES, strict=False):
                box.attrs.setdefault("aria-label", name)
            if self.instance.pk is None:
                # A new story has no time until it is published: empty means "now".
                field.show_hidden_initial = False
                self.initial["published_at"] = None

    def _show_sharing_defaults(self):
        # What readers' link cards get when the field is left empty (articles.sharing).
        if "social_title" in self.fields:
            self.fields["social_title"].widget.attrs["placeholder"] = (
                self.instance.headline or "العنوان نفسه"
            )
        if "description" in self.fields:
            first = None
            if self.instance.pk:
                first = self.instance.paragraphs.order_by("position").first()
            default = sharing.description("", first.text if first else "")
            self.fields["description"].widget.attrs["placeholder"] = (
                default or "مطلع الفقرة الأولى، مختصراً"
            )

    def clean_published_at(self):
        when = self.cleaned_data.get("published_at")
        today = timezone.localdate()
        # The importer's rule too: a date no story can carry breaks every
        # calculation made from it (the admin's date filter, the archive).
        if when is not None and not dates.is_plausible_story_date(when.date(), today):
            first, last = dates.story_date_window(today)
            raise ValidationError(
                f"وقت النشر خارج المدى المقبول (من {first.isoformat()} إلى {last.isoformat()}).",
                code="implausible_date",
            )
        return when

    def clean(self):
        cleaned = super().clean()
        self._require_alt_text(cleaned)
        if self.workflow_action and not self._action_allowed():
            return cleaned
        if self.can_publish:
            self._settle_publication_time(cleaned)
        else:
            self._refuse_release(cleaned)
        return cleaned

    def _require_alt_text(self, cleaned):
        image = cleaned.get("image", self.instance.image if "image" not in self.fields else None)
        if "image_alt" in self.fields and image and not cleaned.get("image_alt", "").strip():
            self.add_error(
                "image_alt",
                ValidationError(
                    "اكتب نصًا بديلًا يصف الصورة لمن لا يراها؛ هو مطلوب ما دامت للخبر صورة."
                    # Browsers never refill a file input: say so, or the photo is silently lost.
                    + (" ثم اختر ملف الصورة من جديد." if "image" in self.files else ""),
                    code="alt_required",
                ),
            )

    def _refuse_release(self, cleaned):
        # self.instance still holds the stored values here: _post_clean copies
        # the form's data onto it only after clean().
        if self.instance.pk and not permissions.is_editable_by(self.user, self.instance):
            raise ValidationError(permissions.RELEASED_STORY_REFUSAL, code="released")
        if "published_at" in self.fields and "published_at" in self.changed_data:
            self.add_error(
                "published_at",
                ValidationError("وقت النشر يحدده المحررون.", code="publish_forbidden"),
            )


class ParagraphForm(forms.ModelForm):
    class Meta:
        model = Paragraph
        fields = ["position", "text"]
        widgets = {
            # Named for screen readers: the table's column heads are hidden on phones.
            "position": forms.NumberInput(
                attrs={"class": "paragraph-position", "min": 1, "aria-label": "ترتيب الفقرة"}
            ),
            "text": forms.Textarea(
                attrs={"rows": 3, "cols": 80, "dir": "auto", "aria-label": "نص الفقرة"}
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = ""

    def _get_validation_exclusions(self):
        # Positions may collide while paragraphs are being reordered; the
        # formset renumbers them 1..n on save (the database constraint is deferred).
        exclusions = super()._get_validation_exclusions()
        exclusions.add("position")
        return exclusions


# A line with nothing but spaces on it counts as blank: pasted text often has them.
BLANK_LINES = re.compile(r"\n[^\S\n]*\n\s*")


def split_paragraphs(text: str) -> list[str]:
    """``text`` cut into paragraphs at its blank lines; parts of only whitespace dropped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    return [part.strip() for part in BLANK_LINES.split(text) if part.strip()]


class ParagraphFormSet(BaseInlineFormSet):
    """Paragraphs edited inline; saved in the order their positions give, as 1..n.

    A paragraph box holding blank lines becomes as many paragraphs, in its
    place: pasting a whole story into the first box gives its paragraphs. The
    box's own paragraph keeps the first part, and with it its history.
    """

    def clean(self):
        super().clean()
        # A new paragraph left without a position goes to the end.
        positions = [
            form.cleaned_data.get("position") or 0
            for form in self.forms
            if hasattr(form, "cleaned_data")
        ]
        next_position = max(positions, default=0) + 1
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.has_changed():
                continue
            if form.cleaned_data.get("position") is None:
                form.instance.position = next_position
                next_position += 1

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            # A checkbox alone in its cell: the column's head is no label.
            form.fields["DELETE"].widget.attrs["aria-label"] = "احذف هذه الفقرة"

    def save(self, commit=True):
        following = self._split_at_blank_lines()
        saved = super().save(commit)
        if commit:
            self.normalise_positions(following)
        return saved

    def _split_at_blank_lines(self) -> dict[int, list[str]]:
        """Keep each edited paragraph's first part; return the parts that follow it, by form."""
        deleted = set(self.deleted_forms) if self.can_delete else set()
        following = {}
        for index, form in enumerate(self.forms):
            if form in deleted or not form.has_changed() or not hasattr(form, "cleaned_data"):
                continue
            parts = split_paragraphs(form.instance.text)
            if len(parts) > 1:
                form.instance.text = parts[0]
                following[index] = parts[1:]
        return following

    def normalise_positions(self, following: dict[int, list[str]] | None = None):
        """Renumber the article's paragraphs 1..n in the order the editor asked for.

        Ties go to the paragraph whose position the editor changed, so typing
        2 on the fifth paragraph moves it to second place. ``following`` holds,
        by form index, the paragraphs a box was split into after its own: they
        are created right after it.
        """
        following = following or {}
        deleted = set(self.deleted_forms)
        ordered = [
            (form.instance.position, "position" not in form.changed_data, index, form.instance)
            for index, form in enumerate(self.forms)
            if form not in deleted and form.instance.pk is not None
        ]
        ordered.sort(key=lambda item: item[:3])
        paragraphs = []
        for _, _, index, paragraph in ordered:
            paragraphs.append(paragraph)
            paragraphs += [
                Paragraph(article=self.instance, text=text) for text in following.get(index, [])
            ]
        seen = {paragraph.pk for paragraph in paragraphs}
        # Paragraphs added by someone else meanwhile keep their place after ours.
        paragraphs += [
            p for p in self.instance.paragraphs.order_by("position", "pk") if p.pk not in seen
        ]
        changed = []
        for number, paragraph in enumerate(paragraphs, 1):
            if paragraph.position != number:
                paragraph.position = number
                changed.append(paragraph)
        # Positions are unique per story, checked at commit (the constraint is deferred).
        Paragraph.objects.bulk_update([p for p in changed if p.pk is not None], ["position"])
        created = Paragraph.objects.bulk_create([p for p in paragraphs if p.pk is None])
        # The admin's change message counts them among the paragraphs added.
        self.new_objects = [*getattr(self, "new_objects", []), *created]
        if reversion.is_active():
            # Bulk writes send no post_save: the revision being recorded would
            # miss the new paragraphs and keep the old positions.
            for paragraph in [*changed, *created]:
                reversion.add_to_revision(paragraph)


class SearchForm(forms.Form):
    """The search page's parameters; invalid filters are dropped with a note.

    Validation only: templates/articles/search_results.html writes the
    fields itself, as Django's widgets render a template per field and per
    <option> (half of the page's rendering time). ``sources`` are the ones
    the page offers, the navigation's (``selectors.nav_sources``): a source
    with no published story is unknown here as it is everywhere on the
    reader's site.
    """

    q = forms.CharField(required=False)
    source = forms.CharField(required=False)
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    sort = forms.ChoiceField(choices=[("", "الأكثر صلة"), ("date", "الأحدث")], required=False)

    NOTES = {
        "q": "في البحث محارف غير مقبولة، فتجاهلناه.",
        "source": "لم نجد المصدر المطلوب، فبحثنا في كل المصادر.",
        "date_from": "تاريخ البداية غير صالح (الصيغة: سنة-شهر-يوم)، فتجاهلناه.",
        "date_to": "تاريخ النهاية غير صالح (الصيغة: سنة-شهر-يوم)، فتجاهلناه.",
        "sort": "طريقة الترتيب غير معروفة، فرتّبنا النتائج بحسب الصلة.",
    }
    # A well-formed date the archive cannot hold (articles.dates.story_date_window).
    OUT_OF_RANGE_NOTES = {
        "date_from": "تاريخ البداية خارج المدة التي يغطيها الأرشيف، فتجاهلناه.",
        "date_to": "تاريخ النهاية خارج المدة التي يغطيها الأرشيف، فتجاهلناه.",
    }

    def add_prefix(self, field_name):
        # The URL says from= and to=; "from" is a Python keyword, hence the names.
        return {"date_from": "from", "date_to": "to"}.get(field_name, field_name)

    swapped_dates = False

    def __init__(self, data, *, sources: list[Source]):
        super().__init__(data)
        self.sources = {source.slug: source for source in sources}

    def clean_source(self) -> Source | None:
        slug = self.cleaned_data["source"]
        if slug and slug not in self.sources:
            raise forms.ValidationError("لا يوجد هذا المصدر.", code="invalid_choice")
        return self.sources.get(slug)

    def _clean_story_date(self, name: str) -> datetime.date | None:
        # Only dates a story may carry go on to the search: the search adds a
        # day to the last date, which at 9999-12-31 overflows Python's dates,
        # and a date before 1900 can only find nothing.
        day = self.cleaned_data[name]
        if day is not None and not dates.is_plausible_story_date(day, timezone.localdate()):
            raise forms.ValidationError("التاريخ خارج مدة الأرشيف.", code="out_of_range")
        return day

    def clean_date_from(self) -> datetime.date | None:
        return self._clean_story_date("date_from")

    def clean_date_to(self) -> datetime.date | None:
        return self._clean_story_date("date_to")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            cleaned["date_from"], cleaned["date_to"] = end, start
            self.swapped_dates = True
        return cleaned

    def parameters(self) -> tuple[dict, list[str]]:
        """Return the valid parameters and a note for each one dropped.

        A bad filter must not cost the reader the search: it is ignored and
        the page says so.
        """
        self.is_valid()
        notes = [
            self.OUT_OF_RANGE_NOTES[name]
            if self.has_error(name, "out_of_range")
            else self.NOTES[name]
            for name in self.errors
            if name in self.NOTES
        ]
        if self.swapped_dates:
            notes.append("تاريخ البداية بعد تاريخ النهاية، فبدّلنا بينهما.")
        parameters = {name: self.cleaned_data.get(name) for name in self.fields}
        parameters["q"] = parameters["q"] or ""
        parameters["sort"] = parameters["sort"] or ""
        return parameters, notes
