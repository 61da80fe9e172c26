"""Text similarity: Chinese sentences, the share of one text repeated in another, and an index
that finds the similar pairs among thousands of texts.  Used by the copying rules
(GD-M-DUP-PREV, GD-M-DUP-PEER) and by ``audit``'s ``compare``.

>>> from govdisclosure.text import sentences, overlap
>>> a = sentences("2023年，我局认真贯彻落实条例要求。全年共收到申请12件。", year=2023)
>>> b = sentences("2024年，我局认真贯彻落实条例要求。全年共收到申请15件。", year=2024)
>>> o = overlap(b, a)
>>> o.share, o.repeated[0][0].text
(0.5, '2024年，我局认真贯彻落实条例要求')
"""

from .sentences import (
                        MIN_CHARS,
                        WRAP_RATIO,
                        YEAR_MARK,
                        Sentence,
                        fold_width,
                        mask_years,
                        normalize,
                        sentences,
                        soft_breaks,
                        split,
)
from .similarity import Match, Overlap, SentenceIndex, fingerprint, key_hash, needed, overlap

__all__ = [
    "MIN_CHARS", "WRAP_RATIO", "YEAR_MARK", "Match", "Overlap", "Sentence", "SentenceIndex", "fingerprint",
    "fold_width", "key_hash", "mask_years", "needed", "normalize", "overlap", "sentences", "soft_breaks", "split",
]
