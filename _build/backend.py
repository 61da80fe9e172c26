"""setuptools' build backend, asking for mypyc only when the compiled build is asked for.

``GOVDISCLOSURE_COMPILE=1 pip install .`` builds the parser's stages with mypyc (see setup.py); mypyc
type-checks them first, so the build then needs mypy, the stubs the lint extra names, the runtime
dependencies and the readers' extras (their types), read from pyproject.toml.  Every other build is setuptools' own, unchanged.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from setuptools import build_meta as _orig
from setuptools.build_meta import *  # noqa: F403  (the backend's every hook, as setuptools has them)

#: what the build environment needs besides setuptools to compile
MYPYC = ("mypy>=1.13",)
#: the extras whose packages the compiled modules' imports reach
COMPILE_EXTRAS = ("parse", "pdf", "fast")
#: True while setuptools runs setup.py only to learn what the build needs (mypyc is not installed yet then)
asking = False


def compiling() -> bool:
    """Whether the compiled build is asked for (GOVDISCLOSURE_COMPILE=1)."""
    return os.environ.get("GOVDISCLOSURE_COMPILE", "").strip().lower() in ("1", "true", "yes")


def _compile_requires() -> list[str]:
    if not compiling():
        return []
    from setuptools.config.pyprojecttoml import read_configuration

    project = read_configuration(Path(__file__).resolve().parent.parent / "pyproject.toml")["project"]
    extras = project["optional-dependencies"]
    stubs = [r for r in extras["lint"] if r.startswith("types-")]
    # the compiled modules import the readers of these extras (selectolax, pdfminer, orjson): mypy must see their
    # types as the lint run does, or strict checking fails the build
    return [*MYPYC, *stubs, *project["dependencies"], *(r for extra in COMPILE_EXTRAS for r in extras[extra])]


def _requires(hook: Callable[[dict[str, Any] | None], list[str]], config_settings: dict[str, Any] | None
              ) -> list[str]:
    global asking
    asking = True
    try:
        return [*hook(config_settings), *_compile_requires()]
    finally:
        asking = False


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    return _requires(_orig.get_requires_for_build_wheel, config_settings)


def get_requires_for_build_editable(config_settings: dict[str, Any] | None = None) -> list[str]:
    return _requires(_orig.get_requires_for_build_editable, config_settings)
