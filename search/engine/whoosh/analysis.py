"""The app's analyser (``search.engine.analysis``) as Whoosh sees it: ``NewsroomAnalyzer``.

The analysis itself is engine-neutral and lives in ``search.engine.analysis``; its names are
re-exported here for the Whoosh engine's modules.
"""

from __future__ import annotations

from whoosh import analysis

from search.engine.analysis import MIN_WORD_CHARS as MIN_WORD_CHARS
from search.engine.analysis import STOP_WORDS as STOP_WORDS
from search.engine.analysis import WORD as WORD
from search.engine.analysis import AnalysedWord as AnalysedWord
from search.engine.analysis import analyse
from search.engine.analysis import analysed as analysed
from search.engine.analysis import cached_stem as cached_stem
from search.engine.analysis import fold as fold
from search.engine.analysis import stems as stems
from search.engine.analysis import word_stem as word_stem


class NewsroomAnalyzer(analysis.Analyzer):
    """``analyse`` as a Whoosh analyzer, for what Whoosh analyses itself (more-like-this).

    Pickled with the schema into the index: moving or renaming it needs a schema version bump.
    """

    is_morph = True  # it stems: Whoosh then keeps the unstemmed words for spelling apart

    def __call__(self, value, positions=False, chars=False, start_pos=0, start_char=0, **kw):
        token = analysis.Token(positions, chars, **kw)
        token.boost, token.stopped = 1.0, False
        for stemmed, position, start, end in analyse(value):
            token.text = stemmed
            if positions:
                token.pos = start_pos + position
            if chars:
                token.startchar, token.endchar = start_char + start, start_char + end
            yield token

    def __eq__(self, other):
        return type(other) is type(self)

    __hash__ = object.__hash__
