"""A text worked out once per distinct value on a page.

A list page repeats the same few states, day counts or tallies on many rows; translating and
formatting each row's again (a catalogue lookup through the request's proxies every time)
cost more than writing the row. A `PerValue` is made for one page (so it follows the reader's
language) and is read in the template as a mapping: `{{ days_late[n] }}`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any


class PerValue(dict):
    """`text(value)` for each value asked for, worked out the first time it is asked."""

    def __init__(self, text: Callable[[Any], str]) -> None:
        super().__init__()
        self._text = text

    def __missing__(self, value: Hashable) -> str:
        text = self[value] = self._text(value)
        return text
