"""The CLI's help in both languages: click writes its own words (Usage, Options, the help option's) in English only.

The ``govdisclosure`` group and every command of it, the audit's included, are made of these.
"""

from __future__ import annotations

import inspect
from typing import ClassVar

import click

__all__ = ["Command", "Context", "bilingual_help"]


class _Formatter(click.HelpFormatter):
    """Help's headings in both languages (click writes its own in English only)."""

    HEADINGS: ClassVar[dict[str, str]] = {"Options": "选项 / Options", "Commands": "命令 / Commands",
                                          "Arguments": "参数 / Arguments"}

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法 / Usage: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(self.HEADINGS.get(heading, heading))


class Context(click.Context):
    """A context whose help is written by :class:`_Formatter`."""

    formatter_class = _Formatter


class Command(click.Command):
    """A command whose help is in both languages throughout (the audit's commands are made of it too)."""

    context_class = Context

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        return bilingual_help(super().get_help_option(ctx))

    def get_short_help_str(self, limit: int = 45) -> str:
        """The list of commands' line: the help's Chinese paragraph and the first sentence of its English one,
        where the first paragraph is in Chinese only (click takes the first sentence of the first paragraph)."""
        paragraphs = inspect.cleandoc(self.help or "").split("\n\n")
        if self.short_help or len(paragraphs) < 2 or " / " in paragraphs[0]:
            return super().get_short_help_str(limit)
        english = " ".join(paragraphs[1].split()).split(". ")[0].rstrip(".")
        line = f"{paragraphs[0].strip().rstrip('。')} / {english}"
        return line if len(line) <= limit else line[:limit - 3].rstrip() + "..."


def bilingual_help(option: click.Option | None) -> click.Option | None:
    if option is not None:
        option.help = "显示此帮助并退出 / Show this message and exit."
    return option
