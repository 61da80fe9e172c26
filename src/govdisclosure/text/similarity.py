"""How much of one text is repeated word for word in another, and which pairs of many texts to compare.

Two texts are compared on their sentences' keys (:mod:`.sentences`): the *share* of text A
repeated in text B is the number of A's distinct sentence keys that B also has, over the
number of A's distinct keys.  It is directional: a short report copied whole into a long
one has share 1.0 in the long one, which has a small share in the short one.

:class:`SentenceIndex` finds, among thousands of texts, every pair in which either text's
share reaches a threshold, without comparing all pairs.  It is an inverted index of sentence
hashes searched with *prefix filtering* (Bayardo, Ma & Srikant, "Scaling up all pairs
similarity search", WWW 2007): if A shares at least ``k`` of its ``n`` sentences with B,
then B holds one of the ``n - k + 1`` sentences of A that are rarest in the collection, so
A needs to be looked up by those only.  The result is exact (the same pairs as comparing
every pair) and common boilerplate sentences are rarely looked up.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable, Iterator, Sequence

import attrs

from .sentences import Sentence

__all__ = ["Match", "Overlap", "SentenceIndex", "fingerprint", "key_hash", "needed", "overlap"]


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a sentence key (the same in every process, unlike ``hash``)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big")


def fingerprint(sentences: Iterable[Sentence]) -> frozenset[int]:
    """The set of a text's sentence-key hashes: what :class:`SentenceIndex` stores of it."""
    return frozenset(key_hash(s.key) for s in sentences)


def needed(n: int, threshold: float) -> int:
    """How many of ``n`` sentences must be shared for a share ``>= threshold`` (at least 1)."""
    # the epsilon keeps 0.9 * 10 (= 9.000000000000002) at 9
    return max(1, math.ceil(threshold * n - 1e-9))


@attrs.frozen
class Overlap:
    """What of text A is repeated in text B."""

    sentences: int  #: A's distinct sentence keys
    #: for each of A's distinct keys that B has: A's sentence and B's (first occurrences), in A's order
    repeated: tuple[tuple[Sentence, Sentence], ...]

    @property
    def share(self) -> float:
        """The share of A's sentences repeated in B (0.0 for a text without sentences)."""
        return len(self.repeated) / self.sentences if self.sentences else 0.0


def overlap(a: Sequence[Sentence], b: Sequence[Sentence]) -> Overlap:
    """The sentences of ``a`` repeated word for word (same key) in ``b``, quoted from both."""
    in_b: dict[str, Sentence] = {}
    for s in b:
        in_b.setdefault(s.key, s)
    seen: set[str] = set()
    repeated = []
    for s in a:
        if s.key in seen:
            continue
        seen.add(s.key)
        if s.key in in_b:
            repeated.append((s, in_b[s.key]))
    return Overlap(len(seen), tuple(repeated))


@attrs.frozen
class Match:
    """Two texts of an index that share sentences (``a < b``, their numbers in the index)."""

    a: int
    b: int
    shared: int  #: distinct sentence keys both have
    share_a: float  #: share of a's sentences repeated in b
    share_b: float  #: share of b's sentences repeated in a


class SentenceIndex:
    """An inverted index of the sentence hashes of many texts (see the module's docstring).

    Add each text's :func:`fingerprint`; :meth:`matches` then lists the pairs in which
    either text's share reaches a threshold, exactly as comparing every pair would.
    """

    def __init__(self) -> None:
        self._docs: list[frozenset[int]] = []
        self._postings: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._docs)

    def add(self, fp: Iterable[int]) -> int:
        """Add a text's fingerprint; returns its number in the index (0, 1, …)."""
        doc = frozenset(fp)
        n = len(self._docs)
        self._docs.append(doc)
        for h in doc:
            self._postings.setdefault(h, []).append(n)
        return n

    def fingerprint(self, doc: int) -> frozenset[int]:
        return self._docs[doc]

    def frequency(self, h: int) -> int:
        """In how many texts of the index a sentence hash occurs."""
        return len(self._postings.get(h, ()))

    def _kept(self, doc: frozenset[int], max_df: int | None) -> frozenset[int]:
        if max_df is None:
            return doc
        return frozenset(h for h in doc if len(self._postings.get(h, ())) <= max_df)

    def matches(self, threshold: float, *, min_shared: int = 1, max_df: int | None = None) -> list[Match]:
        """Every pair of texts where either text's share in the other is ``>= threshold``
        and at least ``min_shared`` sentences are shared, sorted by ``(a, b)``.

        ``max_df``: sentences found in more than this many texts are boilerplate, left out
        of both texts before shares are counted (None: keep all).
        """
        if not 0 < threshold <= 1:
            raise ValueError(f"threshold must be in (0, 1], got {threshold}")
        postings = self._postings
        docs = [self._kept(d, max_df) for d in self._docs]
        found: set[tuple[int, int]] = set()
        for a, doc in enumerate(docs):
            n = len(doc)
            need = max(needed(n, threshold), min_shared)
            if n < need:
                continue
            # the rarest n - need + 1 sentences of a: any text sharing `need` of a's holds one
            prefix = sorted(doc, key=lambda h: (len(postings[h]), h))[: n - need + 1]
            for h in prefix:
                for b in postings[h]:
                    if b != a:
                        found.add((a, b) if a < b else (b, a))
        out = []
        for a, b in sorted(found):
            da, db = docs[a], docs[b]
            shared = len(da & db)
            if shared < min_shared:
                continue
            if shared >= needed(len(da), threshold) or shared >= needed(len(db), threshold):
                out.append(Match(a, b, shared, shared / len(da), shared / len(db)))
        return out

    def neighbours(self, fp: Iterable[int], threshold: float, *, min_shared: int = 1) -> Iterator[Match]:
        """The texts of the index that share with a text outside it (``a = -1``) a share
        ``>= threshold`` either way, by their number."""
        doc = frozenset(fp)
        counts: dict[int, int] = {}
        for h in doc:
            for b in self._postings.get(h, ()):
                counts[b] = counts.get(b, 0) + 1
        for b in sorted(counts):
            shared, db = counts[b], self._docs[b]
            if shared >= min_shared and (shared >= needed(len(doc), threshold)
                                         or shared >= needed(len(db), threshold)):
                yield Match(-1, b, shared, shared / len(doc), shared / len(db))
