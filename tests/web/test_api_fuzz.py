"""Any query string the API can be sent gets an answer in JSON: results, or a 400 naming the
parameter. Never a server error (generated inputs, bounded)."""

from __future__ import annotations

from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

PARAMETERS = ["q", "minister", "topic", "year", "from", "to", "sort", "page", "per_page", "x"]
values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["", "0", "-1", "99999", "2024-02-30", "2024-01-01", "newest", "cyber*"]),
    st.sampled_from(['"a', "(b", "[a TO z]", "*?*", "title:", "NOT", "\x00", "é" * 30]),
)
query_strings = st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=6)


@settings(
    max_examples=150,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(query_strings)
def test_the_search_api_never_answers_a_server_error(client, seeded, pairs):
    response = client.get("/api/search?" + urlencode(pairs))
    assert response.status_code in (200, 400, 404), (pairs, response.content[:300])
    body = response.json()
    if response.status_code in (400, 404):  # 404: a page past the last
        assert body["error"]
    else:
        assert body["total"] >= 0 and len(body["hits"]) <= body["per_page"]
