"""Writing outputs: whole files or nothing, and never two inputs onto one output.

Every command that writes a file goes through :func:`write_atomic`: the content is complete
before the target is touched (a temporary file in the same folder, then a rename), so that an
interrupted run, a full disk or an output that is also the input never leaves a truncated file.
A device or a pipe (``/dev/null``, ``/dev/stdout``, ``/dev/full``) is written through, never
replaced; a symbolic link's target is replaced, not the link.  Every failure is an
:class:`OutputError` of one line naming the file, in both languages.

A file is also flushed to the disk before the rename (``durable``), except where a command writes
one output per input into a folder: there the flush cost ~15 ms per file (most of a batch's time),
and a power cut at worst leaves some outputs to write again by running the batch again.
"""

from __future__ import annotations

import contextlib
import errno
import os
import random
import stat
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from .errors import GovDisclosureError
from .io.source import os_reason

__all__ = ["OutputError", "ensure_folder", "into_folder", "output_names", "write_atomic"]


class OutputError(GovDisclosureError, OSError):
    """An output could not be written; the message names the file and the reason."""


#: how a temporary file is made: new (never an existing file or a link's target), closed on exec
_TEMPORARY_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
#: names tried for a temporary file before giving up: as many as the standard library's mkstemp tries
#: (``tempfile.TMP_MAX``, its value written as it writes it: tempfile's import, and shutil's, cost ~3 ms a start)
_TEMPORARY_TRIES = getattr(os, "TMP_MAX", 10000)


def _error(target: str | os.PathLike[str], zh: str, en: str, exc: OSError | None = None) -> OutputError:
    if exc is not None:
        reason = os_reason(exc)
        zh, en = f"{zh}（{reason.zh}）", f"{en} ({reason.en})"
    return OutputError(f"{os.fspath(target)}: {zh} / {en}")


def _write_through(target: str, data: bytes) -> None:
    """A device or a pipe: written as it is (a rename would replace the device with a file)."""
    try:
        with open(target, "wb") as f:
            f.write(data)
            f.flush()
    except OSError as exc:
        raise _error(target, "无法写入", "cannot write", exc) from None


def write_atomic(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` completely or not at all; ``durable``: on the disk before the rename."""
    target = os.fspath(path)
    mode, linked = _status(target)
    if mode is not None and stat.S_ISDIR(mode):
        raise _error(target, "这是一个目录，不能写入文件", "is a directory, not a file")
    if mode is not None and not stat.S_ISREG(mode):
        _write_through(target, data)
        return
    real = os.path.realpath(target) if linked else target  # a link's target is replaced
    folder, name = os.path.split(real)
    try:
        # a new file is made with open()'s mode (the umask's); an existing one keeps its mode (set below)
        fd, tmp = _temporary(folder or os.curdir, name, 0o666 if mode is None else 0o600)
    except OSError as exc:
        parent = Path(real).parent
        if not parent.is_dir():  # asked only here: a batch writes thousands of files into a folder that is there
            raise _error(target, f"所在目录 {parent} 不存在", f"the folder {parent} does not exist") from None
        if exc.errno == errno.ENOENT:  # the folder is there and takes no new file (/proc, /sys): "no such file" misled
            raise _error(target, f"无法在目录 {parent} 中新建文件",
                         f"no file can be made in the folder {parent}") from None
        raise _error(target, "无法写入", "cannot write", exc) from None
    try:
        _fill(fd, data, durable, stat.S_IMODE(mode) if mode is not None else None)
        os.replace(tmp, real)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise _error(target, "无法写入", "cannot write", exc) from None
    except BaseException:  # Ctrl-C included: leave no temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _status(target: str) -> tuple[int | None, bool]:
    """The mode of the file at ``target`` (through a symbolic link; None where there is none, a dangling link's
    target too) and whether ``target`` is a link: the link itself asked first, its target only for a link (one
    system call for a file or for none)."""
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return None, False
    except OSError as exc:  # a name too long, a path through a file
        raise _error(target, "无法写入", "cannot write", exc) from None
    if not stat.S_ISLNK(mode):
        return mode, False
    try:
        return os.stat(target).st_mode, True
    except FileNotFoundError:
        return None, True
    except OSError as exc:  # a loop of links
        raise _error(target, "无法写入", "cannot write", exc) from None


def _fill(fd: int, data: bytes, durable: bool, mode: int | None) -> None:
    """The temporary file written and closed (on the disk if ``durable``), given ``mode`` if one is said: written
    through its descriptor (a file object around it cost four more system calls and as much time as the write)."""
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            if written <= 0:  # never for a regular file: rather an error than a loop
                raise OSError(errno.EIO, os.strerror(errno.EIO))
            view = view[written:]
        if mode is not None:
            os.fchmod(fd, mode)
        if durable:
            os.fsync(fd)
    finally:
        os.close(fd)


#: the random part of a temporary file's name: unpredictable enough for names made with O_EXCL (as the standard
#: library's own temporary names are), without a system call a name; drawn anew in a forked child
_NAMES = random.Random()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_NAMES.seed)


def _temporary(folder: str, name: str, mode: int) -> tuple[int, str]:
    """A new file beside the target, open for writing: its descriptor and path.  Made here, not by
    ``tempfile.mkstemp``, which makes it private (a chmod after each) and spends more on its name than a
    batch's file costs to write."""
    for _ in range(_TEMPORARY_TRIES):
        # a short prefix: a long (Chinese) name plus the random part must stay within the name limit
        tmp = os.path.join(folder, f".{name[:16]}.{_NAMES.getrandbits(48):012x}.tmp")
        try:
            return os.open(tmp, _TEMPORARY_FLAGS, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no temporary name left", str(folder))


def ensure_folder(path: str | os.PathLike[str]) -> Path:
    """The output folder, made if missing (its parents too); a one-line :class:`OutputError` if it cannot be."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _error(folder, "无法创建输出目录", "cannot create the output folder", exc) from None
    return folder


def into_folder(folder: str | os.PathLike[str], inputs: Sequence[str], extension: str) -> list[Path]:
    """The output file of each input in ``folder`` (made if missing), named by :func:`output_names`.
    An output that would be one of the inputs is refused: ``-o .`` in the input's own folder is
    easily typed by accident, and replacing a file is said with its name (``-o FILE``)."""
    where = ensure_folder(folder)
    targets = [where / name for name in output_names(inputs, extension)]
    # only an output already in the folder can be an input: the folder is listed once (a batch's new folder holds
    # none; ~50 ms of two stat calls an input for 2,000 of them, before any is parsed), names compared as a
    # case-insensitive or normalising file system may hold them (a name too many is only checked)
    try:
        present: set[str] | None = {_loose(name) for name in os.listdir(where)}
    except OSError:
        present = None
    if present is not None and not present:  # a new or empty folder: nothing there to replace
        return targets
    there = [t for t in targets if present is None or _loose(t.name) in present]
    if not there:
        return targets
    # by device and inode, once per file: a pairwise os.path.samefile is quadratic in a batch's size
    existing = {key: i for i in inputs if i != "-" and (key := _file_key(i)) is not None}
    for target in there:
        key = _file_key(target) if existing else None
        same = existing.get(key) if key is not None else None
        if same is not None:
            raise OutputError(f"{target}: 输出会覆盖输入文件 {same}；确要覆盖请写 -o {target} / "
                              f"the output would replace the input {same}; to replace it, give -o {target}")
    return targets


def _loose(name: str) -> str:
    """A file name as a case-insensitive, normalising file system (macOS, Windows) compares it."""
    return unicodedata.normalize("NFC", name).casefold()


def _file_key(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """The file a path names (device, inode, through links), or None where there is none."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def output_names(inputs: Sequence[str], extension: str) -> list[str]:
    """One distinct output file name per input, in a folder: the input's stem where that is unique,
    else more of its name and path (``a.json``, ``a.yaml`` -> ``a-json``, ``a-yaml``;
    ``d1/r.json``, ``d2/r.json`` -> ``d1-r``, ``d2-r``)."""
    def candidates(path: str) -> list[str]:
        if path == "-":
            return ["stdin"]
        p = Path(path)
        parts = [part for part in p.parent.parts if part not in ("/", ".", "..")]
        names = [p.stem, p.name.replace(".", "-")]
        for k in range(1, len(parts) + 1):
            names.append("-".join([*parts[-k:], p.name.replace(".", "-")]))
        return names

    chosen = ["stdin" if path == "-" else Path(path).stem for path in inputs]
    if len(set(chosen)) == len(chosen):  # each stem unique (a batch's usual case): no other candidate needed
        return [f"{name}{extension}" for name in chosen]
    options = [candidates(path) for path in inputs]
    for level in range(1, max(len(o) for o in options) + 1):
        counts: dict[str, int] = {}
        for name in chosen:
            counts[name] = counts.get(name, 0) + 1
        clashing = [i for i, name in enumerate(chosen) if counts[name] > 1]
        if not clashing:
            break
        for i in clashing:
            chosen[i] = options[i][min(level, len(options[i]) - 1)]
    seen: dict[str, int] = {}
    out = []
    for name in chosen:  # the same path given twice: number the repeats
        n = seen.get(name, 0)
        seen[name] = n + 1
        out.append(f"{name}{'' if n == 0 else f'-{n + 1}'}{extension}")
    return out
