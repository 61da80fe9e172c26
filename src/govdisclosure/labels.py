"""A label in both languages: the leaf every other module builds its words on."""

from __future__ import annotations

import attrs

__all__ = ["Label"]


@attrs.frozen(cache_hash=True)
class Label:
    """Words in Chinese (``zh``: verbatim, as printed on the official form) and English (``en``: a gloss)."""

    zh: str
    en: str

    def __str__(self) -> str:
        return self.zh

    def get(self, lang: str) -> str:
        """The words in ``lang`` ("zh" or "en"; anything else reads as Chinese)."""
        return self.en if lang == "en" else self.zh
