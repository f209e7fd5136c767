"""Alert pages: a signed-in user's alerts, turned on, changed and stopped; and the one-click
unsubscribe link of a mail, which works without signing in (its signed token names the alert)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from search.desk import alerts
from search.models import Alert, SavedSearch

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class AlertScheduleForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=Alert.Frequency.choices, widget=forms.RadioSelect, label="Send"
    )
    digest_hour = forms.TypedChoiceField(
        choices=HOURS, coerce=int, initial=8, label="Digest at", required=False, empty_value=8
    )
    time_zone = forms.ChoiceField(label="Time zone", initial="UTC")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(name, name) for name in alerts.time_zone_names()]


class NewAlertForm(AlertScheduleForm):
    saved_search = forms.ChoiceField(label="Saved search")
    field_order = ["saved_search", "frequency", "digest_hour", "time_zone"]

    def __init__(self, *args, followable: list[SavedSearch], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["saved_search"].choices = [(s.slug, s.name) for s in followable]


def schedule_form(alert: Alert) -> AlertScheduleForm:
    initial = {
        "frequency": alert.frequency,
        "digest_hour": alert.digest_hour,
        "time_zone": alert.time_zone,
    }
    return AlertScheduleForm(initial=initial, auto_id=f"alert-{alert.pk}-%s")


def alerts_page_response(request: HttpRequest, new_form: NewAlertForm, status: int = 200):
    my_alerts = Alert.objects.filter(owner=request.user).select_related("owner", "saved_search")
    context = {
        "alerts": [
            (alert, schedule_form(alert), alerts.refused_mail(alert), alerts.given_up_mail(alert))
            for alert in my_alerts
        ],
        "new_form": new_form,
        "has_email": bool(request.user.email),
    }
    return render(request, "search/alerts.html", context, status=status)


@login_required
@require_safe
def alerts_page(request: HttpRequest) -> HttpResponse:
    followable = alerts.followable_saved_searches(user=request.user)
    initial = {"saved_search": request.GET.get("saved", ""), "frequency": "arrive"}
    return alerts_page_response(request, NewAlertForm(initial=initial, followable=followable))


@login_required
@require_POST
def alert_new(request: HttpRequest) -> HttpResponse:
    followable = alerts.followable_saved_searches(user=request.user)
    form = NewAlertForm(request.POST, followable=followable)
    if not form.is_valid():
        return alerts_page_response(request, form, status=400)
    data = form.cleaned_data
    saved_search = SavedSearch.objects.get(slug=data["saved_search"])
    try:
        alerts.alert_turn_on(
            owner=request.user,
            saved_search=saved_search,
            frequency=data["frequency"],
            digest_hour=data["digest_hour"],
            time_zone=data["time_zone"],
            now=timezone.now(),
        )
    except alerts.AlertRefused as error:
        form.add_error(None, error.message)
        return alerts_page_response(request, form, status=400)
    messages.success(request, f"Alert on “{saved_search.name}” turned on.")
    return redirect("search:alerts")


@login_required
@require_POST
def alert_change(request: HttpRequest, alert_id: int) -> HttpResponse:
    """Save the schedule (and turn the alert on), or stop it (the "stop" button)."""
    alert = get_object_or_404(Alert, pk=alert_id, owner=request.user)
    if request.POST.get("action") == "stop":
        alerts.alert_stop(alert)
        messages.success(request, f"Alert on “{alert.saved_search.name}” stopped.")
        return redirect("search:alerts")
    form = AlertScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose how often, an hour and a time zone from the lists.")
        return redirect("search:alerts")
    alerts.alert_change(alert, active=True, **form.cleaned_data)
    messages.success(request, f"Alert on “{alert.saved_search.name}” saved and on.")
    return redirect("search:alerts")


@csrf_exempt  # RFC 8058 one-click POSTs come from mail providers: the signed token is the proof
@require_http_methods(["GET", "HEAD", "POST"])
def alert_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks to confirm (link scanners must not stop alerts); POST stops this one alert."""
    alert = alerts.alert_for_unsubscribe_token(token)
    if alert is None:
        raise Http404("This unsubscribe link is not valid (was it copied whole?).")
    stopped = False
    if request.method == "POST":
        alerts.alert_stop(alert)
        stopped = True
    context = {"alert": alert, "stopped": stopped, "stopped_already": not alert.active}
    return render(request, "search/alert_unsubscribe.html", context)
