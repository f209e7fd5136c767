"""Text every output can carry: no code point that XML 1.0 forbids, no control characters.

A NUL or a vertical tab in a title, a saved search's name or its words made the Atom feeds
answer 500 (Django's feed writer refuses them), and a lone surrogate cannot even be encoded
as UTF-8 (the databases, the files and the responses all need it). Text is cleaned where it
comes in (imports, the admin's forms, the saving form, the URL's parameters) and again where
it goes out (feeds, exports), so a row written before either still cannot break an output.

Neutral: any room imports it; it imports nothing of ours.
"""

from __future__ import annotations

import re

# What stays: tab, newline, carriage return, and the characters XML 1.0 allows (#x20-#xD7FF,
# #xE000-#xFFFD, #x10000-#x10FFFF) except DEL and the C1 controls (U+007F-U+009F), which XML
# allows but discourages: in text from the web they are mis-decoded bytes, never meant.
UNSAFE_CHARACTERS = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# The controls str.splitlines() reads as line ends (vertical tab, form feed, the file, group
# and record separators, NEL) become a newline, so "line\x0bbreak" keeps its two words apart.
LINE_BREAKING = frozenset("\x0b\x0c\x1c\x1d\x1e\x85")


def _replacement(match: re.Match[str]) -> str:
    return "\n" if match.group() in LINE_BREAKING else ""


def strip_unsafe_characters(text: str, *, keep: str = "") -> str:
    """``text`` without the code points no XML, CSV or UTF-8 output can carry (see above):
    the line-breaking controls become "\\n", the others are removed. ``keep``: characters
    an input format gives a meaning and no output shows (a PDF's page breaks)."""
    if keep:
        return UNSAFE_CHARACTERS.sub(
            lambda match: match.group() if match.group() in keep else _replacement(match), text
        )
    return UNSAFE_CHARACTERS.sub(_replacement, text)
