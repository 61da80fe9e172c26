"""Format declarations: the official 2019 and 2021 formats and the means to declare variants."""

from .spec import (
                   Block,
                   CellKind,
                   CellSpec,
                   Column,
                   DeclarationError,
                   FormatSpec,
                   Group,
                   Label,
                   Part,
                   Row,
                   RowAddition,
                   RowReplacement,
                   StatedCount,
                   TableSpec,
                   Variant,
                   resolve,
)

__all__ = ["Block", "CellKind", "CellSpec", "Column", "DeclarationError", "FormatSpec", "Group", "Label", "Part",
           "Row", "RowAddition", "RowReplacement", "StatedCount", "TableSpec", "Variant", "resolve"]
