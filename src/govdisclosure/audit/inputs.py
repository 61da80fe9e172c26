"""Finding the inputs: folders walked (symlink loops cut), file lists read, odd names kept exact.

File names are handled as bytes (``os.fsencode``) so that a name that is not valid UTF-8 is still
opened exactly; :func:`~govdisclosure.audit.examine.display_path` gives the text shown to people.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Iterable, Iterator

import attrs

__all__ = ["Input", "Skipped", "walk"]


@attrs.frozen
class Input:
    """A file to audit: its name as bytes and what ``stat`` says (to skip unchanged files on resume)."""

    path: bytes
    size: int
    mtime_ns: int


@attrs.frozen
class Skipped:
    """A path that is not a file to read: a symlink loop, a missing path, a broken link."""

    path: bytes
    code: str
    reason_zh: str
    reason_en: str


def _excluded(path: bytes, exclude: tuple[str, ...]) -> bool:
    name = os.path.basename(path).decode("utf-8", "surrogateescape")
    return any(fnmatch.fnmatch(name, pattern) for pattern in exclude)


def walk(paths: Iterable[str | bytes], *, exclude: tuple[str, ...] = ()) -> Iterator[Input | Skipped]:
    """Every regular file under ``paths`` (files given directly are taken as they are), in sorted
    order within each folder; a folder reached twice through symlinks (a loop) is reported once
    as skipped; hidden files and folders (``.name``) are left out of walks."""
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[bytes] = set()

    def file(path: bytes, st: os.stat_result) -> Iterator[Input]:
        key = os.path.normpath(path)
        if key not in seen_files:
            seen_files.add(key)
            yield Input(path, st.st_size, st.st_mtime_ns)

    def folder(path: bytes) -> Iterator[Input | Skipped]:
        try:
            st = os.stat(path)
        except OSError as exc:
            yield Skipped(path, "GD-LOAD-INPUT", f"无法读取：{exc.strerror}", f"cannot read: {exc.strerror}")
            return
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            yield Skipped(path, "GD-AUDIT-LOOP", "目录已经读过（符号链接循环或重复），跳过",
                          "folder already walked (a symlink loop or a repeat): skipped")
            return
        seen_dirs.add(key)
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            yield Skipped(path, "GD-LOAD-INPUT", f"无法列出目录：{exc.strerror}",
                          f"cannot list the folder: {exc.strerror}")
            return
        for entry in entries:
            if entry.name.startswith(b"."):
                continue
            child = entry.path
            if _excluded(child, exclude):
                continue
            try:
                st_child = os.stat(child)  # follows links: a link to a folder is walked (loops cut above)
            except OSError as exc:
                yield Skipped(child, "GD-LOAD-INPUT", f"无法读取（断开的链接？）：{exc.strerror}",
                              f"cannot read (a broken link?): {exc.strerror}")
                continue
            if stat.S_ISDIR(st_child.st_mode):
                yield from folder(child)
            elif stat.S_ISREG(st_child.st_mode):
                yield from file(child, st_child)

    for given in paths:
        path = os.fsencode(given)
        try:
            st = os.stat(path)
        except OSError as exc:
            yield Skipped(path, "GD-LOAD-INPUT", f"无法读取：{exc.strerror}", f"cannot read: {exc.strerror}")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from folder(path)
        elif stat.S_ISREG(st.st_mode):
            yield from file(path, st)
        else:
            yield Skipped(path, "GD-LOAD-INPUT", "不是普通文件", "not a regular file")


def read_list(stream: Iterable[bytes]) -> Iterator[bytes]:
    """File names from a list (one a line, as ``find`` prints them; ``-print0`` lists work too)."""
    for line in stream:
        for name in line.split(b"\0"):
            name = name.rstrip(b"\r\n")
            if name:
                yield name
