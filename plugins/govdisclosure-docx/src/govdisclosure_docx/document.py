"""A Word file as what the loader needs: its paragraphs and its tables on their grids.

Opening: a .docx is a zip package; an old binary .doc (an OLE compound file) is converted by
LibreOffice when ``soffice`` is on PATH and refused otherwise; a password-protected .docx is an
OLE file holding an ``EncryptedPackage`` and is refused with the way out.

Tables are read by their grid, never by text order: a cell covers ``gridSpan`` grid columns
(after the row's ``gridBefore``), and a cell marked ``vMerge`` (continue) is the cell above it,
so every grid position knows the cell that covers it and that cell's text.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from collections.abc import Iterator

import attrs

from .codes import fatal

__all__ = ["Cell", "Document", "Paragraph", "Table", "open_document"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")
#: seconds LibreOffice may take to convert one .doc
CONVERT_TIMEOUT = 120


@attrs.frozen
class Paragraph:
    index: int  #: 1-based, among the body's paragraphs outside tables
    text: str
    style: str | None  #: the paragraph style's id


@attrs.define(eq=False)
class Cell:
    """A table cell at the top-left of the grid positions it covers (its spans grow while the
    grid is read)."""

    text: str
    row: int  #: 0-based row of the table where the cell starts
    col: int  #: 0-based grid column where it starts
    colspan: int
    rowspan: int = 1

    @property
    def columns(self) -> range:
        return range(self.col, self.col + self.colspan)


@attrs.frozen
class Table:
    index: int  #: 1-based, in document order
    rows: tuple[tuple[Cell | None, ...], ...]  #: for each row, the cell covering each grid column
    width: int  #: grid columns
    #: rows whose cells do not fill the grid (a cell lost, or spans changed): their positions prove nothing
    irregular: frozenset[int] = frozenset()

    def cells(self, r: int) -> list[Cell]:
        """The distinct cells of row ``r``, left to right (a merged cell once)."""
        out: list[Cell] = []
        for cell in self.rows[r]:
            if cell is not None and (not out or out[-1] is not cell):
                out.append(cell)
        return out


@attrs.frozen
class Document:
    blocks: tuple[Paragraph | Table, ...]  #: in document order
    properties: dict[str, str]  #: custom document properties (name -> text)
    title: str | None  #: the core property ``title``

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


# ----------------------------------------------------------------------------- opening


def _convert_doc(data: bytes, source: str) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise fatal("DOCX-LOAD-DOC", source)
    with tempfile.TemporaryDirectory(prefix="govdisclosure-docx-") as tmp:
        src = Path(tmp) / "report.doc"
        src.write_bytes(data)
        profile = Path(tmp, "profile").as_uri()  # a private profile: no clash with a running LibreOffice
        try:
            done = subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                                   "--outdir", tmp, str(src)], capture_output=True, timeout=CONVERT_TIMEOUT,
                                  check=False)
        except subprocess.TimeoutExpired:
            raise fatal("DOCX-LOAD-CONVERT", source, reason=f"timeout ({CONVERT_TIMEOUT} s)") from None
        except OSError as exc:
            raise fatal("DOCX-LOAD-CONVERT", source, reason=str(exc)) from None
        out = Path(tmp) / "report.docx"
        if not out.exists():
            reason = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise fatal("DOCX-LOAD-CONVERT", source, reason=reason[-1] if reason else f"exit {done.returncode}")
        return out.read_bytes()


def _package(data: bytes, source: str) -> Any:
    """The python-docx document of the bytes, or a located LoadError."""
    import docx

    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            raise fatal("DOCX-LOAD-ENCRYPTED", source)
        data = _convert_doc(data, source)
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise fatal("DOCX-LOAD-CORRUPT", source, reason="不是 zip 包 / not a zip package")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:
        reason = str(exc).strip() or type(exc).__name__
        raise fatal("DOCX-LOAD-CORRUPT", source, reason=reason[:200]) from None


def open_document(data: bytes, source: str) -> Document:
    """Read a .docx (or, through LibreOffice, a .doc) into paragraphs and tables."""
    package = _package(data, source)
    blocks: list[Paragraph | Table] = []
    paragraphs = tables = 0
    for element in _body_blocks(package.element.body):
        if element.tag == W + "p":
            paragraphs += 1
            pstyle = element.find(f"{W}pPr/{W}pStyle")
            blocks.append(Paragraph(paragraphs, paragraph_text(element),
                                    pstyle.get(W + "val") if pstyle is not None else None))
        else:
            tables += 1
            blocks.append(_grid(element, tables))
    try:
        title = package.core_properties.title or None
    except Exception:
        title = None
    return Document(tuple(blocks), _custom_properties(package), title)


def _body_blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body, looking inside content controls and custom XML."""
    for child in parent:
        if child.tag in (W + "p", W + "tbl"):
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _body_blocks(content)


def paragraph_text(p: Any) -> str:
    """A paragraph's text as a reader sees it: tabs and line breaks kept, deleted text and field
    codes left out."""
    out: list[str] = []
    for el in p.iter(W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"):
        parent = el.getparent()
        if parent is None or parent.tag != W + "r":
            continue  # tab stops of the paragraph's properties, not text
        tag = el.tag[len(W):]
        if tag == "t":
            out.append(el.text or "")
        elif tag == "tab":
            out.append("\t")
        elif tag == "noBreakHyphen":
            out.append("-")
        elif el.get(W + "type") in (None, "textWrapping"):
            out.append("\n")
    return "".join(out)


def _int(el: Any, default: int) -> int:
    try:
        return max(int(el.get(W + "val")), 0) if el is not None else default
    except (TypeError, ValueError):
        return default


def _row_cells(tr: Any) -> Iterator[Any]:
    for child in tr:
        if child.tag == W + "tc":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _row_cells(content)


def _rows(tbl: Any) -> Iterator[Any]:
    for child in tbl:
        if child.tag == W + "tr":
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _rows(content)


def _cell_text(tc: Any) -> str:
    return "\n".join(paragraph_text(p) for p in tc.iter(W + "p"))


def _grid(tbl: Any, index: int) -> Table:
    declared = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    rows: list[list[Cell | None]] = []
    coverage: list[int] = []
    irregular: set[int] = set()
    for r, tr in enumerate(_rows(tbl)):
        row: list[Cell | None] = []
        col = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        row.extend([None] * col)
        tainted = False
        for tc in _row_cells(tr):
            pr = tc.find(W + "tcPr")
            span = max(_int(pr.find(W + "gridSpan") if pr is not None else None, 1), 1)
            vmerge = pr.find(W + "vMerge") if pr is not None else None
            hmerge = pr.find(W + "hMerge") if pr is not None else None
            above = rows[r - 1][col] if r > 0 and col < len(rows[r - 1]) else None
            cell: Cell | None
            if vmerge is not None and vmerge.get(W + "val") in (None, "continue") and above is not None:
                cell = above
                cell.rowspan = r - cell.row + 1
                # a merge out of line with the cell above, or out of a row that lost a cell, carries a label
                # to where it may not belong
                tainted = tainted or above.col != col or above.colspan != span or above.row in irregular
            elif hmerge is not None and hmerge.get(W + "val") in (None, "continue") and row and row[-1] is not None:
                cell = row[-1]
                cell.colspan += span
            else:
                cell = Cell(_cell_text(tc), r, col, span)
            row.extend([cell] * span)
            col += span
        rows.append(row)
        coverage.append(col + _int(tr.find(f"{W}trPr/{W}gridAfter"), 0))
        if tainted or (declared and coverage[-1] != declared):
            irregular.add(r)
    width = max((len(r) for r in rows), default=0)
    if not declared:  # no grid declared: the widest row is the grid
        irregular |= {r for r, n in enumerate(coverage) if n != width}
    return Table(index, tuple(tuple(r + [None] * (width - len(r))) for r in rows), width, frozenset(irregular))


def _custom_properties(package: Any) -> dict[str, str]:
    from xml.etree import ElementTree

    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        part = package.part.package.part_related_by(RT.CUSTOM_PROPERTIES)
        root = ElementTree.fromstring(part.blob)
    except Exception:
        return {}
    out: dict[str, str] = {}
    for prop in root:
        name = prop.get("name")
        if name is not None and len(prop):
            out[name] = prop[0].text or ""
    return out
