"""Writing outputs: whole files or nothing, and never two inputs onto one output.

Every command that writes a file goes through :func:`write_atomic`: the content is complete
before the target is touched (a temporary file in the same folder, then a rename), so that an
interrupted run, a full disk or an output that is also the input never leaves a truncated file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import GovDisclosureError

__all__ = ["OutputError", "output_names", "write_atomic"]


class OutputError(GovDisclosureError, OSError):
    """An output could not be written; the message names the file and the reason."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: the mode ``open(path, "w")`` would give a new file
_CREATE_MODE = 0o666 & ~_umask()


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` completely or not at all."""
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: 这是一个目录，不能写入文件 / is a directory, not a file")
    folder = target.parent
    if not folder.is_dir():
        raise OutputError(f"{target}: 所在目录不存在 / the folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:80]}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise OutputError(f"{target}: 无法写入 / cannot write ({_reason(exc)})") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, _CREATE_MODE)  # mkstemp makes it private; a written report is an ordinary file
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise OutputError(f"{target}: 无法写入 / cannot write ({_reason(exc)})") from None
    except BaseException:  # Ctrl-C included: leave no temporary file behind
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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

    options = [candidates(path) for path in inputs]
    chosen = [opts[0] for opts in options]
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
