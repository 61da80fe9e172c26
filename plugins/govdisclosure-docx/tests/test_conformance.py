"""govdisclosure's conformance kit, as for every plugin: rules, the loader on bad input, the renderer's round
trip, hostile text and blanks."""

from __future__ import annotations

from typing import Any

import govdisclosure_docx
from docx_helpers import EXAMPLES, render

from govdisclosure.testing import conformance

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Word files that are not reports, besides the kit's own bad inputs
WORD_BAD_INPUTS = {
    "encrypted": _OLE + b"\x00" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 64,
    "docx-truncated": render(__import__("govdisclosure").load(EXAMPLES / "pingtan-2020.json"))[:5000],
}


def test_the_plugin_conforms(registry: Any) -> None:
    conformance.check_plugin(govdisclosure_docx, registry=registry, prefix="DOCX-",
                             bad_inputs={**conformance.BAD_INPUTS, **WORD_BAD_INPUTS}, max_examples=15)
