"""The one form that writes: naming a search to save it."""

from __future__ import annotations

from django import forms

from search.desk.saved_searches import search_query_from_string
from search.models import SavedSearch
from search.query import InvalidParameter
from search.text import strip_unsafe_characters

NAME_MAX_CHARACTERS = SavedSearch._meta.get_field("name").max_length
QUERY_MAX_CHARACTERS = SavedSearch._meta.get_field("query_string").max_length


class SafeTextField(forms.CharField):
    """Text without the characters no output can carry (``search.text``): a name with a
    control character in it is saved without it rather than refused."""

    def to_python(self, value):
        text = super().to_python(value)
        if not isinstance(text, str):
            return text
        text = strip_unsafe_characters(text)
        return text.strip() if self.strip else text


class SaveSearchForm(forms.Form):
    name = SafeTextField(
        max_length=NAME_MAX_CHARACTERS,
        help_text="Shown in the list of saved searches and as the feed's title.",
        error_messages={
            "max_length": f"A name can be at most {NAME_MAX_CHARACTERS} characters long; "
            "this one has %(show_value)d."
        },
    )
    query_string = SafeTextField(required=False, widget=forms.HiddenInput)

    def clean_query_string(self) -> str:
        try:
            search_query = search_query_from_string(self.cleaned_data["query_string"])
        except InvalidParameter as error:
            raise forms.ValidationError(f"This search cannot be saved: {error.message}") from None
        query_string = search_query.with_page(1).to_query_string()
        if len(query_string) > QUERY_MAX_CHARACTERS:
            raise forms.ValidationError(
                f"This search is too long to save: {len(query_string):,} characters, at most "
                f"{QUERY_MAX_CHARACTERS:,}. Use fewer words or filters."
            )
        self.cleaned_data["search_query"] = search_query
        return query_string


class OwnedSaveSearchForm(SaveSearchForm):
    """A signed-in user's save: who may see it too (private unless they choose otherwise)."""

    visibility = forms.ChoiceField(
        label="Who can see it", widget=forms.RadioSelect, initial="private", required=False
    )

    def __init__(self, *args, visibility_choices: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visibility"].choices = visibility_choices

    def clean_visibility(self) -> str:
        return self.cleaned_data["visibility"] or "private"
