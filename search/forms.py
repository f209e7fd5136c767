"""The one form that writes: naming a search to save it."""

from __future__ import annotations

from django import forms

from search.query import InvalidParameter
from search.saved_searches import search_query_from_string


class SaveSearchForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        help_text="Shown in the list of saved searches and as the feed's title.",
    )
    query_string = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_query_string(self) -> str:
        try:
            search_query = search_query_from_string(self.cleaned_data["query_string"])
        except InvalidParameter as error:
            raise forms.ValidationError(f"This search cannot be saved: {error.message}") from None
        self.cleaned_data["search_query"] = search_query
        return search_query.to_query_string()
