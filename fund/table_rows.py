"""A page of a list's rows written out in Python, with the select column of its bulk actions
when they are offered (the screening list's proposals, the grants list's grants)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup


class SelectableRows:
    """One page's rows: `html(offered)` is the table body, each row opened by a checkbox of
    the bulk form when bulk actions are `offered`; empty when nothing matched.

    `rows` are (id, the row's name escaped, for the checkbox's label, and its cells after the
    select column, HTML); `name` is the checkbox's field name in the bulk form."""

    def __init__(self, rows: list[tuple[int, str, str]], select_label: str, name: str) -> None:
        self._rows = rows
        self._select_label = select_label  # HTML
        self._name = name

    def __len__(self) -> int:
        return len(self._rows)

    def html(self, offered: Any) -> Markup:
        if not offered:
            return Markup("".join(f"\n          <tr>{cells}" for _id, _name, cells in self._rows))
        label, field = self._select_label, self._name
        return Markup(
            "".join(
                f'\n          <tr>\n            <td data-label="{label}"><input type="checkbox"'
                f' id="select-{i}" name="{field}" value="{i}" form="bulk">\n              '
                f'<label for="select-{i}">{label}<span class="visually-hidden"> {name}</span>'
                f"</label></td>{cells}"
                for i, name, cells in self._rows
            )
        )
