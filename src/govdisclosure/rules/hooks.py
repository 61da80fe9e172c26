"""The ``register_rules`` hook of a core rules module, made here: pluggy marks a hook implementation by setting an
attribute on its function, which a module compiled by mypyc cannot take on its own functions (setup.py), so such a
module names a function made by this one, which stays Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..plugins import hookimpl

if TYPE_CHECKING:
    from .types import Rule

__all__ = ["rules_hook"]


def rules_hook(rules: Sequence[Rule]) -> Callable[[], list[Rule]]:
    """A ``register_rules`` hook implementation giving ``rules``."""

    @hookimpl
    def register_rules() -> list[Rule]:
        return list(rules)

    return register_rules
