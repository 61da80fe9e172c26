"""Format declarations: the official 2019 and 2021 formats and the means to declare variants."""

from ..errors import DeclarationError
from ..labels import Label
from .spec import (
                   Block,
                   CellKind,
                   CellSpec,
                   Column,
                   FormatSpec,
                   Group,
                   Part,
                   Row,
                   RowAddition,
                   RowReplacement,
                   StatedCount,
                   TableSpec,
                   Variant,
                   escape_pointer,
                   resolve,
                   unescape_pointer,
)

__all__ = ["Block", "CellKind", "CellSpec", "Column", "DeclarationError", "FormatSpec", "Group", "Label", "Part",
           "Row", "RowAddition", "RowReplacement", "StatedCount", "TableSpec", "Variant", "escape_pointer", "resolve",
           "unescape_pointer"]
