"""A deterministic synthetic news archive for the benchmark: N articles as import files.

    python bench/corpus.py 10000 bench/out/corpus-10000 [--seed 6]

What makes it look like news to a search engine (not a recombination of the seed sentences):

* words drawn from the 50,000 most frequent English words with their real frequencies
  (wordfreq ships its tables in the package: nothing is downloaded), so the postings are
  Zipf-shaped: a few words in nearly every article, a long tail of rare ones;
* the seeds' domain vocabulary (words of seeds/*.txt that are not everyday English) mixed in
  at a few percent of the words, and minister names (with their aliases) and topic keywords
  from seeds/curation.json at the rates a foreign-affairs desk would have them;
* bodies of log-normal length (median ~450 words) in paragraphs of one to four sentences;
* dates spread over 20 years (2006-2025, more articles in later years): most given by the
  feed, some only as a dateline in the text, a few undated;
* boilerplate to strip: "Read more:" promos, "POPULAR ARTICLE" lists, "Comments" footers,
  site-wide lines repeated by every article of a source, and HTML pages with nav and footer.

Files: JSON lines of 1,000 articles (95%), plus .txt (4%) and .html (1%) files per source.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import re
from pathlib import Path

import numpy as np
from wordfreq import top_n_list, word_frequency

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
VOCABULARY_SIZE = 50_000
LINES_PER_JSONL = 1_000
FIRST_DAY = datetime.date(2006, 1, 1).toordinal()
LAST_DAY = datetime.date(2025, 12, 31).toordinal()
SOURCES = [
    ("www.tokyo-herald.example", "Tokyo Herald"),
    ("delhi-wire.example", "Delhi Wire"),
    ("www.indopacific-review.example", "Indo-Pacific Review"),
    ("news.asia-ledger.example", "Asia Ledger"),
    ("www.ministry-press.example", "Ministry Press"),
    ("www.pacific-times.example", "Pacific Times"),
    ("www.capital-chronicle.example", "Capital Chronicle"),
    ("www.harbour-post.example", "Harbour Post"),
]
SOURCE_WEIGHTS = np.array([0.22, 0.2, 0.14, 0.12, 0.1, 0.09, 0.07, 0.06])
SAID = ["said", "told reporters", "said on Tuesday", "said in a statement", "added", "noted"]


class Vocabulary:
    """Everyday English by frequency, the seeds' domain words, the curated names and keywords."""

    def __init__(self) -> None:
        self.words = top_n_list("en", VOCABULARY_SIZE)
        frequencies = np.array([word_frequency(word, "en") for word in self.words])
        self.cdf = np.cumsum(frequencies / frequencies.sum())
        self.words_array = np.array(self.words, dtype=object)
        everyday = set(self.words[:8000])
        seed_words: dict[str, int] = {}
        for path in sorted(SEEDS.glob("*.txt")):
            for word in re.findall(r"[A-Za-z][A-Za-z\-]{3,}", path.read_text()):
                if word.lower() not in everyday:
                    seed_words[word] = seed_words.get(word, 0) + 1
        self.domain = sorted(seed_words)
        weights = np.array([seed_words[word] for word in self.domain], dtype=float)
        self.domain_cdf = np.cumsum(weights / weights.sum())
        curation = json.loads((SEEDS / "curation.json").read_text())
        self.ministers = [
            (m["slug"], [m["name"], *m.get("aliases", [])], m.get("office", ""))
            for m in curation["ministers"]
        ]
        # A few ministers are in the news far more often than the rest (Zipf).
        popularity = 1 / np.arange(1, len(self.ministers) + 1)
        self.minister_cdf = np.cumsum(popularity / popularity.sum())
        self.topics = [(t["slug"], t["keywords"]) for t in curation["topics"]]
        popularity = 1 / np.arange(1, len(self.topics) + 1) ** 0.7
        self.topic_cdf = np.cumsum(popularity / popularity.sum())


def pick(rng: np.random.Generator, cdf: np.ndarray, size: int | None = None):
    draws = np.searchsorted(cdf, rng.random(size), side="right")
    return np.minimum(draws, len(cdf) - 1)


class ArticleMaker:
    def __init__(self, vocabulary: Vocabulary, rng: np.random.Generator) -> None:
        self.v = vocabulary
        self.rng = rng
        # Each site's own promos and rankings: the headlines of its "other articles".
        self.promo_headlines = {
            host: [self.headline() for _ in range(150)] for host, _name in SOURCES
        }

    def words(self, count: int) -> list[str]:
        return list(self.v.words_array[pick(self.rng, self.v.cdf, count)])

    def headline(self) -> str:
        words = self.words(int(self.rng.integers(5, 11)))
        if self.rng.random() < 0.6:
            words.insert(int(self.rng.integers(0, len(words))), self.domain_word())
        return " ".join(word[:1].upper() + word[1:] for word in words)

    def domain_word(self) -> str:
        return self.v.domain[int(pick(self.rng, self.v.domain_cdf))]

    def sentence(self, mentions: list[str]) -> str:
        words = self.words(int(self.rng.integers(6, 32)))
        for _ in range(self.rng.binomial(3, 0.12)):
            words.insert(int(self.rng.integers(0, len(words) + 1)), self.domain_word())
        if mentions and self.rng.random() < 0.5:
            words.insert(int(self.rng.integers(0, len(words) + 1)), mentions.pop())
        if self.rng.random() < 0.12:
            words += [SAID[int(self.rng.integers(0, len(SAID)))]]
        text = " ".join(words)
        text = text[:1].upper() + text[1:]
        return text + (". " if self.rng.random() < 0.95 else "? ").rstrip()

    def article(self, number: int) -> dict:
        rng = self.rng
        host, site = SOURCES[int(pick(rng, np.cumsum(SOURCE_WEIGHTS)))]
        # More articles in later years: day drawn on a slope.
        day = FIRST_DAY + int((LAST_DAY - FIRST_DAY) * rng.random() ** 0.8)
        published = datetime.date.fromordinal(day)
        mentions = self.mentions()
        target_words = int(np.clip(rng.lognormal(np.log(450), 0.6), 60, 4000))
        paragraphs, written = [], 0
        while written < target_words:
            sentences = [self.sentence(mentions) for _ in range(int(rng.integers(1, 5)))]
            paragraph = " ".join(sentences)
            paragraphs.append(paragraph)
            written += paragraph.count(" ") + 1
        for mention in mentions:  # whatever names and keywords did not fit in a sentence
            at = int(rng.integers(0, len(paragraphs)))
            paragraphs[at] += f" {mention[:1].upper() + mention[1:]} was also on the agenda."
        date_mode = rng.random()
        if 0.85 <= date_mode < 0.95:  # only the text says when
            place = ["TOKYO", "NEW DELHI", "SINGAPORE", "CANBERRA"][int(rng.integers(0, 4))]
            paragraphs[0] = (
                f"{place}, {published:%B} {published.day}, {published.year} — " + (paragraphs[0])
            )
        self.add_boilerplate(paragraphs, host, site, published)
        return {
            "number": number,
            "host": host,
            "site": site,
            "title": self.headline(),
            "paragraphs": paragraphs,
            "published": published.isoformat() if date_mode < 0.85 else "",
            "url": f"https://{host}/{published:%Y/%m/%d}/story-{number:07d}",
        }

    def mentions(self) -> list[str]:
        """Minister names and topic keywords this article carries, to be sprinkled in."""
        rng, mentions = self.rng, []
        for _ in range(int(rng.choice(4, p=[0.45, 0.33, 0.17, 0.05]))):
            _slug, names, office = self.v.ministers[int(pick(rng, self.v.minister_cdf))]
            first = f"{office} {names[0]}" if office and rng.random() < 0.5 else names[0]
            mentions.append(first)
            mentions += [names[int(rng.integers(0, len(names)))] for _ in range(rng.integers(0, 4))]
        for _ in range(int(rng.choice(4, p=[0.4, 0.35, 0.18, 0.07]))):
            _slug, keywords = self.v.topics[int(pick(rng, self.v.topic_cdf))]
            mentions += [keywords[int(rng.integers(0, len(keywords)))] for _ in range(1, 4)]
        rng.shuffle(mentions)
        return mentions

    def add_boilerplate(self, paragraphs: list[str], host: str, site: str, published) -> None:
        rng, promos = self.rng, self.promo_headlines[host]

        def promo() -> str:
            return promos[int(pick(rng, PROMO_CDF))]

        if rng.random() < 0.35 and len(paragraphs) > 2:
            position = int(rng.integers(1, len(paragraphs)))
            paragraphs.insert(position, f"Read more: {promo()}")
        if rng.random() < 0.2:
            paragraphs += ["POPULAR ARTICLE", *(promo() for _ in range(5))]
        if rng.random() < 0.15:
            paragraphs += [f"Comments ({int(rng.integers(1, 90))})"]
            paragraphs += [" ".join(self.words(int(rng.integers(4, 20)))) for _ in range(3)]
        if rng.random() < 0.5:
            paragraphs.append(f"Sign up for the {site} newsletter: subscribe now")
        if rng.random() < 0.4:
            paragraphs.append(f"© {published.year} {site}. All rights reserved")


PROMO_CDF = np.cumsum((w := 1 / np.arange(1, 151) ** 0.8) / w.sum())


def html_page(article: dict) -> str:
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in article["paragraphs"])
    date = article["published"] or ""
    return f"""<!doctype html>
<html><head><meta charset="utf-8"><title>{html.escape(article["title"])} | {article["site"]}</title>
{f'<meta property="article:published_time" content="{date}">' if date else ""}</head>
<body><header class="site-header"><a href="/">{article["site"]}</a>
<nav class="main-nav"><a href="/politics">Politics</a> <a href="/world">World</a>
<a href="/business">Business</a> <a href="/opinion">Opinion</a></nav></header>
<main><article><h1>{html.escape(article["title"])}</h1>
{f'<time datetime="{date}">{date}</time>' if date else ""}
{body}
</article>
<aside class="related"><h2>Related</h2><ul><li><a href="/a">Other story one here</a></li>
<li><a href="/b">Other story two here today</a></li></ul></aside></main>
<footer class="site-footer"><p>© {article["site"]}. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/contact">Contact</a></footer></body></html>
"""


def generate(count: int, out_dir: Path, *, seed: int = 6) -> dict:
    """Write ``count`` articles under ``out_dir``; returns a summary of what was written."""
    rng = np.random.default_rng(seed)
    maker = ArticleMaker(Vocabulary(), rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    formats = {"jsonl": 0, "txt": 0, "html": 0}
    words = 0
    jsonl, jsonl_lines, jsonl_number = None, 0, 0
    try:
        for number in range(count):
            article = maker.article(number)
            words += sum(p.count(" ") + 1 for p in article["paragraphs"])
            kind = rng.random()
            slug = article["host"].split(".")[-2]
            if kind < 0.95:
                if jsonl is None or jsonl_lines == LINES_PER_JSONL:
                    if jsonl:
                        jsonl.close()
                    jsonl = (out_dir / f"feed-{jsonl_number:04d}.jsonl").open("w")
                    jsonl_number, jsonl_lines = jsonl_number + 1, 0
                record = {"title": article["title"], "body": "\n".join(article["paragraphs"])}
                if rng.random() < 0.9:
                    record["url"] = article["url"]
                if article["published"]:
                    record["published"] = article["published"]
                jsonl.write(json.dumps(record, ensure_ascii=False) + "\n")
                jsonl_lines += 1
                formats["jsonl"] += 1
            elif kind < 0.99:
                folder = out_dir / "txt" / slug
                folder.mkdir(parents=True, exist_ok=True)
                text = "\n".join([article["title"], *article["paragraphs"]])
                (folder / f"{number:07d}.txt").write_text(text + "\n")
                formats["txt"] += 1
            else:
                folder = out_dir / "html" / slug
                folder.mkdir(parents=True, exist_ok=True)
                (folder / f"{number:07d}.html").write_text(html_page(article))
                formats["html"] += 1
    finally:
        if jsonl:
            jsonl.close()
    summary = {"articles": count, "seed": seed, "words": words, "formats": formats}
    (out_dir / "SUMMARY.json").write_text(json.dumps(summary, indent=2) + "\n")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int)
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--seed", type=int, default=6)
    arguments = parser.parse_args()
    print(json.dumps(generate(arguments.count, arguments.out_dir, seed=arguments.seed)))


if __name__ == "__main__":
    main()
