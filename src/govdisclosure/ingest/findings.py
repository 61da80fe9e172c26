"""What the parser says about what it read: the GD-PARSE-* codes, declared once.

Each code is catalogued through the rules hook (a :class:`~govdisclosure.rules.types.Rule` with no
check) so that ``govdisclosure rules`` lists it beside the rules; the parser makes its findings
from the same declaration (:meth:`Code.__call__`), so a message is written in one place.
"""

from __future__ import annotations

from typing import Any

import attrs

from ..findings import Finding, Severity, _finding, _severity
from ..formats.spec import Label
from ..rules.types import Rule

__all__ = ["CATALOGUE", "Code", "rules"]

WARN, INFO = Severity.WARNING, Severity.INFO


def _said(params: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The params as kept (a sequence as a list, a Label as its Chinese words), and as the message says them
    in Chinese and in English (a Label in that language, a sequence joined as the CLI shows it): one pass,
    the English the Chinese itself where no Label differs (a finding is made for every ambiguous cell)."""
    kept, zh = params.copy(), params.copy()
    en = zh
    for k, v in params.items():
        if isinstance(v, Label):
            if en is zh:
                en = zh.copy()
            kept[k], zh[k], en[k] = v.zh, v.get("zh"), v.get("en")
        elif isinstance(v, tuple):
            kept[k] = list(v)
            zh[k] = en[k] = " | ".join(map(str, v))
    return kept, zh, en


@attrs.frozen
class Code:
    """One GD-PARSE code: severity, what it means, and the message it prints (``str.format`` templates)."""

    code: str
    severity: Severity
    description: Label
    message: Label

    def __call__(self, *, pointer: str = "", file: str | None = None, line: int | None = None,
                 column: int | None = None, page: int | None = None, **params: Any) -> Finding:
        """A finding of this code; ``params`` fill the message and are kept (``candidates`` among them;
        the line too, for tools that read params only)."""
        kept, zh, en = _said(params)
        if line is not None:
            kept["line"] = line
        # Finding's own fast constructor (each field set as attrs' __init__ sets it): a parse makes one for every
        # cell it could not settle, and the keyword call with its converter cost as much as the message
        message = Label(self.message.zh.format_map(zh), self.message.en.format_map(en))
        return _finding(self.code, _severity(self.severity), message, pointer, (pointer,) if pointer else (), (), kept,
                        file, line, column, page)

    def rule(self) -> Rule:
        return Rule(code=self.code, severity=self.severity, description=self.description, message=self.message)


def _code(code: str, severity: Severity, description: tuple[str, str], message: tuple[str, str]) -> Code:
    return Code("GD-PARSE-" + code, severity, Label(*description), Label(*message))


FORMAT_GUESSED = _code(
    "FORMAT", INFO,
    ("表格与年度都无法确定格式版本，按最新格式读取",
     "Neither the tables nor the year tell the format: read as the latest"),
    ("表格与年度都无法确定格式版本，按 {version} 格式读取",
     "neither the tables nor the year tell the format; read as {version}"))
NO_OPENCC = _code(
    "TRADITIONAL", WARN,
    ("文本为繁体字而未安装 OpenCC，标签可能无法识别",
     "Traditional script and no OpenCC installed: labels may not match"),
    ("文本为繁体字，未安装 opencc，标签可能无法识别（pip install govdisclosure[parse]）",
     "Traditional script and no OpenCC installed: labels may not match (pip install govdisclosure[parse])"))
TABLE_MISSING = _code(
    "TABLE", WARN, ("找不到某张表", "A table of the form was not found"),
    ("找不到这张表（{table}）", "this table was not found ({table})"))
#: GD-PARSE-TABLE of a table whose part's heading is printed with no text under it: published as an image (a
#: screenshot of the sheet), the part is there and nothing says the agency left it out (probe 12b #3); one code
TABLE_UNPRINTED = attrs.evolve(TABLE_MISSING, message=Label(
    "找不到这张表（{table}）：标题“{heading}”已印出，其下没有以文字印出的表格（或为图片）",
    "this table was not found ({table}): its heading “{heading}” is printed, with no table as text under it "
    "(an image?)"))
#: a table the text ends inside: its rows after the last found and the parts after it are not in the text (a page
#: cut short, an excerpt), not left out by the agency (probe 12b #4)
TRUNCATED = _code(
    "TRUNCATED", WARN,
    ("文本在表格中途结束，其后的行与部分都不在文本中",
     "The text ends inside a table: the rows and parts after it are not in it"),
    ("文本在表格“{table}”中途结束：找到的最后一行是“{row}”，表中其后的 {rows} 行及以后的部分都不在文本中"
     "（网页或文件不完整？）",
     "the text ends inside the table “{table}”: the last row found is “{row}”; the rows after it (in the table: "
     "{rows}) and the parts after the table are not in the text (a page or file cut short?)"))
PREVIOUS_IGNORED = _code(
    "PREVIOUS", INFO,
    ("给出的上年报告不是上一年度的，未用作约束", "The previous report given is not of the year before: not used"),
    ("给出的上年报告是 {year} 年度的，未用作约束", "the previous report given is for {year}: not used"))
NO_YEAR = _code(
    "YEAR", WARN, ("原文未载明报告年度", "The text names no report year"),
    ("原文未载明报告年度（标题、统计期限均无）", "the text names no report year (no title, no period)"))
#: a title whose year the rest of the report contradicts, or that names two years: the year taken, and why (probe 13
#: #7, #9); the title stays as printed, GD-M-YEAR judges it
TITLE_YEAR = _code(
    "TITLE-YEAR", WARN,
    ("标题所载年份与统计期限等不符，或标题载有两个年份：报告年度另行确定",
     "The title's year disagrees with the statistics period and the rest of the report, or the title names two "
     "years: the report year is settled otherwise"),
    ("{said}：报告年度取 {year}（{why}）", "{said}: the report year is taken as {year} ({why})"))
#: a report that prints no title (its first lines cut off, a page that gives the title only in a picture): nothing
#: else names the agency, so the report can join no series without a word (probe 11 #10)
NO_TITLE = _code(
    "NO-TITLE", WARN, ("原文找不到报告的标题，标题留空", "The text prints no title of the report: the title is blank"),
    ("原文找不到报告的标题（“……政府信息公开工作年度报告”），标题留空；{agency}",
     "the text prints no title of the report (“…政府信息公开工作年度报告”): the title is left blank; {agency}"))
BUDGET = _code(
    "BUDGET", WARN,
    ("解析工作量超出与输入大小成比例的上限，余下单元格留空",
     "The parse used up its work budget (proportional to the input's size): the remaining cells are left blank"),
    ("拆分数字的工作量超出上限，本行留空：{raw}",
     "the work budget for splitting digits ran out; row left blank: {raw}"))
RULE_BROKEN = _code(
    "RULE-BROKEN", INFO,
    ("一行数字不满足表中等式，按唯一的拆分读取",
     "A row's numbers break the table's equations: read by their only split"),
    ("本行数字不满足表中等式（按唯一的拆分读取，规则会报告）",
     "the row's numbers break the table's equations (read by their only split; the rules report it)"))
AMBIGUOUS = _code(
    "AMBIGUOUS", WARN,
    ("数字连写，有多种拆分，留空并列出可能的值",
     "Digits run together with several possible splits: left blank, candidates listed"),
    ("数字连写，有多种拆分，留空并列出可能的值 [{candidates}]",
     "digits run together with several possible splits; left blank, candidates listed [{candidates}]"))
UNSPLIT = _code(
    "UNSPLIT", WARN, ("无法把一行数字拆分到各列", "A row's numbers could not be split into its cells"),
    ("无法把本行数字拆分到各列：{raw}", "the row's numbers could not be split into its cells: {raw}"))
NO_ROW = _code(
    "NO-ROW", WARN,
    ("表中一组数字找不到所属的行（其标签不是本格式的行）",
     "Numbers in a table under a label that fits no row of the format"),
    ("这组数字找不到所属的行：“{label}” [{numbers}]", "numbers that belong to no row: “{label}” [{numbers}]"))
ROW_AGAIN = _code(
    "ROW-AGAIN", WARN,
    ("表中一行印出两次（例如两张表拼接），保留第一次的数字",
     "A table row printed twice (two tables run together, say): its first printing's numbers are kept"),
    ("“{label}”一行再次出现 [{numbers}]，保留第一次（第 {first} 行）的数字",
     "the row “{label}” appears again [{numbers}]: the numbers of its first printing (line {first}) are kept"))
#: the numbers of several rows printed after all their labels, a row a line (OCR reading a two-column table column by
#: column): read row by row in the labels' order (probe 12c #7)
NUMBERS_APART = _code(
    "NUMBERS-APART", INFO,
    ("表中几行的数字印在这些行的标签之后、另行印出（多为文字识别按栏读出）：每行一行时按标签的顺序逐行读入",
     "The numbers of several table rows are printed after all their labels (OCR reading the table column by column): "
     "read row by row in the labels' order when each row's are a line"),
    ("从“{label}”起 {count} 行的标签之后，数字另行印出（第 {first} 行起）：{how}",
     "the numbers of the {count} rows from “{label}” are printed after their labels (from line {first}): {how}"))
TOO_LONG = _code(
    "TOO-LONG", WARN,
    ("数字超过计数的上限（15 位），不是计数", "A number longer than a count can be (15 digits): not a count"),
    ("数字有 {digits} 位，超过计数的上限（15 位），不作为单元格的值",
     "a number of {digits} digits is longer than a count can be (15 digits): not taken as a cell's value"))
JOINT = _code(
    "JOINT", INFO,
    ("连写的数字由表中等式共同确定（唯一解）",
     "Run-together digits settled by the table's equations jointly (the only solution)"),
    ("连写的数字只有一种拆分能满足表中各等式，按此读取",
     "only one split of the run-together digits satisfies the table's equations together: read so"))
HEADING = _code(
    "HEADING", INFO,
    ("部分标题与格式的措辞不同（按所属部分读取）",
     "A part's heading is worded otherwise than the form's (read as that part)"),
    ("“{heading}”读作“{official}”", "“{heading}” read as “{official}”"))
LEVEL = _code(
    "LEVEL", INFO, ("机关层级由名称推断", "The agency's level is inferred from its name"),
    ("按机关名称（{reason}），{conclusion}", "by the agency's name ({reason}), {conclusion}"))
REPLACED = _code(
    "CONTROL", WARN,
    ("原文有报告无法容纳的字符（控制字符、非字符），已逐个替换",
     "The published text holds characters no report can hold (controls, noncharacters): each replaced"),
    ("原文有{kind}（{chars}，共 {count} 处），已逐个换为{by}；首处在此",
     "the published text holds {kind} ({chars}; {count} in all), each replaced by {by}; the first is here"))
DIRECTION = _code(
    "DIRECTION", WARN,
    ("原文有改变显示顺序的方向控制字符（保留原样）",
     "The published text holds directional formatting characters (kept as published)"),
    ("原文有{kind}（{chars}，共 {count} 处），保留原样：显示的文字顺序可能与所写的不同；首处在此",
     "the published text holds {kind} ({chars}; {count} in all), kept as published: the text may be displayed "
     "in another order than it is written; the first is here"))
SECOND_REPORT = _code(
    "SECOND-REPORT", WARN,
    ("报告之后还有另一份报告（其标题、网页框架或作为标题重新印出的部分标题），只读入第一份",
     "Another report follows the report (its title, its page's frame, or part headings printed again as headings): "
     "only the first is read"),
    ("另一份报告从此处开始（{what}）：本报告到此为止，其后的文字未读入",
     "another report starts here ({what}): this report ends before it, and the text after it is not read"))
#: a report of this report's own title printed again after it: a web page's text, then its attachment's (probe 11b #8)
REPORT_AGAIN = _code(
    "REPORT-AGAIN", INFO,
    ("报告之后再次印出一份标题相同的报告（多为同一报告的附件文本），只读入第一份",
     "A report of the same title is printed again after the report (often the same report's attachment): only the "
     "first is read"),
    ("标题相同的报告从此处再次印出（“{title}”）：只读入第一份，其后的文字未读入",
     "a report of the same title (“{title}”) is printed again from here: only the first is read, not the text "
     "after it"))
#: a report whose tables print no number (images), then the same report with its tables printed as text (its
#: attachment): the copy is read as the report (review 12c #1)
TEXT_COPY = _code(
    "TEXT-COPY", INFO,
    ("报告的表格（或其中几张）未以文字印出（或为图片），其后以文字再次印出同一报告（多为附件），读入的是以文字印出的一份",
     "The report's tables (or some of them) are not printed as text (images?) and the same report is printed again "
     "after it with them as text (often its attachment): the copy printed as text is read"),
    ("本报告的表格（或其中几张）未以文字印出（或为图片）；标题相同的报告（“{title}”）从此处以文字再次印出：读入的是"
     "这一份，其前的文字未读入",
     "this report's tables (or some of them) are not printed as text (images?); the report of the same title "
     "(“{title}”) is printed again from here with them as text: that copy is read, not the text before it"))
#: a cell of letters and digits in a table (OCR's 6S for 65, l for 1, O for 0): read as the digits printed, or as
#: no number, without a word before (probe 12c #3, #5)
LETTERS = _code(
    "LETTERS", WARN,
    ("表格的一格里数字与字母相连或只有一个字母（疑为文字识别错误），该格的读数须核对",
     "A table cell of digits and letters, or of one letter (an OCR misreading?): its value needs checking"),
    ("表格中的“{cell}”不是数字（疑为文字识别错误，如 S 与 5、l 与 1、O 与 0）：该行的读数须核对",
     "“{cell}” in a table is no number (an OCR misreading? S for 5, l for 1, O for 0): check the row's values"))
COLUMN_ORDER = _code(
    "COLUMNS", INFO,
    ("表头所列各列的顺序与表格规定的不同，按表头读取",
     "A table's header lists its columns in another order than the form's: read by the header"),
    ("{table}的表头按此顺序列出各列：{columns}（与表格规定的顺序不同），各数字按表头归列",
     "the header of {table} lists its columns in this order: {columns} (not the form's): each number is read "
     "as the header's column"))
COLUMN_MISSING = _code(
    "COLUMN-MISSING", WARN,
    ("表头未列出表格规定的某一列，该列各单元格留空",
     "A table's header prints no column of the form's: its cells are blank"),
    ("{table}的表头未列出“{name}”一列：该列各单元格留空，其余各列按表头读取",
     "the header of {table} prints no column “{name}”: its cells are left blank, the others read as the header "
     "names them"))
#: a block of table 2 whose header lists columns the block does not have (a 2019 (八) printed with 处理决定数量, the
#: other version's columns: a half-updated template): read by the header where a column means the form's (probe 13)
BLOCK_COLUMNS = _code(
    "BLOCK-COLUMNS", WARN,
    ("表二某一块的表头列出该块没有的列（如另一版格式的列）：同义的列按表头读入，其余数字未读入",
     "A block of table 2 whose header lists columns the block does not have (the other version's, say): a column of "
     "the same meaning is read by the header, the other numbers are not read"),
    ("{block}的表头列出 {printed}（{whose}），本表 {version} 格式此块的列为 {form}：按表头读入 {read}；未读入的数字 "
     "{dropped}",
     "the header of {block} lists {printed} ({whose}) where this table's {version} format has {form}: read by the "
     "header: {read}; numbers not read: {dropped}"))
#: a row the format prints as one, printed as the other version's sub-rows (a 2019 table 3 with the 2021 （六）'s
#: three): their numbers added up into the one row, never the first sub-row's alone (probe 13 #5)
SUB_ROWS = _code(
    "SUB-ROWS", WARN,
    ("表中一行印成了另一版格式的几行（模板混用）：按列相加读入该行，无法相加时留空",
     "A row of the format printed as the other version's sub-rows (a mixed template): added up column by column "
     "into the row, left blank where they cannot be"),
    ("“{row}”一行印成了 {version} 格式的 {count} 行（{labels}），本表 {format} 格式只有一行：{how}",
     "the row “{row}” is printed as the {version} format's {count} rows ({labels}) where this table's {format} "
     "format has one: {how}"))
#: a row printed apart (a cell a number) with more numbers than the form's row has cells and no header saying
#: which column is more: not "digits run together" (they are apart), and not read (probe 13 #6)
ROW_WIDER = _code(
    "ROW-WIDER", WARN,
    ("表中一行印的数比表格此行的列多（各数分列印出）：无法判断哪一个不属于本行，未读入",
     "A table row prints more numbers (each in a cell of its own) than the form's row has cells: which is not the "
     "row's cannot be told; not read"),
    ("本行印了 {count} 个数（{numbers}），表格此行只有 {width} 列：无法判断哪一个不属于本行，未读入",
     "the row prints {count} numbers ({numbers}) where the form's row has {width} cells: which is not the row's "
     "cannot be told; not read"))

UNIT = _code(
    "UNIT", INFO,
    ("数额印的单位与表格规定的单位不同，已按表格的单位换算（原文见来源）",
     "An amount printed in another unit than the form's: converted to the form's unit (as printed: provenance)"),
    ("印为 {raw}，按表格的单位（{unit}）记为 {value}",
     "printed {raw}: recorded as {value} in the form's unit ({unit})"))
#: a cell that prints words beside its number: a change's sign in words (下降2, 同比减少2) or a count's measure word
#: (2次) read with it, said (review 13b #9); any other words (约12, a note after it) not read, said: never dropped
#: without a word
WORDS_READ = _code(
    "WORDS-READ", INFO,
    ("表格的一格在数字旁印有文字（以文字表示的增减，如“下降2”；或计数的量词，如“2次”）：按文字的含义读入，原文见来源",
     "A table cell prints words beside its number (a change's sign in words, 下降2; a count's measure word, 2次): "
     "read as the words mean, as printed in provenance"),
    ("{name}印作“{printed}”，按 {read} 读入{more}", "{name} printed “{printed}”: read as {read}{more}"))
WORDS = _code(
    "WORDS", WARN,
    ("表格的一格在数字旁印有文字（如“约12”，数字后的注），文字未读入：该格的读数须核对",
     "A table cell prints words beside its number (约12, a note after it) that are not read: check the value"),
    ("{name}印作“{printed}”，按 {read} 读入（“{words}”未读入）",
     "{name} printed “{printed}”: read as {read} (“{words}” not read)"))

CATALOGUE: tuple[Code, ...] = (FORMAT_GUESSED, NO_OPENCC, TABLE_MISSING, PREVIOUS_IGNORED, NO_YEAR, NO_TITLE, BUDGET,
                               RULE_BROKEN, AMBIGUOUS, UNSPLIT, NO_ROW, ROW_AGAIN, NUMBERS_APART, TOO_LONG, JOINT,
                               HEADING, LEVEL, REPLACED, DIRECTION, SECOND_REPORT, REPORT_AGAIN, TEXT_COPY, LETTERS,
                               UNIT, COLUMN_ORDER, COLUMN_MISSING, BLOCK_COLUMNS, SUB_ROWS, ROW_WIDER, TRUNCATED,
                               TITLE_YEAR, WORDS_READ, WORDS)


def rules() -> list[Rule]:
    """Every GD-PARSE code as a catalogue entry (no check: the parser emits them)."""
    return [c.rule() for c in CATALOGUE]
