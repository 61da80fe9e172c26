"""The optional compiled build: ``GOVDISCLOSURE_COMPILE=1 pip install .`` compiles the parser's stages and the
rules with mypyc (the same typed source, as C extensions: about 20% less CPU per report; see bench/bench_parse.py).
Every other setting is in pyproject.toml; without the variable this file adds nothing.
"""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig

from setuptools import setup

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "_build"))
import backend

#: the modules compiled: the parser's stages and the rules that validate runs on each report (modules with attrs
#: classes of fields with defaults or with pluggy hooks stay Python, as mypyc cannot compile those: such a class
#: lives in a module of its own, as Passage does; rules/compiled.py stays too: its cached properties, read by the
#: solver, would be made again at each read of a compiled class, which has no __dict__; and rules/options.py, which
#: tells an int from a float, which mypyc converts an int to where a float is declared); the outputs are the same
#: (CI checks every fixture)
COMPILED = (*(f"src/govdisclosure/ingest/{name}.py" for name in (
    "decode", "charset", "depth", "html", "normalise", "regions", "narrative", "metadata", "tokens", "rows", "solver",
    "solve", "assemble")),
    *(f"src/govdisclosure/rules/{name}.py" for name in (
        "engine", "sums", "checks", "values", "document/memo", "document/narrative", "document/content",
        "document/outline", "document/tables", "document/copying", "document/shipped")),
    *(f"src/govdisclosure/text/{name}.py" for name in ("sentences", "similarity")),
    "src/govdisclosure/traditional.py", "src/govdisclosure/model/native.py",
    # the test before orjson writes (the audit's finding rows, parse -o): a walk of every value, ~3x fewer instructions
    "src/govdisclosure/io/fastjson.py")


def _check_compiler() -> None:
    """A C compiler and Python's headers, or a message saying so (not setuptools' own, after mypy's minute)."""
    compiler = (os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc").split()[0]  # as setuptools picks it
    headers = os.path.join(sysconfig.get_paths()["include"], "Python.h")
    if shutil.which(compiler) is None or not os.path.isfile(headers):
        raise SystemExit(f"GOVDISCLOSURE_COMPILE=1：编译版需要 C 编译器（{compiler}）和 Python 头文件（{headers}），"
                         f"或去掉该变量安装纯 Python 版 / the compiled build needs a C compiler ({compiler}) and "
                         f"Python's headers ({headers}); or unset the variable for the pure Python build")


def ext_modules() -> list[object]:
    if not backend.compiling() or not backend.building:  # only a wheel's build compiles (not -e, not an sdist)
        return []
    try:
        from mypyc.build import mypycify
    except ImportError as exc:  # e.g. --no-build-isolation without mypy: say so rather than build pure Python
        raise SystemExit("GOVDISCLOSURE_COMPILE=1 needs mypy in the build environment (pip install mypy) / "
                         "编译版需要构建环境中安装 mypy") from exc
    _check_compiler()
    return list(mypycify(list(COMPILED), opt_level="3", group_name="govdisclosure"))


setup(ext_modules=ext_modules())
