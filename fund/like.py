"""LIKE patterns for text a person typed or picked, bound as values when a statement runs.

`column.contains(text, autoescape=True)` escapes the wildcards of a literal only; a statement
built once per process binds its text when it runs, so the escaping is done here and the
statement names the escape character: `column.like(bindparam("q"), escape=like.ESCAPE)` run
with `like.containing(text)` finds the text itself, "%" and "_" included.
"""

from __future__ import annotations

ESCAPE = "/"


def escaped(text: str) -> str:
    """`text` with LIKE's wildcards and the escape character itself escaped."""
    return text.replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")


def containing(text: str) -> str:
    """The pattern of a value that contains `text` anywhere."""
    return f"%{escaped(text)}%"
