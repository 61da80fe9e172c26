"""A Word file as what the loader needs: its paragraphs and its tables on their grids.

Opening: a .docx is a zip package, whose parts are read with lxml (python-docx's XML library: a
reader needs the XML, not python-docx's object model, and is several times faster without it);
an old binary .doc (an OLE compound file) is converted by LibreOffice when ``soffice`` is on
PATH and refused otherwise; a password-protected .docx is an OLE file holding an
``EncryptedPackage`` and is refused with the way out.

Tables are read by their grid, never by text order: a cell covers ``gridSpan`` grid columns
(after the row's ``gridBefore``), and a cell marked ``vMerge`` (continue) is the cell above it,
so every grid position knows the cell that covers it and that cell's text.
"""

from __future__ import annotations

import io
import posixpath
import shutil
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
from lxml import etree  # type: ignore[import-untyped]  # python-docx's XML library

from govdisclosure.errors import LoadError, problem
from govdisclosure.io.limits import LIMITS
from govdisclosure.io.package import check_package
from govdisclosure.labels import Label

from .codes import fatal

__all__ = ["Cell", "Document", "Paragraph", "Table", "open_document"]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T, _TAB, _BR, _CR, _HYPHEN = (W + t for t in ("t", "tab", "br", "cr", "noBreakHyphen"))
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


_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAIN = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",)
_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_TITLE = "{http://purl.org/dc/elements/1.1/}title"
#: the largest part parsed, unpacked: a document is a report in a format (0.2-1 MB of XML), so it has the bound
#: of the text any data format of ours may hold
MAX_PART = LIMITS.data_chars
#: all members unpacked together: pictures are never unpacked here, so a Word file's whole package has the
#: bound of any input
UNPACKED_BYTES = LIMITS.input_bytes
#: no entities resolved, nothing fetched: a hostile document gets no further than its own text
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True, remove_pis=True)


class _Refused(Exception):
    """A package refused before it is unpacked: the code, and what is wrong in both languages."""

    def __init__(self, reason: Label, code: str = "GD-LOAD-LIMIT") -> None:
        super().__init__(reason.en)
        self.reason, self.code = reason, code

    def error(self, source: str) -> LoadError:
        if self.code == "GD-LOAD-LIMIT":
            return LoadError([problem(self.code, "", self.reason)], source)
        return fatal(self.code, source, reason=self.reason)


def _check_package(archive: zipfile.ZipFile) -> None:
    """Refuse a package that would unpack beyond the limits, before any of it is unpacked."""
    found = check_package(archive, Label("Word 文档", "the Word document"), unpacked_bytes=UNPACKED_BYTES,
                          corrupt_code="DOCX-LOAD-CORRUPT")
    if found is not None:
        raise _Refused(found[1], found[0])


def _xml(archive: zipfile.ZipFile, name: str) -> Any:
    info = archive.getinfo(name)
    if info.file_size > MAX_PART:
        raise _Refused(Label(f"部件 {name} 解压后 {info.file_size:,} 字节，超过 {MAX_PART:,} 字节的上限，未解压",
                               f"the part {name} unpacks to {info.file_size:,} bytes, over the limit of "
                               f"{MAX_PART:,} bytes: not unpacked"))
    return etree.fromstring(archive.read(info), _PARSER)


def _relations(archive: zipfile.ZipFile) -> dict[str, str]:
    """The package's relationships: type -> member name of the target."""
    out: dict[str, str] = {}
    for rel in _xml(archive, "_rels/.rels").iter(_RELS):
        target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
        out.setdefault(rel.get("Type") or "", target)
    return out


def _main_part(archive: zipfile.ZipFile, rels: dict[str, str]) -> Any:
    main = next((rels[t] for t in _MAIN if t in rels), None)
    if main is None:
        raise ValueError("no main document part (_rels/.rels names none)")
    types = _xml(archive, "[Content_Types].xml")
    kind = next((o.get("ContentType") or "" for o in types.iter(_TYPES + "Override")
                 if (o.get("PartName") or "").lstrip("/") == main), "")
    if "wordprocessingml" not in kind and not (kind == "" and main.startswith("word/")):
        raise ValueError(f"the main part {main} is {kind or 'of no declared type'}, not a Word document")
    return _xml(archive, main)


def _properties(archive: zipfile.ZipFile, rels: dict[str, str]) -> tuple[str | None, dict[str, str]]:
    """The core property ``title`` and the custom properties (name -> text), where the package has them."""
    names = set(archive.namelist())
    title = None
    if rels.get(_CORE) in names:
        found = _xml(archive, rels[_CORE]).find(_TITLE)
        title = (found.text or None) if found is not None else None
    custom: dict[str, str] = {}
    if rels.get(_CUSTOM) in names:
        for prop in _xml(archive, rels[_CUSTOM]):
            if prop.get("name") is not None and len(prop):
                custom[prop.get("name") or ""] = prop[0].text or ""
    return title, custom


def _parts(data: bytes, source: str) -> tuple[Any, str | None, dict[str, str]]:
    """The main document's root element, the title and the custom properties of a Word package."""
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED in data:
            raise fatal("DOCX-LOAD-ENCRYPTED", source)
        data = _convert_doc(data, source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise fatal("DOCX-LOAD-CORRUPT", source, reason="不是 zip 包 / not a zip package") from None
    try:
        with archive:
            _check_package(archive)
            rels = _relations(archive)
            root = _main_part(archive, rels)
            title, custom = _properties(archive, rels)
    except (KeyError, ValueError, etree.XMLSyntaxError, zipfile.BadZipFile, zlib.error, EOFError, OSError,
            RuntimeError, NotImplementedError) as exc:
        reason = (str(exc).strip() or type(exc).__name__).replace("\n", " ")
        raise fatal("DOCX-LOAD-CORRUPT", source, reason=reason[:200]) from None
    except _Refused as refused:
        raise refused.error(source) from None
    if root.find(W + "body") is None:
        raise fatal("DOCX-LOAD-CORRUPT", source, reason="the main part has no w:body")
    return root, title, custom


def open_document(data: bytes, source: str) -> Document:
    """Read a .docx (or, through LibreOffice, a .doc) into paragraphs and tables."""
    root, title, custom = _parts(data, source)
    blocks: list[Paragraph | Table] = []
    paragraphs = tables = 0
    for element in _children(root.find(W + "body"), "p", "tbl"):
        if element.tag == W + "p":
            paragraphs += 1
            pstyle = element.find(f"{W}pPr/{W}pStyle")
            blocks.append(Paragraph(paragraphs, paragraph_text(element),
                                    pstyle.get(W + "val") if pstyle is not None else None))
        else:
            tables += 1
            blocks.append(_grid(element, tables))
    return Document(tuple(blocks), custom, title)


def _children(parent: Any, *tags: str) -> Iterator[Any]:
    """The children of ``parent`` with one of ``tags``, looking inside content controls
    (``w:sdt``) and custom XML, which may wrap paragraphs, tables, rows and cells alike."""
    wanted = {W + t for t in tags}
    for child in parent:
        if child.tag in wanted:
            yield child
        elif child.tag in (W + "sdt", W + "customXml"):
            content = child.find(W + "sdtContent") if child.tag == W + "sdt" else child
            if content is not None:
                yield from _children(content, *tags)


def paragraph_text(p: Any) -> str:
    """A paragraph's text as a reader sees it: tabs, line breaks (``\\n``) and carriage returns
    (``\\r``) kept, deleted text (``w:delText``) and field codes (``w:instrText``) left out."""
    out: list[str] = []
    for run in p.iter(W + "r"):
        for el in run:
            tag = el.tag
            if tag == _T:
                out.append(el.text or "")
            elif tag == _TAB:
                out.append("\t")
            elif tag == _CR:
                out.append("\r")
            elif tag == _BR and el.get(W + "type") in (None, "textWrapping"):
                out.append("\n")
            elif tag == _HYPHEN:
                out.append("-")
    return "".join(out)


def _int(el: Any, default: int) -> int:
    try:
        return max(int(el.get(W + "val")), 0) if el is not None else default
    except (TypeError, ValueError):
        return default


def _cell_text(tc: Any) -> str:
    return "\n".join(paragraph_text(p) for p in tc.iter(W + "p"))


def _grid(tbl: Any, index: int) -> Table:
    declared = len(tbl.findall(f"{W}tblGrid/{W}gridCol"))
    rows: list[list[Cell | None]] = []
    coverage: list[int] = []
    irregular: set[int] = set()
    for r, tr in enumerate(_children(tbl, "tr")):
        row: list[Cell | None] = []
        col = _int(tr.find(f"{W}trPr/{W}gridBefore"), 0)
        row.extend([None] * col)
        tainted = False
        for tc in _children(tr, "tc"):
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
