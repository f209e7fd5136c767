"""Which site an article came from: the URL's host, a line naming the site, else its folder's
one site; an editor's SOURCE file names a folder's site outright."""

from __future__ import annotations

from pathlib import Path

from search.ingest.sites import SiteResolver, normal_site, site_named_in
from search.ingest.sources import SourceDocument

STORY = "Ministers met in Tokyo on Tuesday to talk about maritime security and trade."


def test_a_text_dump_names_its_site_by_an_address_or_a_copyright_line():
    assert site_named_in(f"www.harbour-post.example\nHeadline\n{STORY}", "txt") == (
        "harbour-post.example"
    )
    assert site_named_in(f"Headline\n{STORY}\nSource: https://Kite.example/a/b", "txt") == (
        "kite.example"
    )
    assert site_named_in(f"Headline\n{STORY}\n© 2024 Harbour Post. All rights reserved", "txt") == (
        "harbour post"
    )
    assert site_named_in(f"Headline\n{STORY}\nCopyright (c) 2019-2024 Asia Ledger Ltd", "txt") == (
        "asia ledger ltd"
    )


def test_a_text_dump_without_a_site_line_names_none():
    assert site_named_in(f"Headline\n{STORY}\nRead more at the Harbour Post.", "txt") == ""
    assert site_named_in(f"Headline\n{STORY}\n© All rights reserved", "txt") == ""
    assert site_named_in(f"Japan.India\n{STORY}", "txt") == ""  # a phrase, not an address


def test_an_html_page_names_its_site_by_its_canonical_address_or_site_name():
    canonical = '<html><head><link rel="canonical" href="https://www.kite.example/x"></head>'
    assert site_named_in(canonical + f"<body><p>{STORY}</p></body></html>", "html") == (
        "kite.example"
    )
    named = '<html><head><meta property="og:site_name" content="The  Kite"></head>'
    assert site_named_in(named + "<body></body></html>", "html") == "the kite"
    footer = f"<html><body><p>{STORY}</p>\n<footer>© 2024 Kite News</footer></body></html>"
    assert site_named_in(footer, "html") == "kite news"


def test_an_editor_names_a_site_by_address_or_name():
    assert normal_site("https://www.Kite.example/path") == "kite.example"
    assert normal_site("www.kite.example") == "kite.example"
    assert normal_site("  Kite   News ") == "kite news"


def document(folder: Path, name: str, text: str, **fields) -> SourceDocument:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return SourceDocument(
        name=str(path), raw=text, raw_format="txt", source_path=str(path), **fields
    )


def test_a_folder_of_many_sites_is_not_one_source(tmp_path):
    """Unnamed dumps in a folder of several sites stand alone; named ones go to their site."""
    harbour = document(tmp_path, "a.txt", f"Headline\n{STORY}\n© 2024 Harbour Post")
    kite = document(tmp_path, "b.txt", f"Headline\n{STORY}\n© 2024 Kite News")
    unnamed = document(tmp_path, "c.txt", f"Headline\n{STORY}")
    resolver = SiteResolver(max_bytes=10_000)
    keys = [resolver.source_key(d, file=Path(d.name)) for d in (harbour, kite, unnamed)]
    assert keys == ["harbour post", "kite news", str(tmp_path / "c.txt")]


def test_a_folder_whose_files_name_one_site_is_that_site(tmp_path):
    document(tmp_path, "a.txt", f"Headline\n{STORY}\n© 2024 Harbour Post")
    unnamed = document(tmp_path, "b.txt", f"Headline\n{STORY}")
    resolver = SiteResolver(max_bytes=10_000)
    assert resolver.source_key(unnamed, file=Path(unnamed.name)) == "harbour post"


def test_the_url_then_the_record_then_the_editors_source_file_come_first(tmp_path):
    (tmp_path / "SOURCE").write_text("www.kite.example\n")
    named = document(tmp_path, "a.txt", f"Headline\n{STORY}\n© 2024 Harbour Post")
    with_url = document(tmp_path, "b.txt", STORY, source_url="https://www.tern.example/1")
    with_site = document(tmp_path, "c.txt", STORY, site="Tern Daily")
    resolver = SiteResolver(max_bytes=10_000)
    keys = [resolver.source_key(d, file=Path(d.name)) for d in (named, with_url, with_site)]
    assert keys == ["kite.example", "tern.example", "tern daily"]
