"""The JSON API through the Django test client, on the seeded archive; checked against the
OpenAPI document it serves."""

from __future__ import annotations

import jsonschema
import pytest

from search.models import Article
from search.web import openapi
from tests.conftest import on_every_engine


def get_search(client, query_string=""):
    response = client.get(f"/api/search?{query_string}")
    assert response.status_code == 200, response.content
    check_against_openapi(response.json(), "SearchResponse")
    return response.json()


def check_against_openapi(payload, schema_name):
    document = openapi.document()
    schema = {
        **document["components"]["schemas"][schema_name],
        "components": document["components"],
    }
    schema = jsonschema.validators.Draft202012Validator(
        schema, format_checker=jsonschema.FormatChecker()
    )
    schema.validate(payload)


def seed_ids(seeded, *keys):
    return {seeded[key].pk for key in keys}


@on_every_engine
def test_cyber_finds_four_with_marked_snippets(client, seeded):
    data = get_search(client, "q=cyber")
    assert data["total"] >= 4
    assert all("<mark" in hit["snippet"] for hit in data["hits"])


@on_every_engine
def test_semiconductors_and_stemming(client, seeded):
    assert seed_ids(seeded, "000") <= {
        h["id"] for h in get_search(client, "q=semiconductors")["hits"]
    }
    only_cooperation = [
        a.pk
        for a in Article.objects.all()
        if "cooperation" in a.body.lower() and "cooperate " not in a.body.lower()
    ]
    found = {h["id"] for h in get_search(client, "q=cooperate&per_page=100")["hits"]}
    assert only_cooperation and set(only_cooperation) <= found


@on_every_engine
def test_minister_filter_and_its_facet(client, seeded):
    data = get_search(client, "minister=minoru-kihara")
    assert data["total"] == 3
    counts = {f["value"]: f["count"] for f in data["facets"]["minister"]}
    assert counts == {
        "minoru-kihara": 3,
        "s-jaishankar": 3,
        "yoko-kamikawa": 3,
        "rajnath-singh": 3,
        "narendra-modi": 1,
    }
    kihara = next(f for f in data["facets"]["minister"] if f["value"] == "minoru-kihara")
    assert kihara["selected"] and kihara["label"] == "Minoru Kihara"


@on_every_engine
def test_year_filters(client, seeded):
    assert get_search(client, "year=2022&year=2024")["total"] == 5
    one = get_search(client, "year=2022")
    assert one["total"] == 1
    assert {f["value"]: f["count"] for f in one["facets"]["year"]} == {2024: 4, 2022: 1}


@on_every_engine
def test_did_you_mean(client, seeded):
    assert get_search(client, "q=cyber+securty")["suggestion"] == "cyber security"


@on_every_engine
def test_a_question_answered_with_most_of_its_words_says_which(client, seeded):
    data = get_search(client, "q=Jaishankar+Tokyo+zebras")
    assert data["total"] >= 1
    assert data["relaxed"] == {
        "message": "No article has all the words Jaishankar, Tokyo, zebras: "
        "showing articles with at least 2 of the 3.",
        "words": ["Jaishankar", "Tokyo", "zebras"],
        "minimum": 2,
        "every_word_total": 0,
        "every_word_q": "Jaishankar AND Tokyo AND zebras",
        "every_word_url": "http://testserver/api/search?q=Jaishankar+AND+Tokyo+AND+zebras",
    }
    every_word = get_search(client, data["relaxed"]["every_word_url"].split("?")[1])
    assert every_word["total"] == 0 and every_word["relaxed"] is None
    assert get_search(client, "q=Jaishankar+Tokyo")["relaxed"] is None  # two words: never


@on_every_engine
def test_hit_shape(client, seeded):
    hit = get_search(client, "q=Kihara")["hits"][0]
    assert hit["url"].startswith("http://testserver/articles/")
    assert {"slug": "minoru-kihara", "name": "Minoru Kihara"} in hit["ministers"]


@pytest.mark.parametrize(
    "query_string, parameter",
    [
        ("year=abc", "year"),
        ("year=0", "year"),
        ("year=10000", "year"),
        ("sort=best", "sort"),
        ("page=0", "page"),
        ("per_page=101", "per_page"),
    ],
)
def test_invalid_parameters_get_400_naming_them(client, seeded, query_string, parameter):
    response = client.get(f"/api/search?{query_string}")
    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    check_against_openapi(response.json(), "Error")


def test_a_page_past_the_last_is_404_naming_the_parameter(client, seeded):
    response = client.get("/api/search?q=cyber&page=99")
    assert response.status_code == 404
    assert response.json()["parameter"] == "page"
    assert "past the last page" in response.json()["error"]
    check_against_openapi(response.json(), "Error")


@on_every_engine
def test_article_endpoint(client, seeded):
    article = seeded["003"]
    response = client.get(f"/api/articles/{article.pk}")
    data = response.json()
    check_against_openapi(data, "Article")
    assert data["source"] == article.source_path and data["body"] == article.body
    assert data["more_like_this"] and article.pk not in {m["id"] for m in data["more_like_this"]}


@on_every_engine
def test_hidden_articles_are_invisible_to_the_public(
    client, seeded, admin_client, django_capture_on_commit_callbacks
):
    article = seeded["004"]
    with django_capture_on_commit_callbacks(execute=True):
        article.status = Article.Status.HIDDEN
        article.save()
    assert client.get(f"/api/articles/{article.pk}").status_code == 404
    assert admin_client.get(f"/api/articles/{article.pk}").status_code == 200
    assert article.pk not in {h["id"] for h in get_search(client, "per_page=100")["hits"]}
    assert get_search(client, "q=Modi")["total"] == 0


def test_missing_index_answers_503_with_what_to_do(client, seeded, settings):
    import shutil

    from tests.conftest import index_directory

    shutil.rmtree(index_directory(settings))
    response = client.get("/api/search?q=cyber")
    assert response.status_code == 503
    assert "check_index --repair" in response.json()["error"]


def test_openapi_document_is_served_and_valid(client):
    from openapi_spec_validator import validate

    document = client.get("/api/openapi.json").json()
    validate(document)
    assert set(document["paths"]) >= {"/api/search", "/api/articles/{id}", "/api/alerts"}


@pytest.mark.parametrize("path", ["/api/articles/abc", "/api/articles/1/extra", "/api/nothing"])
def test_an_unknown_api_path_answers_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "openapi.json" in response.json()["error"]


def test_empty_date_fields_mean_no_bound_and_the_description_says_so(client, seeded):
    assert client.get("/api/search?from=&to=").json()["total"] == 5
    document = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p for p in document["paths"]["/api/search"]["get"]["parameters"]}
    assert {"maxLength": 0, "type": "string"} in parameters["to"]["schema"]["anyOf"]


@on_every_engine
def test_the_date_histogram_is_the_timeline_and_agrees_with_the_year_facet(client, seeded):
    data = get_search(client, "q=india")
    histogram = data["date_histogram"]
    assert histogram["interval"] == "year"
    years = {f["value"]: f["count"] for f in data["facets"]["year"]}
    assert {int(b["period"]): b["count"] for b in histogram["buckets"] if b["count"]} == years
    assert [b["period"] for b in histogram["buckets"]] == ["2022", "2023", "2024"]
    assert histogram["buckets"][1] == {
        "period": "2023",
        "label": "2023",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "count": 0,
        "selected": False,
    }
    by_month = get_search(client, "year=2024")["date_histogram"]
    assert by_month["interval"] == "month" and len(by_month["buckets"]) == 12
    assert sum(b["count"] for b in by_month["buckets"]) == get_search(client, "year=2024")["total"]


def test_a_reversed_date_range_is_a_400_naming_the_end_date(client, seeded):
    response = client.get("/api/search?from=2024-05-02&to=2024-05-01")
    assert response.status_code == 400
    check_against_openapi(response.json(), "Error")
    assert response.json()["parameter"] == "to"
    assert "before the start date" in response.json()["error"]
