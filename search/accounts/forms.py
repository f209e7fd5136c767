"""Forms of the account pages: signing in (throttled) and naming an API token."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from search.accounts.login_throttle import LoginThrottled, login_client_key, require_login_allowance
from search.models.accounts import ApiToken


class ThrottledAuthenticationForm(AuthenticationForm):
    """Django's sign-in form, saying how long to wait when sign-ins are throttled (the backend
    refuses them anyway; this only makes the message clear)."""

    throttled: LoginThrottled | None = None

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and self.cleaned_data.get("password"):
            try:
                require_login_allowance(username=username, client=login_client_key(self.request))
            except LoginThrottled as error:
                raise self.throttled_error(error) from None
        try:
            return super().clean()
        except forms.ValidationError:
            # Parallel attempts: the backend, which counts, found the allowance used up.
            refused = getattr(self.request, "login_throttled", None)
            if refused is not None:
                raise self.throttled_error(refused) from None
            raise

    def throttled_error(self, error: LoginThrottled) -> forms.ValidationError:
        self.throttled = error
        return forms.ValidationError(error.message, code="throttled")


TOKEN_NAME_MAX_CHARACTERS = ApiToken._meta.get_field("name").max_length


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        max_length=TOKEN_NAME_MAX_CHARACTERS,
        help_text="What the token is for, e.g. “nightly export script”.",
        error_messages={
            "max_length": f"A name can be at most {TOKEN_NAME_MAX_CHARACTERS} characters long; "
            "this one has %(show_value)d."
        },
    )
