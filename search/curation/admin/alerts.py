"""Alerts in the admin: editors see who follows which saved search, at which address, when it
was last checked and why its mail is failing (or was given up), and pause an alert (its owner
may turn it on again on /alerts/). The schedule is the owner's: nothing else is changed here."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Case, F, OuterRef, Subquery, Value, When

from search.desk import alerts
from search.models import Alert, AlertDelivery


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = (
        "owner",
        "saved_search",
        "address",
        "frequency",
        "active",
        "last_checked",
        "last_failure",
    )
    list_filter = ("active", "frequency")
    list_select_related = ("owner", "saved_search")
    search_fields = ("owner__username", "owner__email", "saved_search__name")
    fields = (
        "owner",
        "saved_search",
        "frequency",
        "digest_hour",
        "time_zone",
        "active",
        "created",
        "last_checked",
        "refused_address",
        "refusal",
        "refused_at",
    )
    readonly_fields = tuple(name for name in fields if name != "active")
    actions = ["pause"]

    def has_add_permission(self, request) -> bool:
        return False  # an alert is its owner's to turn on

    def get_queryset(self, request):
        # The latest mail's error while it is unsent: waiting, or given up until a later one.
        latest = AlertDelivery.objects.filter(alert=OuterRef("pk")).order_by("-created", "-id")
        unsent_error = Case(When(sent=None, then=F("last_error")), default=Value(""))
        return (
            super()
            .get_queryset(request)
            .annotate(unsent_error=Subquery(latest.values(error=unsent_error)[:1]))
        )

    @admin.display(description="Address", ordering="owner__email")
    def address(self, alert: Alert) -> str:
        return alert.owner.email or "—"

    @admin.display(description="Last failure")
    def last_failure(self, alert: Alert) -> str:
        """A refusal for good while the address is still the refused one, else the error of
        the mail waiting to be tried again, or of the latest mail when it was given up."""
        if alerts.refused_mail(alert) is not None:
            return f"Refused for good: {alert.refusal}"
        return alert.unsent_error or "—"

    @admin.action(description="Pause the selected alerts", permissions=["change"])
    def pause(self, request, queryset) -> None:
        paused = 0
        for alert in queryset.filter(active=True):
            alerts.alert_stop(alert)
            paused += 1
        self.message_user(request, f"{paused} alert{'s' if paused != 1 else ''} paused.")
