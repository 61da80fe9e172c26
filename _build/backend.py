"""setuptools' build backend, asking for mypyc only when the compiled build is asked for.

``GOVDISCLOSURE_COMPILE=1 pip install .`` builds the parser's stages with mypyc (see setup.py); mypyc
type-checks them first, so the build then needs mypy, the stubs the lint extra names, the runtime
dependencies and the readers' extras (their types), read from pyproject.toml.  Only a wheel is compiled:
an sdist, the metadata and an editable install are setuptools' own, unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from setuptools import build_meta as _orig
from setuptools.build_meta import *  # noqa: F403  (the backend's every hook, as setuptools has them)

#: what the build environment needs besides setuptools to compile
MYPYC = ("mypy>=1.13",)
#: the extras whose packages the compiled modules' imports reach
COMPILE_EXTRAS = ("parse", "pdf", "fast")
#: the values of GOVDISCLOSURE_COMPILE that ask for the compiled build, and those that don't
YES, NO = ("1", "true", "yes", "on"), ("", "0", "false", "no", "off")
#: True only while a wheel is built: every other hook (the requirements, the metadata, an sdist, an editable
#: install) runs setup.py without compiling (mypyc may not be installed then, and its type check would run for
#: nothing; an editable install's compiled modules would hide the edits to the source)
building = False


def compiling() -> bool:
    """Whether the compiled build is asked for (GOVDISCLOSURE_COMPILE=1); another value is refused, not taken for
    "no" (a build the user did not ask for, without a word)."""
    value = os.environ.get("GOVDISCLOSURE_COMPILE", "").strip().lower()
    if value not in YES + NO:
        raise SystemExit(f"GOVDISCLOSURE_COMPILE={value!r}：应为 1（编译版）或 0 / must be 1 (compiled) or 0")
    return value in YES


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


def get_requires_for_build_wheel(config_settings: dict[str, Any] | None = None) -> list[str]:
    return [*_orig.get_requires_for_build_wheel(config_settings), *_compile_requires()]


def build_wheel(wheel_directory: str, config_settings: dict[str, Any] | None = None,
                metadata_directory: str | None = None) -> str:
    global building
    building = True
    try:
        return str(_orig.build_wheel(wheel_directory, config_settings, metadata_directory))
    finally:
        building = False
