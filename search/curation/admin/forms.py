"""Forms of the curation admin: friendlier editing of list fields, article edits, uploads."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from search.ingest.sources import SUPPORTED_SUFFIXES
from search.models import Article, FormerMinisterSlug, Minister, SavedSearch, Topic
from search.text import strip_unsafe_characters

FIELD_LABELS = {
    "title": "Title",
    "body": "Body",
    "published": "Published date",
    "ministers": "Ministers",
    "topics": "Topics",
}


class SafeTextField(forms.CharField):
    """Text without the characters no output can carry (``search.text``): a control
    character pasted into a title or a name is removed rather than refused (or, unlike NUL,
    let through to break the feeds)."""

    def to_python(self, value):
        text = super().to_python(value)
        if not isinstance(text, str):
            return text
        text = strip_unsafe_characters(text)
        return text.strip() if self.strip else text


class LineListField(forms.Field):
    """A JSON list of strings edited as a textarea, one entry per line."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        lines = value if isinstance(value, list | tuple) else (value or "").splitlines()
        stripped = (" ".join(strip_unsafe_characters(str(line)).split()) for line in lines)
        return list(dict.fromkeys(line for line in stripped if line))


class ArticleForm(forms.ModelForm):
    return_to_automatic = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Return to automatic",
        help_text="Tick a field to forget your edit and take it from the text again "
        "(the body by re-cleaning the raw input).",
    )

    class Meta:
        model = Article
        fields = ["title", "body", "published", "ministers", "topics", "status"]
        field_classes = {"title": SafeTextField, "body": SafeTextField}
        widgets = {
            "title": forms.TextInput(attrs={"size": 100, "style": "width: min(100%, 60em)"}),
            "body": forms.Textarea(attrs={"rows": 24, "cols": 100}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        manual = list(self.instance.manual_fields or []) if self.instance.pk else []
        self.fields["return_to_automatic"].choices = [
            (name, FIELD_LABELS.get(name, name)) for name in manual
        ]
        for name in manual:
            if name in self.fields:
                self.fields[name].help_text = (
                    "Set by hand: re-cleaning and re-extraction keep it. "
                    + str(self.fields[name].help_text or "")
                ).strip()

    def clean_body(self) -> str:
        # Browsers send textarea lines with CRLF; the archive's paragraphs are split on "\n\n".
        return self.cleaned_data["body"].replace("\r\n", "\n").replace("\r", "\n")


class MinisterForm(forms.ModelForm):
    aliases = LineListField(
        required=False,
        help_text="Other spellings of the name, one per line; articles naming any of them are "
        "tagged with this minister.",
    )

    class Meta:
        model = Minister
        fields = ["name", "slug", "country", "office", "aliases"]
        field_classes = {"name": SafeTextField, "country": SafeTextField, "office": SafeTextField}

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        former = FormerMinisterSlug.objects.filter(slug=slug).select_related("minister").first()
        if former and former.minister_id != self.instance.pk:
            raise ValidationError(
                f"“{slug}” is the former slug of {former.minister.name}: saved links with it "
                "lead there. Choose another slug."
            )
        return slug


class TopicForm(forms.ModelForm):
    keywords = LineListField(
        required=False,
        help_text="Words or phrases, one per line, that tag an article with this topic "
        "(whole words, any case; a keyword in capitals, like ODA, matches only in capitals).",
    )

    class Meta:
        model = Topic
        fields = ["label", "slug", "keywords"]
        field_classes = {"label": SafeTextField}


class SavedSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSearch
        fields = ["name", "slug", "query_string", "featured", "owner", "visibility"]
        field_classes = {"name": SafeTextField, "query_string": SafeTextField}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        # An empty file is reported by the import, beside the others, not refused here.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Article files",
        help_text="One or more files: "
        + ", ".join(sorted(SUPPORTED_SUFFIXES))
        + ". A file of an article already in the archive (same source URL) updates it.",
    )


class CleaningDecisionForm(forms.Form):
    line = forms.CharField(strip=False)
    decision = forms.ChoiceField(choices=[("keep", "keep"), ("drop", "drop"), ("forget", "forget")])


class MergeMinistersForm(forms.Form):
    survivor = forms.ModelChoiceField(
        queryset=Minister.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Keep",
        help_text="The others are folded into this one: their names become its aliases, their "
        "articles its articles, and their slugs keep working in saved links.",
    )

    def __init__(self, *args, ministers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["survivor"].queryset = ministers
