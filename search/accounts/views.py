"""Account pages: signing in and password resets (throttled), and each user's API and feed
tokens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView, PasswordResetView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from search.accounts.api_tokens import api_token_create, api_token_revoke
from search.accounts.clients import request_client_key
from search.accounts.feed_tokens import feed_token_revoke
from search.accounts.forms import ApiTokenForm, ThrottledAuthenticationForm
from search.accounts.reset_throttle import TooManyResets, reset_allowance_use
from search.models.accounts import ApiToken


class ThrottledLoginView(LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form: ThrottledAuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if form.throttled is not None:
            response.status_code = 429
            response["Retry-After"] = str(form.throttled.retry_after_seconds)
        return response


class ThrottledPasswordResetView(PasswordResetView):
    """Django's reset view; a request past the allowance gets the form back with a 429 and
    the wait, the same for any address (search.accounts.reset_throttle)."""

    def form_valid(self, form) -> HttpResponse:
        email, client = form.cleaned_data["email"], request_client_key(self.request)
        try:
            reset_allowance_use(email=email, client=client)
        except TooManyResets as error:
            form.add_error(None, error.message)
            response = self.form_invalid(form)
            response.status_code = 429
            response["Retry-After"] = str(error.retry_after_seconds)
            return response
        return super().form_valid(form)


def account_context(request: HttpRequest, **extra) -> dict:
    return {
        "api_tokens": ApiToken.objects.filter(user=request.user),
        "token_form": ApiTokenForm(),
        **extra,
    }


@login_required
@require_safe
def account_page(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/account.html", account_context(request))


@login_required
@require_POST
def api_token_new(request: HttpRequest) -> HttpResponse:
    """Shows the new token once, on this response only (never kept in a message or session)."""
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        context = account_context(request, token_form=form)
        return render(request, "registration/account.html", context, status=400)
    row, token = api_token_create(user=request.user, name=form.cleaned_data["name"])
    context = account_context(request, new_token=token, new_token_row=row)
    return render(request, "registration/account.html", context)


@login_required
@require_POST
def api_token_delete(request: HttpRequest, token_id: int) -> HttpResponse:
    if api_token_revoke(user=request.user, token_id=token_id):
        messages.success(request, "The API token was revoked: it no longer works.")
    else:
        messages.error(request, "You have no such API token (was it revoked already?).")
    return redirect("account")


@login_required
@require_POST
def feed_token_delete(request: HttpRequest) -> HttpResponse:
    feed_token_revoke(user=request.user)
    messages.success(
        request,
        "Your old feed addresses no longer work. The saved searches page shows the new ones.",
    )
    return redirect("account")
