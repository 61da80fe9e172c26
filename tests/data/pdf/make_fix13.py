"""Makes the fix13 PDFs of this folder (README.md): the 2021-format report of review 12a/12c (临川县自然资源局's 2023
report, `/work/coord/review12c-inputs/gen.py`: every cell known) as a clerk fills it in Word (python-docx, each table
Word's default grid: table 3's label column 1/8 of the page, its labels wrapping 3 characters a line), converted by
LibreOffice (`soffice --headless --convert-to pdf`, fonts-noto-cjk installed).

    python make_fix13.py   (python-docx and pdfplumber installed; soffice on the PATH; writes into this folder)
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile

import pdfplumber
from docx import Document
from docx.shared import Pt

TITLE = "临川县自然资源局2023年政府信息公开工作年度报告"
PRE = "本报告依据《中华人民共和国政府信息公开条例》编制，所列数据统计期限自2023年1月1日至2023年12月31日。"
P1 = "2023年，我局认真贯彻落实政府信息公开工作要求，主动公开政府信息156条。"
FILL = "我局持续推进政务公开标准化规范化建设，围绕重点领域信息公开要求，及时更新公开目录，做好政策解读与回应关切工作。"
P5 = "存在的主要问题是公开内容不够全面。下一步，我局将进一步完善公开制度。"
T2 = [["第二十条第（一）项", "", "", ""], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", 0, 0, 0],
      ["行政规范性文件", 7, 2, 41], ["第二十条第（五）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
      ["行政许可", 1523, "", ""], ["第二十条第（六）项", "", "", ""], ["信息内容", "本年处理决定数量", "", ""],
      ["行政处罚", 286, "", ""], ["行政强制", 19, "", ""], ["第二十条第（八）项", "", "", ""],
      ["信息内容", "本年收费金额（单位：万元）", "", ""], ["行政事业性收费", 35.6, "", ""]]
T3 = [("一、本年新收政府信息公开申请数量", [30, 2, 0, 0, 1, 0, 33]), ("二、上年结转政府信息公开申请数量", [3, 0, 0, 0, 0, 0, 3]),
      ("（一）予以公开", [12, 1, 0, 0, 0, 0, 13]), ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [4, 0, 0, 0, 0, 0, 4]),
      ("1.属于国家秘密", [0] * 7), ("2.其他法律行政法规禁止公开", [1, 0, 0, 0, 0, 0, 1]), ("3.危及“三安全一稳定”", [0] * 7),
      ("4.保护第三方合法权益", [1, 0, 0, 0, 0, 0, 1]), ("5.属于三类内部事务信息", [0] * 7),
      ("6.属于四类过程性信息", [2, 0, 0, 0, 0, 0, 2]), ("7.属于行政执法案卷", [0] * 7), ("8.属于行政查询事项", [0] * 7),
      ("1.本机关不掌握相关政府信息", [6, 1, 0, 0, 1, 0, 8]), ("2.没有现成信息需要另行制作", [1, 0, 0, 0, 0, 0, 1]),
      ("3.补正后申请内容仍不明确", [0] * 7), ("1.信访举报投诉类申请", [2, 0, 0, 0, 0, 0, 2]),
      ("2.重复申请", [1, 0, 0, 0, 0, 0, 1]), ("3.要求提供公开出版物", [0] * 7), ("4.无正当理由大量反复申请", [0] * 7),
      ("5.要求行政机关确认或重新出具已获取信息", [0] * 7),
      ("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [1, 0, 0, 0, 0, 0, 1]),
      ("2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7), ("3.其他", [0] * 7),
      ("（七）总计", [31, 2, 0, 0, 1, 0, 34]), ("四、结转下年度继续办理", [2, 0, 0, 0, 0, 0, 2])]
T4 = [5, 2, 1, 0, 8, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1]
HERE = os.path.dirname(os.path.abspath(__file__))


def _table(doc, rows):
    t = doc.add_table(rows=len(rows), cols=max(len(r) for r in rows))
    t.style = "Table Grid"
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            t.cell(i, j).text = str(c)


def _docx(path, filler=0, short=0, blank=(), header=(), footer=(), size=12):
    """The report; ``filler``: paragraphs of two lines in part 1, ``short``: of one line; ``blank``: table 3's rows
    printed with no number; ``header``/``footer``: a Word page header or footer of these lines."""
    doc = Document()
    doc.styles["Normal"].font.name = "Noto Serif CJK SC"
    doc.styles["Normal"].font.size = Pt(size)
    for part, lines in ((doc.sections[0].header, header), (doc.sections[0].footer, footer)):
        for i, line in enumerate(lines):
            (part.paragraphs[0] if i == 0 else part.add_paragraph()).text = line
    for text in (TITLE, PRE, "一、总体情况", P1, *[FILL] * filler, *["做好政策解读。"] * short, "二、主动公开政府信息情况"):
        doc.add_paragraph(text)
    _table(doc, T2)
    doc.add_paragraph("三、收到和处理政府信息公开申请情况")
    _table(doc, [["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况", "", "", "", "", "", ""],
                 ["", "自然人", "法人或其他组织", "", "", "", "总计", ""],
                 ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
                 *[[label, *([""] * 7 if label in blank else values)] for label, values in T3]])
    doc.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    _table(doc, [["行政复议", "", "", "", "", "行政诉讼", *[""] * 9],
                 ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "",
                  "", ""], [""] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2, T4])
    for text in ("五、存在的主要问题及改进情况", P5, "六、其他需要报告的事项", "本年度未收取信息处理费。", "临川县自然资源局",
                 "2024年1月20日"):
        doc.add_paragraph(text)
    doc.save(path)


def _pdf(docx_path):
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", os.path.dirname(docx_path), docx_path],
                   check=True, capture_output=True)
    with open(docx_path[:-5] + ".pdf", "rb") as f:
        return f.read()


def _last_row_broken(data):
    """Whether table 3's last row (结转) breaks after its label's first line: the rest of its label (7 characters
    at least) alone at the next page's top."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[1:]:
            tables = sorted(page.find_tables(), key=lambda t: t.bbox[1])
            head = (tables[0].extract()[0][0] or "").replace("\n", "") if tables else ""
            if head.endswith("办理") and len(head) >= 7 and not head.startswith("四"):
                return True
    return False


def make(name, broken=False, filler=0, **kw):
    with tempfile.TemporaryDirectory() as tmp:
        for paragraphs, short in [(f, s) for f in range(12) for s in range(3)] if broken else [(filler, 0)]:
            _docx(os.path.join(tmp, "r.docx"), filler=paragraphs, short=short, **kw)
            data = _pdf(os.path.join(tmp, "r.docx"))
            if not broken or _last_row_broken(data):
                with open(os.path.join(HERE, name), "wb") as f:
                    f.write(data)
                print(name, "filler", paragraphs, "short", short)
                return
    sys.exit(f"{name}: no filler breaks the last row over a page")


if __name__ == "__main__":
    total = "（七）总计"
    # 总计 printed blank, 结转's row broken after its label's first line: 结转's numbers were read as 总计's (review 12c
    # #8); the same with 3.其他 blank too and a page header
    make("f13-t3-total-blank-carried-broken.pdf", broken=True, blank=(total,))
    make("f13-t3-two-blank-carried-broken.pdf", broken=True, blank=(total, "3.其他"), header=("临川县自然资源局",))
    # a header of two lines and a footer of two lines on every page (review 12c #12)
    make("f13-header-footer-two-lines.pdf", filler=8, header=("临川县人民政府信息公开", "临川县自然资源局"),
         footer=("临川县自然资源局办公室编印", "联系电话：0794-7654321"))
    # a short report (3 pages): a header whose inner line is the title, a footer whose inner line is the agency (the
    # signature's words, right above it on the last page)
    make("f13-short-header-title-footer-agency.pdf", header=("临川县人民政府信息公开", TITLE),
         footer=("临川县自然资源局", "联系电话：0794-7654321"))
