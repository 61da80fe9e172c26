"""The typography of the official Word template (政府信息公开工作年度报告格式模板, 2021), as data.

Measured from the template's XML: A4 portrait, margins 2.54 cm top and bottom and 3.17 cm left
and right; the text in 宋体 12 pt, the title 18 pt bold and centred, part headings 12 pt bold
indented like the text; tables 9,740 twips wide (wider than the text, centred), cells in 宋体
10 pt with 1 pt borders, block titles of table 2 shaded; the explanatory notes in parentheses
(table 3's corner, the note of its second result row) in 楷体.  Lengths are in twentieths of a
point (twips), font sizes in half-points, as Word stores them.
"""

from __future__ import annotations

PAGE_WIDTH, PAGE_HEIGHT = 11906, 16838  # A4
MARGIN_TOP = MARGIN_BOTTOM = 1440
MARGIN_LEFT = MARGIN_RIGHT = 1800
HEADER_DISTANCE, FOOTER_DISTANCE = 851, 992

SONG = "宋体"  # every text of the template
KAI = "楷体"  # the notes in parentheses
LATIN = "Times New Roman"  # the template's default for Latin text outside the body

TITLE_SIZE = 36
BODY_SIZE = 24
TABLE_SIZE = 20
FIRST_LINE_INDENT = 420  # body paragraphs and part headings

TABLE_WIDTH = 9740
GROUP_COLUMN_WIDTHS = (754, 921)  # table 3: the result group, then the sub-group
VALUE_COLUMN_WIDTH = 685  # table 3's seven value columns
ROW_HEIGHT = 340  # at least
CELL_MARGIN = 57  # left and right
BORDER = 8  # eighths of a point: 1 pt single lines
TITLE_FILL = "C6D9F1"  # the shading of table 2's block titles
FLAG_FILL = "FDE2E1"  # cells a finding concerns (render --findings), as the HTML renderer marks them

#: the note in a label: a parenthesised sentence (it has a comma), at the end of the label
NOTE_OPEN, NOTE_CLOSE, NOTE_COMMA = "（", "）", "，"

#: paragraph and character styles the document defines (ids; names are "GD " + id)
TITLE, HEADING, BODY, CELL, SIGNATURE, NOTE = "GDTitle", "GDHeading", "GDBody", "GDCell", "GDSignature", "GDNote"
#: "发布日期：…" at the end of a parsed report that printed no signature (left-aligned: not a 落款)
PUBLISHED = "GDPublished"
#: the mark on a cell the parser could not settle (character style), and the notes under its table (paragraphs)
DOUBT, DOUBT_NOTE = "GDDoubt", "GDDoubtNote"
DOUBT_COLOR = "A40E0E"  # as the HTML renderer marks it
NOTE_SIZE = 18
