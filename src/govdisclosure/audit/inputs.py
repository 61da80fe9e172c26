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
    walker = _Walker(exclude)
    for given in paths:
        yield from walker.path(os.fsencode(given), given=True)


def _unreadable(path: bytes, exc: OSError, zh: str = "无法读取", en: str = "cannot read") -> Skipped:
    return Skipped(path, "GD-LOAD-INPUT", f"{zh}：{exc.strerror}", f"{en}: {exc.strerror}")


class _Walker:
    """One walk: the folders and files already seen (by device and inode, by normalised name)."""

    def __init__(self, exclude: tuple[str, ...]) -> None:
        self.exclude = exclude
        self.dirs: set[tuple[int, int]] = set()
        self.files: set[bytes] = set()

    def path(self, path: bytes, *, given: bool = False) -> Iterator[Input | Skipped]:
        try:
            st = os.stat(path)  # follows links: a link to a folder is walked (loops are cut in folder())
        except OSError as exc:
            yield _unreadable(path, exc) if given else _unreadable(path, exc, "无法读取（断开的链接？）",
                                                                   "cannot read (a broken link?)")
            return
        if stat.S_ISDIR(st.st_mode):
            yield from self.folder(path, st)
        elif stat.S_ISREG(st.st_mode):
            key = os.path.normpath(path)
            if key not in self.files:
                self.files.add(key)
                yield Input(path, st.st_size, st.st_mtime_ns)
        elif given:
            yield Skipped(path, "GD-LOAD-INPUT", "不是普通文件", "not a regular file")

    def folder(self, path: bytes, st: os.stat_result) -> Iterator[Input | Skipped]:
        key = (st.st_dev, st.st_ino)
        if key in self.dirs:
            yield Skipped(path, "GD-AUDIT-LOOP", "目录已经读过（符号链接循环或重复），跳过",
                          "folder already walked (a symlink loop or a repeat): skipped")
            return
        self.dirs.add(key)
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            yield _unreadable(path, exc, "无法列出目录", "cannot list the folder")
            return
        for entry in entries:
            if not entry.name.startswith(b".") and not _excluded(entry.path, self.exclude):
                yield from self.path(entry.path)


def read_list(stream: Iterable[bytes]) -> Iterator[bytes]:
    """File names from a list (one a line, as ``find`` prints them; ``-print0`` lists work too)."""
    for line in stream:
        for name in line.split(b"\0"):
            name = name.rstrip(b"\r\n")
            if name:
                yield name
