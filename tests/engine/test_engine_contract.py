"""The engine contract: what any engine behind search.engine must do (fresh index per test).

Written against the public protocol (``search.engine``) and engine-neutral types only, and run
once per engine in ``ENGINES``: a new engine adds itself there with one line.
"""

from __future__ import annotations

import dataclasses
import datetime
import threading

import pytest

from search import engine
from search.documents import IndexDocument
from search.query import PageOutOfRange, PrefixExpansion, SearchQuery
from search.query_language import COMMON_STOP_WORDS
from tests.postgres import use_postgres


def doc(id, title, body, published=None, ministers=(), topics=()):
    return IndexDocument(
        id=id,
        title=title,
        body=body,
        published=datetime.date.fromisoformat(published) if published else None,
        ministers=tuple(ministers),
        topics=tuple(topics),
    )


CORPUS = [
    doc(
        1,
        "Cyber security pact",
        "India and Japan deepen cooperation on cyber security.",
        "2024-08-20",
        ["jaishankar", "kihara"],
        ["cyber", "defence"],
    ),
    doc(
        2,
        "Space dialogue",
        "The two nations cooperate in outer space and satellites.",
        "2024-03-08",
        ["jaishankar"],
        ["space"],
    ),
    doc(
        3,
        "Rail link",
        "High speed rail cooperation continues; no cyber talk here.",
        "2022-09-08",
        ["hayashi"],
        ["rail"],
    ),
    doc(
        4,
        "Café diplomacy",
        "Ministers met at a café in Tokyo to discuss semiconductors.",
        None,
        ["kihara"],
        ["tech"],
    ),
    doc(
        5,
        "Script test <b>bold</b>",
        "Text with <script>alert(1)</script> cyber inside.",
        "2023-01-01",
        [],
        [],
    ),
]


ENGINES = ["whoosh", "postgres", "tantivy"]


@pytest.fixture(params=ENGINES)
def search_engine(request, settings):
    if request.param == "postgres":
        use_postgres(request)  # the engine's tables live in the database
    settings.SEARCH_ENGINE = request.param
    engine.reset()
    yield request.param
    engine.reset()


@pytest.fixture
def index(search_engine):
    engine.rebuild(CORPUS)


def ids(results):
    return [hit.id for hit in results.hits]


def run(**kwargs):
    return engine.search(SearchQuery(**kwargs))


def test_words_must_all_match_and_stemming_finds_variants(index):
    assert set(ids(run(q="cyber security"))) == {1}
    assert set(ids(run(q="cooperation"))) == {1, 2, 3}  # "cooperate" in 2
    assert set(ids(run(q="cooperate"))) == {1, 2, 3}


def test_boolean_operators_phrases_and_fields(index):
    assert set(ids(run(q="space OR rail"))) == {2, 3}
    assert set(ids(run(q="cyber NOT rail"))) == {1, 5}
    assert set(ids(run(q="cyber -rail"))) == {1, 5}
    assert set(ids(run(q='"cyber security"'))) == {1}
    assert set(ids(run(q="(space OR rail) cooperation"))) == {2, 3}
    assert set(ids(run(q="title:rail"))) == {3}
    assert set(ids(run(q="body:satellites"))) == {2}


def test_title_searches_combine_with_everything_else(index):
    # The words in the title only; "cyber" is in the bodies of 1, 3 and 5 too.
    assert set(ids(run(q="title:cyber"))) == {1}
    assert set(ids(run(q="title:cyber OR rail"))) == {1, 3}
    assert set(ids(run(q="title:cyber OR title:rail"))) == {1, 3}
    assert set(ids(run(q="title:(cyber OR space) cooperation"))) == {1, 2}
    assert set(ids(run(q="cyber NOT title:cyber"))) == {3, 5}
    assert set(ids(run(q='title:"security pact"'))) == {1}
    assert set(ids(run(q='title:"pact security"'))) == set()
    assert set(ids(run(q="title:cyb*"))) == {1}  # "cyber" in the bodies of 3 and 5 too
    assert set(ids(run(q="title:dipl*"))) == {4}
    assert set(ids(run(q="title:the cyber"))) == {1, 3, 5}  # a stop word: no condition


def test_case_and_accents_do_not_matter(index):
    assert ids(run(q="CAFE")) == [4]
    assert ids(run(q="café")) == [4]


def test_trailing_wildcard(index):
    assert set(ids(run(q="semicon*"))) == {4}


@pytest.mark.parametrize(
    "hostile",
    [
        '"cyber',
        "(cyber",
        "cyber)",
        "AND",
        "OR",
        "NOT",
        "-",
        "*",
        "x" * 2000,
        "cyber\x00\x07",
        "minister:kihara",
        "title:",
        '"""',
        "((()",
        "cyber AND",
        "?*",
        "*?*?*",
        "[a TO z]",
        "{a TO z}",
        "cyber~2 space^3",
        '"cyber security"~3',
        "(" * 50 + "cyber" + ")" * 50,
        " OR ".join(f"word{n}*" for n in range(200)),
        "title:(cyber OR space) -body:rail",
        "cyber AND OR NOT space",
        ") cyber (",
    ],
)
def test_malformed_input_never_raises(index, hostile):
    results = run(q=hostile)
    assert results.total >= 0


def test_malformed_input_gets_a_notice(index):
    assert run(q='"cyber').notices
    assert "wildcard" in " ".join(run(q="*").notices)
    assert run(q="x" * 2000).notices
    results = run(q="(cyber")
    assert results.notices and set(ids(results)) == {1, 3, 5}


def test_wildcard_expansion_is_bounded(index, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "WILDCARD_MAX_EXPANSIONS": 1}
    results = run(q="co*")  # cooperation, cooperate, continues: two stems
    assert any("most common" in notice for notice in results.notices)
    assert results.total > 0


def test_the_engine_says_what_each_prefix_searched_and_whether_it_was_cut(index, settings):
    (semicon,) = run(q="semicon* cyber").expansions
    assert semicon.prefix == "semicon" and not semicon.cut
    assert semicon.words and all(word.startswith("semicon") for word in semicon.words)
    settings.NEWSROOM = {**settings.NEWSROOM, "WILDCARD_MAX_EXPANSIONS": 1}
    # cooperation, cooperate (one stem) and continues: only the commonest searched
    assert run(q="co*").expansions == (PrefixExpansion("co", ("cooper",), True),)
    assert run(q="cyber").expansions == ()


def test_the_engine_says_which_words_its_analysis_dropped(index):
    assert run(q="the cyber -of").ignored_words == ("the", "of")
    assert run(q='"the" cyber security').ignored_words == ("the",)
    assert run(q="cyber").ignored_words == ()


def test_every_engine_leaves_out_the_stop_words_the_query_language_does_not_count(index):
    # The parser lets these past its cap of words (query_language.COMMON_STOP_WORDS) because
    # they cost nothing to search: every engine must drop them.
    found = run(q=" ".join(sorted(COMMON_STOP_WORDS)) + " cyber")
    assert set(found.ignored_words) == COMMON_STOP_WORDS


def test_filters_combine(index):
    assert set(ids(run(ministers=("jaishankar", "kihara")))) == {1}  # all of them
    assert set(ids(run(years=(2022, 2024)))) == {1, 2, 3}  # any of them
    assert set(ids(run(q="cyber", years=(2024,)))) == {1}
    assert set(ids(run(topics=("space",), ministers=("jaishankar",)))) == {2}
    between = run(date_from=datetime.date(2023, 1, 1), date_to=datetime.date(2024, 6, 1))
    assert set(ids(between)) == {2, 5}


def test_sorting_and_browse(index):
    assert ids(run()) == [1, 2, 5, 3, 4]  # empty query: newest first, undated last
    assert ids(run(sort="oldest")) == [3, 5, 2, 1, 4]
    assert ids(run(q="cooperation", sort="newest")) == [1, 2, 3]


def test_pagination_and_page_past_the_end(index):
    first = run(per_page=2)
    assert first.total == 5 and first.pages == 3 and len(first.hits) == 2
    assert ids(run(per_page=2, page=3)) == [4]
    with pytest.raises(PageOutOfRange):
        run(per_page=2, page=4)


def test_facet_counts_are_what_clicking_gives(index):
    results = run(ministers=("kihara",))
    minister = {f.value: f.count for f in results.facets["minister"]}
    assert minister == {"kihara": 2, "jaishankar": 1}
    for value, count in minister.items():
        assert run(ministers=tuple({"kihara", value})).total == count
    # years widen: the other years stay visible with their own counts
    by_year = run(years=(2024,))
    assert {f.value: f.count for f in by_year.facets["year"]} == {2024: 2, 2023: 1, 2022: 1}
    assert by_year.total == 2


def histogram(results) -> tuple[str, dict[str, int]]:
    found = results.date_histogram
    return found.interval, {bucket.value: bucket.count for bucket in found.buckets}


def test_date_histogram_counts_years_like_the_year_facet(index):
    assert histogram(run()) == ("year", {"2022": 1, "2023": 1, "2024": 2})  # undated left out
    assert [b.value for b in run().date_histogram.buckets] == ["2022", "2023", "2024"]
    assert histogram(run(q="space")) == ("year", {"2024": 1})
    assert histogram(run(ministers=("jaishankar",))) == ("year", {"2024": 2})
    # two years chosen: still by year, and (like the facet) the other years keep their counts
    results = run(years=(2022, 2024))
    assert histogram(results) == ("year", {"2022": 1, "2023": 1, "2024": 2})
    assert histogram(results)[1] == {
        str(f.value): f.count for f in results.facets["year"] if f.count
    }


def test_date_histogram_counts_months_for_one_year_or_a_short_range(index):
    assert histogram(run(years=(2024,))) == ("month", {"2024-03": 1, "2024-08": 1})
    assert histogram(run(years=(2024,), q="cyber")) == ("month", {"2024-08": 1})
    short = run(date_from=datetime.date(2022, 9, 1), date_to=datetime.date(2024, 3, 31))
    assert histogram(short) == ("month", {"2022-09": 1, "2023-01": 1, "2024-03": 1})
    long = run(date_from=datetime.date(2022, 1, 1), date_to=datetime.date(2024, 3, 31))
    assert histogram(long) == ("year", {"2022": 1, "2023": 1, "2024": 1})
    assert histogram(run(years=(2021,))) == ("month", {})


def test_selected_value_is_always_shown(index):
    results = run(q="rail", ministers=("jaishankar",))
    assert results.total == 0
    assert {f.value: f.count for f in results.facets["minister"]} == {"jaishankar": 0}


def test_snippets_mark_stemmed_matches_and_escape_everything(index):
    hit = run(q="cooperate").hits[0]
    assert "<mark" in hit.snippet and "cooperat" in hit.snippet.lower()
    script = run(q="script").hits[0]
    assert "<script" not in script.snippet and "&gt;alert(1)&lt;/" in script.snippet
    assert "<b>" not in script.title_highlighted and "&lt;b&gt;" in script.title_highlighted
    assert "<mark" in script.title_highlighted


def test_did_you_mean(index):
    results = run(q="satelites")
    assert results.total == 0
    assert results.suggestion == "satellites"
    assert run(q="satellites").suggestion is None


def test_did_you_mean_knows_the_words_of_articles_saved_since(index):
    assert run(q="satelites").suggestion == "satellites"  # the spelling words are read now
    with engine.open_writer(timeout=5) as writer:
        writer.upsert(doc(41, "Numbat census", "Numbats were counted on the island."))
    assert run(q="numbatz").suggestion in ("numbat", "numbats")
    assert run(q="satelites").suggestion == "satellites"  # the older words are still there
    with engine.open_writer(timeout=5) as writer:
        writer.delete(41)
    assert run(q="numbatz").suggestion is None  # would find nothing more


def test_more_like_this(index):
    similar = engine.more_like_this(1, limit=3)
    assert similar and 1 not in similar


def test_update_and_delete(index):
    with engine.open_writer(timeout=5) as writer:
        writer.upsert(doc(2, "Space dialogue", "Now about lunar rovers.", "2024-03-08"))
        writer.delete(3)
    assert ids(run(q="rovers")) == [2]
    assert run(q="satellites").total == 0
    assert run(q="rail").total == 0
    versions = engine.indexed_versions()
    assert versions[2] == doc(2, "Space dialogue", "Now about lunar rovers.", "2024-03-08").version
    assert 3 not in versions  # deleted (still in its segment until a merge)
    unchanged = {document.id: document.version for document in CORPUS if document.id not in (2, 3)}
    assert versions == {**unchanged, 2: versions[2]}


def test_search_during_rebuild_answers_from_the_old_index(index):
    started, release = threading.Event(), threading.Event()
    seen = []

    def slow_documents():
        yield from CORPUS[:2]
        started.set()
        release.wait(10)

    builder = threading.Thread(target=lambda: engine.rebuild(slow_documents()))
    builder.start()
    assert started.wait(10)
    seen.append(run().total)  # the old, complete index answers mid-rebuild
    release.set()
    builder.join(10)
    seen.append(run().total)
    assert seen == [5, 2]


def test_concurrent_writers_lose_nothing(index):
    errors = []

    def write(start):
        try:
            for n in range(start, start + 10):
                with engine.open_writer(timeout=10) as writer:
                    writer.upsert(doc(n, f"Doc {n}", f"concurrency word{n}"))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(100 + 10 * i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert run(q="concurrency", per_page=100).total == 30


def test_short_unknown_words_are_not_respelt(index):
    # "foo" and "bar" are a letter or two from many words; respelling them misleads.
    assert run(q="twa").suggestion is None  # not "two"
    assert run(q="satelites").suggestion == "satellites"


PHRASE_CORPUS = [
    doc(11, "Last year", "The talks last year were long."),
    doc(12, "Lasting", "Their last talks of the year were short."),
    doc(13, "Order", "The year last came around."),
    doc(14, "Minister of Defence", "A speech."),
    doc(15, "Split fields", "last"),
]


@pytest.fixture
def phrase_index(search_engine):
    engine.rebuild(PHRASE_CORPUS)


def test_a_phrase_is_its_words_in_order_next_to_each_other_in_one_field(phrase_index):
    assert set(ids(run(q='"last year"'))) == {11}  # not "last talks of the year", not reversed
    assert set(ids(run(q='"year last"'))) == {13}
    assert set(ids(run(q='title:"last year"'))) == {11}
    assert set(ids(run(q='body:"last year"'))) == {11}
    assert run(q='"split fields last"').total == 0  # the title's end and the body's start


def test_a_stop_word_in_a_phrase_stands_for_any_word(phrase_index):
    assert set(ids(run(q='"minister of defence"'))) == {14}
    assert set(ids(run(q='"minister for defence"'))) == {14}
    assert run(q='"minister defence"').total == 0


# No article has all of "border", "dispute", "Israel" and "Syria"; 31, 32 and 36 have three.
QUESTION_CORPUS = [
    doc(31, "Israel Syria border", "Troops stand on the border between Israel and Syria."),
    doc(32, "Dispute over water", "Israel and Jordan are in a dispute on the border."),
    doc(33, "Syria", "Talks in Syria resumed."),
    doc(34, "Border dispute", "A border dispute in Africa goes to court."),
    doc(35, "Harvest", "Farmers bring in the wheat."),
    doc(36, "Water talks", "Israel and Syria dispute the river's water."),
]


@pytest.fixture
def question_index(search_engine):
    engine.rebuild(QUESTION_CORPUS)


def test_a_question_finds_the_articles_with_most_of_its_words_and_says_so(question_index):
    results = run(q="the border dispute of Israel and Syria")  # "the", "of", "and": stop words
    assert set(ids(results)) == {31, 32, 36} and results.total == 3
    assert results.relaxed.words == ("border", "dispute", "Israel", "Syria")
    assert results.relaxed.message == (
        "No article has all the words border, dispute, Israel, Syria: "
        "showing articles with at least 3 of the 4."
    )
    every_word = run(q=results.relaxed.every_word_q)
    assert every_word.total == 0 and every_word.relaxed is None


def test_a_question_only_a_handful_answer_in_full_puts_them_first(question_index):
    results = run(q="border dispute Africa")
    # Two of the three words find only 34 and 32 too: any of the words, ranked.
    assert ids(results)[:2] == [34, 32] and set(ids(results)) == {31, 32, 34, 36}
    assert results.relaxed.every_word_total == 1 and results.relaxed.minimum == 1
    assert results.relaxed.message == (
        "Only 1 article has all the words border, dispute, Africa: "
        "showing articles with any of them, ranked."
    )
    assert ids(run(q=results.relaxed.every_word_q)) == [34]


@pytest.mark.parametrize(
    "explicit",
    [
        "border AND dispute AND Israel AND Syria",
        "border dispute OR water Israel Syria",
        '"border dispute" Israel Syria',  # two plain words besides the phrase
        "border dispute Isr* Syria",
        "Syria court",  # one or two words: never relaxed
        "the Syria and the court",  # two words besides the stop words
    ],
)
def test_and_or_prefixes_and_short_queries_are_never_relaxed(question_index, explicit):
    results = run(q=explicit)
    assert results.total == 0 and results.relaxed is None


def test_phrases_fields_and_exclusions_stay_required_around_the_relaxed_words(question_index):
    excluded = run(q="border dispute Israel Syria -Jordan")  # 32 has three, and "Jordan"
    assert set(ids(excluded)) == {31, 33, 34, 36} and excluded.relaxed.minimum == 1
    assert set(ids(run(q="border dispute NOT Jordan Israel Syria"))) == {31, 33, 34, 36}
    in_title = run(q="title:border dispute Israel Syria court")  # "border" in 31 and 34's titles
    assert set(ids(in_title)) == {31, 34} and in_title.relaxed.minimum == 1
    assert in_title.relaxed.words == ("dispute", "Israel", "Syria", "court")
    assert ids(run(q=in_title.relaxed.every_word_q)) == []


def test_punctuation_of_prose_does_not_stop_a_question_from_being_relaxed(question_index):
    results = run(q='(the) "border" dispute? of Israel (and Syria)')
    assert set(ids(results)) == {31, 32, 36}
    assert results.relaxed.words == ("border", "dispute", "Israel", "Syria")
    assert results.notices == []


def test_a_question_of_many_words_finds_those_with_any_of_them_best_first(question_index):
    results = run(q="troops border Israel Syria Jordan dispute water court")
    assert results.relaxed.minimum == 1  # more than five words: any of them, ranked
    assert set(ids(results)) == {31, 32, 33, 34, 36}  # 35 has none of them
    assert set(ids(results)[:2]) == {31, 32}  # four and five of the words; 33 has one
    assert results.relaxed.message == (
        "No article has all the words troops, border, Israel, Syria, Jordan, dispute, water, "
        "court: showing articles with any of them, ranked."
    )


def test_a_question_no_article_answers_mostly_finds_those_with_any_of_its_words(question_index):
    results = run(q="harvest wheat Syria court troops")  # none has 4 of the 5 words
    assert set(ids(results)) == {31, 33, 34, 35, 36}
    assert results.relaxed.minimum == 1
    assert results.relaxed.message == (
        "No article has all the words harvest, wheat, Syria, court, troops: "
        "showing articles with any of them, ranked."
    )
    assert run(q="harvest wheat parliament budget election").total == 1  # only 35 shares one


def test_did_you_mean_still_offers_a_respelt_question(question_index):
    results = run(q="Israel Jordan disptue")
    assert results.relaxed is not None
    assert results.suggestion == "Israel Jordan dispute"
    assert ids(run(q=results.suggestion))[0] == 32  # the one with every word, first


def test_searching_while_another_thread_commits_gives_no_error(index):
    """8 threads x 50 searches through the real index on disk while a writer commits."""
    errors, totals = [], []
    writing = threading.Event()

    def write():
        for n in range(20):
            with engine.open_writer(timeout=30) as writer:
                writer.upsert(doc(1000 + n, f"Thread doc {n}", f"cyber threads {n}", "2024-01-02"))
            writing.set()

    def read(number):
        queries = ["cyber", '"cyber security"', "coop*", "", "cafe", "satelites", "rail OR space"]
        try:
            for n in range(50):
                results = run(q=queries[(number + n) % len(queries)], ministers=())
                totals.append(results.total)
                for hit in results.hits:
                    assert "<script" not in hit.snippet
        except Exception as error:
            errors.append(repr(error))

    writer = threading.Thread(target=write)
    readers = [threading.Thread(target=read, args=(number,)) for number in range(8)]
    writer.start()
    for thread in readers:
        thread.start()
    for thread in [writer, *readers]:
        thread.join(120)
    assert errors == []
    assert len(totals) == 8 * 50
    assert run(q="threads").total == 20


def test_a_search_past_its_time_budget_answers_with_what_it_has_and_says_so(index, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "SEARCH_TIME_BUDGET": 0}
    results = run(q=" OR ".join(["cyber", "space", "rail", "coop*"]))
    assert any("cut short" in notice for notice in results.notices)
    assert results.suggestion is None
    settings.NEWSROOM = {**settings.NEWSROOM, "SEARCH_TIME_BUDGET": 5}
    assert not any("cut short" in notice for notice in run(q="cyber").notices)


# Near-duplicates: a story in three copies (cluster 11), one in two (cluster 15), one alone.
def copy_of(cluster, id, title, body, published, ministers):
    return IndexDocument(
        id=id,
        title=title,
        body=body,
        published=datetime.date.fromisoformat(published),
        ministers=tuple(ministers),
        topics=(),
        cluster=cluster,
    )


VERSIONS = [
    copy_of(11, 11, "Dock strike ends", "Dock workers end their strike.", "2024-05-01", ["a"]),
    copy_of(11, 12, "Strike over", "Dock workers end the strike strike.", "2024-05-03", ["b"]),
    copy_of(11, 13, "Dockers", "Dock workers end their strike.", "2023-12-01", ["a"]),
    copy_of(0, 14, "Strike threat", "Nurses threaten a strike.", "2024-04-01", ["a"]),
    copy_of(15, 15, "Rail strike", "Rail staff strike again.", "2024-02-01", ["b"]),
    copy_of(15, 16, "Rail strike", "Rail staff strike again today.", "2024-02-02", ["b"]),
]


@pytest.fixture
def versions_index(search_engine):
    engine.rebuild(VERSIONS)


def test_copies_collapse_to_one_hit_a_story_and_the_total_counts_stories(versions_index):
    results = run(q="strike", sort="newest")
    assert ids(results) == [12, 14, 16]  # the newest copy stands for its story
    assert results.total == 3 and results.copies == 6
    assert ids(run(q="strike", sort="oldest")) == [13, 15, 14]
    assert ids(run(sort="newest", per_page=2, page=2)) == [16]
    assert run(per_page=2).pages == 2


def test_every_copy_shows_them_all_and_counts_copies(versions_index):
    results = run(q="strike", sort="newest", every_copy=True)
    assert ids(results) == [12, 11, 14, 16, 15, 13]
    assert results.total == 6 and results.copies is None


def test_the_best_scoring_copy_stands_for_its_story(versions_index):
    results = run(q="strike")
    assert 12 in ids(results)  # "strike" twice in its body
    assert not {11, 13} & set(ids(results))


def test_collapsed_facet_counts_are_the_stories_clicking_gives(versions_index):
    results = run(q="strike")
    minister = {f.value: f.count for f in results.facets["minister"]}
    assert minister == {"a": 2, "b": 2}
    for value, count in minister.items():
        assert run(q="strike", ministers=(value,)).total == count
    years = {f.value: f.count for f in results.facets["year"]}
    assert years == {2024: 3, 2023: 1}
    for year, count in years.items():
        assert run(q="strike", years=(year,)).total == count
    every = run(q="strike", every_copy=True)
    assert {f.value: f.count for f in every.facets["minister"]} == {"a": 3, "b": 3}


def test_collapsed_counts_with_a_year_chosen_and_by_month(versions_index):
    # 2024 chosen: the dock story (two of its copies in 2024), the nurses, the rail story.
    results = run(q="strike", years=(2024,))
    assert results.total == 3 and results.copies == 5
    assert {f.value: f.count for f in results.facets["minister"]} == {"a": 2, "b": 2}
    assert {f.value: f.count for f in results.facets["year"]} == {2024: 3, 2023: 1}
    months = run(
        q="strike", date_from=datetime.date(2024, 1, 1), date_to=datetime.date(2024, 6, 30)
    )
    assert [(b.value, b.count) for b in months.date_histogram.buckets] == [
        ("2024-02", 1),
        ("2024-04", 1),
        ("2024-05", 1),
    ]


def test_a_count_has_no_hits_but_the_stories_and_first_and_last_dates(versions_index):
    counted = run(q="strike", every_copy=True, per_page=0)
    assert counted.hits == [] and counted.total == 6 and counted.stories == 3
    assert counted.first_published == datetime.date(2023, 12, 1)
    assert counted.last_published == datetime.date(2024, 5, 3)
    in_2024 = run(q="strike", years=(2024,), every_copy=True, per_page=0)
    assert in_2024.total == 5 and in_2024.stories == 3
    assert in_2024.first_published == datetime.date(2024, 2, 1)
    rail = run(q="rail", per_page=0)  # copies collapsed: the dates are still every copy's
    assert rail.total == 1 and rail.stories == 1 and rail.copies == 2
    assert (rail.first_published, rail.last_published) == (
        datetime.date(2024, 2, 1),
        datetime.date(2024, 2, 2),
    )
    nothing = run(q="strike", date_from=datetime.date(2025, 1, 1), per_page=0)
    assert nothing.total == 0 and nothing.stories == 0
    assert nothing.first_published is None and nothing.last_published is None


# Triage: shared labels are indexed (a facet like ministers); a reader's stars and notes come
# as the ids to keep (``only_ids``), never indexed.
def labelled(document: IndexDocument, *labels: str) -> IndexDocument:
    return dataclasses.replace(document, labels=tuple(labels))


LABELLED = [
    labelled(CORPUS[0], "lead", "verify"),
    labelled(CORPUS[1], "lead"),
    CORPUS[2],
    labelled(CORPUS[3], "verify"),
    CORPUS[4],
]


@pytest.fixture
def labelled_index(search_engine):
    engine.rebuild(LABELLED)


def test_labels_are_a_facet_whose_counts_are_what_clicking_gives(labelled_index):
    label = {f.value: f.count for f in run().facets["label"]}
    assert label == {"lead": 2, "verify": 2}
    for value, count in label.items():
        assert run(labels=(value,)).total == count
    assert set(ids(run(labels=("lead", "verify")))) == {1}  # all of them
    narrowed = run(labels=("verify",))
    assert {f.value: f.count for f in narrowed.facets["label"]} == {"verify": 2, "lead": 1}
    assert {f.value: f.count for f in run(q="rail").facets["label"]} == {}
    assert {f.value: f.count for f in run(labels=("gone",)).facets["label"]} == {"gone": 0}


def test_label_filters_combine_with_words_facets_and_dates(labelled_index):
    assert set(ids(run(q="cyber", labels=("lead",)))) == {1}
    assert set(ids(run(labels=("lead",), ministers=("jaishankar",), topics=("space",)))) == {2}
    assert set(ids(run(labels=("lead",), years=(2024,)))) == {1, 2}
    assert set(ids(run(labels=("verify",), date_from=datetime.date(2024, 6, 1)))) == {1}
    assert set(ids(run(q="title:café", labels=("verify",)))) == {4}
    by_year = run(labels=("lead",), years=(2024,))
    assert {f.value: f.count for f in by_year.facets["label"]} == {"lead": 2, "verify": 1}


def test_only_ids_keeps_a_readers_starred_or_noted_articles(labelled_index):
    assert set(ids(run(only_ids=frozenset({2, 3, 99})))) == {2, 3}
    assert ids(run(only_ids=frozenset())) == []
    assert set(ids(run(q="cooperation", only_ids=frozenset({1, 2, 5})))) == {1, 2}
    kept = run(only_ids=frozenset({1, 2, 3}), labels=("lead",))
    assert set(ids(kept)) == {1, 2}
    assert {f.value: f.count for f in kept.facets["minister"]} == {"jaishankar": 2, "kihara": 1}
    assert {f.value: f.count for f in run(only_ids=frozenset({4})).facets["label"]} == {"verify": 1}


def test_a_label_change_is_searchable_after_the_writer_commits(labelled_index):
    with engine.open_writer(timeout=5) as writer:
        writer.upsert(labelled(CORPUS[2], "lead"))
        writer.upsert(CORPUS[1])  # its label removed
    assert set(ids(run(labels=("lead",)))) == {1, 3}


def test_labelled_copies_count_stories(search_engine):
    engine.rebuild([labelled(VERSIONS[0], "dock"), labelled(VERSIONS[1], "dock"), VERSIONS[3]])
    results = run(q="strike", labels=("dock",))
    assert results.total == 1 and results.copies == 2
    assert {f.value: f.count for f in run(q="strike").facets["label"]} == {"dock": 1}
    every = run(q="strike", every_copy=True)
    assert {f.value: f.count for f in every.facets["label"]} == {"dock": 2}
