"""Hubei's variant of the 2019 format (湖北省 2020 年度报告), as a third-party plugin.

Hubei's compilation notice for the 2020 reports (《湖北省人民政府办公厅关于做好2020年政府信息
公开年度报告编制和发布工作的通知》, text not found; known from the reports that follow it, e.g.
武汉市生态环境局 and 孝感市政府办公室 2020) adds a row 其他主动公开文件 to the block
第二十条第（一）项 of table 2, with the block's three columns.  A report declares it with
``"variant": "hubei"``; every core rule then applies to the extra row as to the official ones.
"""

from govdisclosure.formats import Label, Row, RowAddition, Variant
from govdisclosure.plugins import hookimpl

HUBEI = Variant(
    id="hubei",
    extends="2019",
    label=Label("湖北省（2020 年度报告编制通知）", "Hubei (2020 reports' compilation notice)"),
    add_rows=(
        RowAddition("proactive", after="normative_documents", rows=(
            Row("hubei_other_documents", Label("其他主动公开文件", "Other proactively published documents")),
        )),
    ),
)


@hookimpl
def register_variants() -> list[Variant]:
    return [HUBEI]
