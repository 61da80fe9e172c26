"""Finding the inputs: folders walked (symlink loops cut, links out of them not followed), file lists read,
odd names kept exact.

File names are handled as bytes (``os.fsencode``) so that a name that is not valid UTF-8 is still
opened exactly; :func:`~govdisclosure.findings.display_path` gives the text shown to people.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from ..findings import display_path
from ..io.source import os_reason
from ..labels import Label
from ..rules.types import Rule
from .rules import LOOP, NOT_FILE, OUTSIDE, make

__all__ = ["Input", "Skipped", "walk"]


@attrs.frozen
class Input:
    """A file to audit: its name as bytes and what ``stat`` says (to skip unchanged files on resume)."""

    path: bytes
    size: int
    mtime_ns: int


@attrs.frozen
class Skipped:
    """A path not read: left out on purpose (a folder seen before, a link out of the audited folders, a named
    pipe or a device: ``left_out``), or that cannot be read (a missing path, a broken link: a failed input)."""

    path: bytes
    code: str
    reason_zh: str
    reason_en: str

    @property
    def left_out(self) -> bool:
        return self.code in _LEFT_OUT


_LEFT_OUT = frozenset(r.code for r in (LOOP, OUTSIDE, NOT_FILE))
#: what a path that is neither a file nor a folder is (stat's test of its mode, and its name)
_KINDS: tuple[tuple[Callable[[int], bool], Label], ...] = (
    (stat.S_ISFIFO, Label("命名管道", "a named pipe")),
    (stat.S_ISSOCK, Label("套接字", "a socket")),
    (stat.S_ISCHR, Label("字符设备", "a character device")),
    (stat.S_ISBLK, Label("块设备", "a block device")),
)


def _excluded(path: bytes, exclude: tuple[str, ...]) -> bool:
    name = os.path.basename(path).decode("utf-8", "surrogateescape")
    return any(fnmatch.fnmatch(name, pattern) for pattern in exclude)


def walk(paths: Iterable[str | bytes], *, exclude: tuple[str, ...] = ()) -> Iterator[Input | Skipped]:
    """Every regular file under ``paths`` (files given directly are taken as they are), in sorted
    order within each folder; hidden files and folders (``.name``) are left out of walks.

    Left out, and said (:attr:`Skipped.left_out`): a folder reached twice through symlinks (a loop), once;
    a symlink met in a walk whose target lies outside every folder given (nothing outside them is read
    through a link); anything that is not a regular file (a named pipe would block the reader).
    """
    given = [os.fsencode(p) for p in paths]
    walker = _Walker(exclude, tuple(os.path.realpath(p) for p in given if os.path.isdir(p)))
    for path in given:
        yield from walker.path(path, given=True)


def _left_out(path: bytes, rule: Rule, **params: Any) -> Skipped:
    said = make(rule, **params)
    return Skipped(path, rule.code, said.message.zh, said.message.en)


def _unreadable(path: bytes, exc: OSError, what: Label) -> Skipped:
    """A path that cannot be read, in the words core uses for the same operating-system error."""
    reason = os_reason(exc)
    return Skipped(path, "GD-LOAD-INPUT", f"{what.zh}：{reason.zh}", f"{what.en}: {reason.en}")


_FILE = Label("无法读取文件", "cannot read the file")
_LINK = Label("无法读取符号链接的目标", "cannot read the target of the symbolic link")
_FOLDER = Label("无法列出目录", "cannot list the folder")


class _Walker:
    """One walk: the folders and files already seen (by device and inode, by normalised name), and the
    folders given (their real paths: what a link may point into)."""

    def __init__(self, exclude: tuple[str, ...], roots: tuple[bytes, ...]) -> None:
        self.exclude = exclude
        self.roots = roots
        self.dirs: set[tuple[int, int]] = set()
        self.files: set[bytes] = set()

    def path(self, path: bytes, *, given: bool = False, link: bool = False) -> Iterator[Input | Skipped]:
        try:
            st = os.stat(path)  # follows links: a link to a folder is walked (loops are cut in folder())
        except OSError as exc:
            yield _unreadable(path, exc, _LINK if link else _FILE)
            return
        if link and not given and not self.inside(path):
            yield _left_out(path, OUTSIDE, target=display_path(os.path.realpath(path)))
        elif stat.S_ISDIR(st.st_mode):
            yield from self.folder(path, st)
        elif stat.S_ISREG(st.st_mode):
            key = os.path.normpath(path)
            if key not in self.files:
                self.files.add(key)
                yield Input(path, st.st_size, st.st_mtime_ns)
        else:
            kind = next((k for test, k in _KINDS if test(st.st_mode)), Label("未知类型", "of an unknown kind"))
            yield _left_out(path, NOT_FILE, kind=kind)

    def inside(self, path: bytes) -> bool:
        """Whether a path resolves into one of the folders given."""
        real = os.path.realpath(path)
        return any(real == root or real.startswith(os.path.join(root, b"")) for root in self.roots)

    def folder(self, path: bytes, st: os.stat_result) -> Iterator[Input | Skipped]:
        key = (st.st_dev, st.st_ino)
        if key in self.dirs:
            yield _left_out(path, LOOP)
            return
        self.dirs.add(key)
        try:
            entries = sorted(os.scandir(path), key=lambda e: e.name)
        except OSError as exc:
            yield _unreadable(path, exc, _FOLDER)
            return
        for entry in entries:
            if not entry.name.startswith(b".") and not _excluded(entry.path, self.exclude):
                yield from self.path(entry.path, link=_is_link(entry))


def _is_link(entry: os.DirEntry[bytes]) -> bool:
    try:
        return entry.is_symlink()
    except OSError:  # it cannot be looked at: stat says why, in path()
        return True


def read_list(stream: Iterable[bytes]) -> Iterator[bytes]:
    """File names from a list (one a line, as ``find`` prints them; ``-print0`` lists work too)."""
    for line in stream:
        for name in line.split(b"\0"):
            name = name.rstrip(b"\r\n")
            if name:
                yield name
