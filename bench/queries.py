"""The fixed query mix the benchmark runs, in the app's URL terms and in SQLite FTS5 terms.

Words are chosen by how often the corpus uses them (bench/corpus.py draws by real English
frequency): rare (~0.02% of articles), middling (~2-5%), common (30-60%), the seeds' domain
words and names, two-word AND, phrases (domain and common-word), wildcards, NOT, a typo
(the "did you mean" path), filters alone and with words, browsing everything, deep pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class BenchQuery:
    name: str
    q: str = ""
    fts: str | None = None  # FTS5 MATCH expression; None: no words (browse by date)
    ministers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    page: int = 1
    sort: str = ""
    tags: tuple[str, ...] = field(default=())

    def params(self) -> list[tuple[str, str]]:
        params = [("q", self.q)] if self.q else []
        params += [("minister", m) for m in self.ministers]
        params += [("topic", t) for t in self.topics]
        params += [("year", str(y)) for y in self.years]
        if self.page != 1:
            params.append(("page", str(self.page)))
        if self.sort:
            params.append(("sort", self.sort))
        return params


MIX: list[BenchQuery] = [
    # Rare words: a handful of articles each.
    BenchQuery("rare: hygienist", "hygienist", "hygienist"),
    BenchQuery("rare: sonnets", "sonnets", "sonnets"),
    BenchQuery("rare: estuary", "estuary", "estuary"),
    # Middling words.
    BenchQuery("mid: parliament", "parliament", "parliament"),
    BenchQuery("mid: hospital", "hospital", "hospital"),
    BenchQuery("mid: satellite", "satellite", "satellite"),
    # Common words: a large share of the archive matches.
    BenchQuery("common: people", "people", "people"),
    BenchQuery("common: time", "time", "time"),
    BenchQuery("common: world", "world", "world"),
    BenchQuery("common: government", "government", "government"),
    # The seeds' domain words and names.
    BenchQuery("domain: security", "security", "security"),
    BenchQuery("domain: Indo-Pacific", "Indo-Pacific", '"indo pacific"'),
    BenchQuery("domain: Jaishankar", "Jaishankar", "jaishankar"),
    BenchQuery("domain: semiconductors", "semiconductors", "semiconductors"),
    # Two words (AND).
    BenchQuery("and: maritime security", "maritime security", "maritime AND security"),
    BenchQuery("and: people world", "people world", "people AND world"),
    BenchQuery("and: hospital government", "hospital government", "hospital AND government"),
    # Phrases.
    BenchQuery("phrase: supply chain", '"supply chain"', '"supply chain"'),
    BenchQuery("phrase: prime minister", '"prime minister"', '"prime minister"'),
    BenchQuery("phrase common: last year", '"last year"', '"last year"'),
    BenchQuery("phrase common: people know", '"people know"', '"people know"'),
    # Operators.
    BenchQuery("wildcard: secur*", "secur*", "secur*"),
    BenchQuery("not: security -japan", "security -japan", "security NOT japan"),
    BenchQuery("or: navy OR naval", "navy OR naval", "navy OR naval"),
    BenchQuery("title: title:security", "title:security", "title:security"),
    BenchQuery("typo: securty", "securty", "securty", tags=("suggestion",)),
    # Filters.
    BenchQuery("minister filter", ministers=("narendra-modi",)),
    BenchQuery("minister + word", "security", "security", ministers=("fumio-kishida",)),
    BenchQuery("year filter", years=(2015,)),
    BenchQuery("year + word", "people", "people", years=(2020,)),
    BenchQuery(
        "two filters + words",
        "maritime security",
        "maritime AND security",
        ministers=("s-jaishankar",),
        years=(2022,),
    ),
    BenchQuery("topic + minister", topics=("space",), ministers=("narendra-modi",)),
    # Browsing and paging.
    BenchQuery("browse everything"),
    BenchQuery("browse page 50", page=50),
    BenchQuery("deep page 50: people", "people", "people", page=50),
    BenchQuery("newest: government", "government", "government", sort="newest"),
]
