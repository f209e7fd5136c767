"""search.text: what stays in a text and what goes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search.text import strip_unsafe_characters


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("a\x00b\x01c\x08d\x1b\x1fe", "abcde"),  # C0 controls go
        ("tab\tline\ncr\r", "tab\tline\ncr\r"),  # the three XML allows stay
        ("word\x0bbreak\x0cpage\x1cfile\x85next", "word\nbreak\npage\nfile\nnext"),
        ("del\x7f c1\x80\x9f", "del c1"),  # DEL and C1: allowed by XML, discouraged, gone
        ("lone \ud800\udfff surrogates", "lone  surrogates"),
        ("not characters \ufffe\uffff", "not characters "),
        (
            "é ’ 日本 \u2028 \ue000 \U0001f600 \U0010fffd",
            "é ’ 日本 \u2028 \ue000 \U0001f600 \U0010fffd",
        ),
    ],
)
def test_what_stays_and_what_goes(text, kept):
    assert strip_unsafe_characters(text) == kept


@given(st.text(st.characters(exclude_categories=())))
def test_any_text_becomes_xml_and_utf_8_and_stays_so(text):
    safe = strip_unsafe_characters(text)
    assert strip_unsafe_characters(safe) == safe
    element = ET.fromstring(f"<t>{escape(safe)}</t>".encode())  # expat: XML 1.0 characters only
    assert (element.text or "") == safe.replace("\r\n", "\n").replace("\r", "\n")


def test_an_input_format_may_keep_a_character_it_gives_a_meaning():
    pages = "Page one\x01\n\f\nPage two\x0b"
    assert strip_unsafe_characters(pages, keep="\f") == "Page one\n\f\nPage two\n"
