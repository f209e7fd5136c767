"""The facet options (written by search.web.pages, not by a template loop) as a reader gets
them: escaped names, the chosen one ticked, each asking htmx for the results."""

from __future__ import annotations

from search.models import Minister


def test_a_facet_name_is_escaped_in_the_page_and_the_partial(client, seeded):
    minister = Minister.objects.get(slug="minoru-kihara")
    minister.name = "<script>alert('m')</script> Kihara & Co"
    minister.save()
    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        html = client.get("/?q=Kihara", **headers).content.decode()
        assert "<script>alert('m')" not in html
        assert "&lt;script&gt;alert(&#x27;m&#x27;)&lt;/script&gt; Kihara &amp; Co</span>" in html


def test_the_chosen_value_is_ticked_and_every_option_asks_for_the_results(client, seeded):
    html = client.get("/?q=Kihara&minister=minoru-kihara").content.decode()
    assert (
        '<input type="checkbox" id="facet-minister-minoru-kihara" name="minister"'
        ' value="minoru-kihara" form="search-form" checked data-hx-get="/"'
        ' data-hx-include="#search-form"> <label for="facet-minister-minoru-kihara">'
    ) in html
    unticked = html.count('form="search-form" data-hx-get="/" data-hx-include="#search-form">')
    assert unticked >= 1  # the topics and years not chosen
