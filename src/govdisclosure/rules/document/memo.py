"""What a document rule keeps once per object (its options, a format spec, a registry): apart from the
rules' modules, so that the package registers its rules without importing them (:mod:`.narrative`
gives it to the rules under its old name)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

__all__ = ["per_options"]

T = TypeVar("T")
V = TypeVar("V")


def per_options(build: Callable[[T], V]) -> Callable[[T], V]:
    """``build(obj)`` computed once per object: a rule's options (word lists compiled), a format
    spec, a registry.  These are neither cheap to hash nor hashable at all, so the cache goes by
    identity, and holds the object with its value so that its id stays its own."""
    cache: dict[int, tuple[T, V]] = {}

    @functools.wraps(build)
    def get(obj: T) -> V:
        hit = cache.get(id(obj))
        if hit is not None and hit[0] is obj:
            return hit[1]
        value = build(obj)
        if len(cache) >= 64:  # a user's config makes new options per report: keep the cache small
            cache.clear()
        cache[id(obj)] = (obj, value)
        return value

    return get
