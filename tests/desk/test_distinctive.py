"""What is distinctive about a search, on real Reuters-21578 wire stories (on both engines):
a commodity's trade terms come up, the wire's boilerplate never does, every entry narrows the
search, and hidden articles never count."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from search.desk.distinctive import distinctive, log_likelihood
from search.models import Article
from search.operations import index_sync
from search.query import SearchQuery
from search.selectors import count_results
from tests.conftest import on_every_engine

# 40 coffee stories and 110 others (tests/fixtures/reuters/README.md).
COMMODITIES = Path(__file__).parent.parent / "fixtures" / "reuters" / "commodities.jsonl"
WIRE_BOILERPLATE = {"said", "pct", "mln", "dlrs", "reuter", "year", "coffee"}


@pytest.fixture
def reuters(search_engine_name, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_articles", str(COMMODITIES), verbosity=0)
    index_sync.rebuild_index()


def terms_of(found, kind):
    return [term.term for term in found.of_kind(kind)]


@on_every_engine
def test_coffee_brings_up_its_trade_terms_and_never_the_wire_boilerplate(reuters):
    found = distinctive(SearchQuery(q="coffee"))
    assert found.sampled == found.total == count_results(SearchQuery(q="coffee"))
    assert {"ico", "quotas", "producers", "bags"} <= set(terms_of(found, "word"))
    assert "export quotas" in terms_of(found, "phrase")
    shown = {word for term in found.terms for word in term.term.split()}
    assert not shown & WIRE_BOILERPLATE


def test_log_likelihood_scores_only_what_is_over_represented():
    assert log_likelihood(found=30, sampled=40, background=35, archive=150) > 50
    assert log_likelihood(found=10, sampled=40, background=40, archive=150) == 0  # as expected
    assert log_likelihood(found=2, sampled=40, background=100, archive=150) == 0  # under


@on_every_engine
def test_each_entry_narrows_the_search(reuters):
    found = distinctive(SearchQuery(q="coffee", years=(1987,)))
    quotas = next(term for term in found.terms if term.term == "quotas")
    assert quotas.narrowed == SearchQuery(q="coffee quotas", years=(1987,))
    phrase = next(term for term in found.terms if term.term == "export quotas")
    assert phrase.narrowed.q == 'coffee "export quotas"'
    for term in found.terms:
        assert 0 < count_results(term.narrowed) <= found.total


@on_every_engine
def test_hidden_articles_never_count(reuters, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for article in Article.objects.filter(body__icontains="ICO"):
            article.status = Article.Status.HIDDEN
            article.save()
    index_sync.rebuild_index()
    found = distinctive(SearchQuery(q="coffee"))
    assert found.sampled == found.total == count_results(SearchQuery(q="coffee"))
    shown = {word for term in found.terms for word in term.term.split()}
    assert "ico" not in shown
