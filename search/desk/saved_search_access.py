"""Who may see a saved search. Its owner always; anyone with its link unless it is private;
the list shows the listed ones and my own (mine first). Editors moderate them all in the admin.

Searches saved anonymously (public mode only) and those from before accounts are listed.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from search.models import SavedSearch

PRIVATE, LINK, LISTED = "private", "link", "listed"
VISIBILITY_LABELS = dict(SavedSearch._meta.get_field("visibility").choices)


def listed_saved_searches(*, user: AbstractBaseUser | AnonymousUser) -> QuerySet[SavedSearch]:
    """What /saved/ shows this user: their own searches first, then the listed ones."""
    if not user.is_authenticated:
        listed = SavedSearch.objects.filter(visibility=LISTED)
        return listed.order_by("-featured", "-created", "-id")
    mine_first = Case(
        When(owner=user, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        SavedSearch.objects.filter(Q(visibility=LISTED) | Q(owner=user))
        .annotate(mine_first=mine_first)
        .order_by("mine_first", "-featured", "-created", "-id")
    )


def may_open(saved_search: SavedSearch, *, user: AbstractBaseUser | AnonymousUser) -> bool:
    if saved_search.visibility != PRIVATE:
        return True
    if not user.is_authenticated:
        return False
    return saved_search.owner_id == user.pk or user.has_perm("search.change_savedsearch")


def visible_saved_search(*, slug: str, user: AbstractBaseUser | AnonymousUser) -> SavedSearch:
    """The saved search behind the link; Http404 when there is none this user may see (a
    private search of someone else's is answered exactly like a link that never existed)."""
    saved_search = SavedSearch.objects.filter(slug=slug).first()
    if saved_search is None or not may_open(saved_search, user=user):
        raise Http404("There is no saved search at this address.")
    return saved_search


def visibility_choices(*, private_mode: bool) -> list[tuple[str, str]]:
    """What a signed-in user may choose; in a private archive nothing is listed for all."""
    shown = [PRIVATE, LINK] if private_mode else [PRIVATE, LINK, LISTED]
    return [(value, VISIBILITY_LABELS[value]) for value in shown]
