"""Make the workbook fixtures the tests read (run once by hand; CI needs neither LibreOffice nor
msoffcrypto-tool).  Needs Debian's LibreOffice (``apt-get install libreoffice-calc-nogui``) and
``pip install msoffcrypto-tool``.  See README.md beside this file.

    python plugins/govdisclosure-xlsx/tests/data/make_fixtures.py
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[3]
sys.path.insert(0, str(HERE.parent))

from clerk import fill_like_a_clerk, typed_values  # noqa: E402
from govdisclosure_xlsx import render_xlsx  # noqa: E402

import govdisclosure as gd  # noqa: E402


def soffice(data: bytes, name: str, to: str) -> bytes:
    """``data`` opened and saved by LibreOffice (which computes and stores every formula)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / name
        src.write_bytes(data)
        subprocess.run(["soffice", "--headless", "--convert-to", to, "--outdir", str(Path(tmp) / "out"), str(src)],
                       check=True, capture_output=True, timeout=180)
        return next((Path(tmp) / "out").iterdir()).read_bytes()


def main() -> None:
    import msoffcrypto.format.ooxml

    report = gd.load(ROOT / "examples" / "huaian-city-2024.json")
    (HERE / "libreoffice-huaian-city-2024.xlsx").write_bytes(soffice(render_xlsx(report), "in.xlsx", "xlsx"))

    blank = render_xlsx(gd.new_report(2024, agency="某县商务局", level="county_department"))
    typed = typed_values(gd.new_report(2024).spec, unbalanced=True)
    (HERE / "clerk-unbalanced-typed.json").write_text(json.dumps(typed, indent=1) + "\n", encoding="utf-8")
    clerk = fill_like_a_clerk(blank, typed)
    (HERE / "libreoffice-clerk-unbalanced.xlsx").write_bytes(soffice(clerk, "in.xlsx", "xlsx"))
    (HERE / "old-format.xls").write_bytes(soffice(blank, "in.xlsx", "xls"))

    encrypted = io.BytesIO()
    msoffcrypto.format.ooxml.OOXMLFile(io.BytesIO(blank)).encrypt("gd-2024", encrypted)
    (HERE / "password-protected.xlsx").write_bytes(encrypted.getvalue())
    print("soffice:", shutil.which("soffice"), "- fixtures written to", HERE)


if __name__ == "__main__":
    main()
