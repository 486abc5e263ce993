"""The portfolio's charts, drawn on the server as SVG (no JavaScript): horizontal bars, and a
choropleth map of countries on the shipped world outline (fund/data/world_110m.json).

This module computes the geometry; templates/portfolio/_charts.html writes the markup, the bars
themselves through fund/portfolio/markup.py (every text escaped either way). Each chart shows
figures of a table printed next to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path

WORLD = Path(__file__).resolve().parent.parent / "data" / "world_110m.json"
BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 230
BAR_SPACE = 250  # the longest bar; its value is written after it
CHART_WIDTH = LABEL_WIDTH + BAR_SPACE + 160
# Five classes, light to dark (ColorBrewer "Blues", readable by most colour-blind readers); the
# table next to the map gives every figure as text.
MAP_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")


@dataclass(frozen=True)
class Bar:
    """One bar: its label, amount, note and place."""

    label: str
    value: Decimal
    note: str
    y: int
    width: int


@dataclass(frozen=True)
class BarChart:
    """The bars and the size of the drawing."""

    bars: list[Bar]
    width: int
    height: int
    label_width: int


def bar_chart(items: list[tuple[str, Decimal, str]]) -> BarChart:
    """Bars for (label, amount, note) items, the longest for the largest amount."""
    largest = max((value for _, value, _ in items), default=Decimal("0"))
    bars = [
        Bar(
            label=label,
            value=value,
            note=note,
            y=index * (BAR_HEIGHT + BAR_GAP),
            # A bar of a positive amount stays visible however small it is beside the largest.
            width=max(1, round(BAR_SPACE * value / largest)) if largest > 0 and value > 0 else 0,
        )
        for index, (label, value, note) in enumerate(items)
    ]
    height = max(BAR_HEIGHT, len(bars) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP)
    return BarChart(bars, CHART_WIDTH, height, LABEL_WIDTH)


@cache
def world() -> dict:
    """The shipped outline: width, height, the land path and a path per alpha-2 code."""
    return json.loads(WORLD.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class MapCountry:
    """A country drawn on the map, with its amount and colour."""

    code: str
    path: str
    value: Decimal
    colour: str


@dataclass(frozen=True)
class MapChart:
    """The map: the outline, the coloured countries and the legend's classes."""

    currency: str
    width: int
    height: int
    land: str
    countries: list[MapCountry]
    legend: list[tuple[str, Decimal, Decimal]]  # colour, from, to
    missing: list[str]  # codes the outline has no shape for (too small at 1:110m)


def class_of(value: Decimal, largest: Decimal) -> int:
    """The colour class (0-4) of an amount: five equal steps up to the largest amount."""
    if largest <= 0:
        return 0
    return min(len(MAP_COLOURS) - 1, int(value * len(MAP_COLOURS) / largest - Decimal("1e-9")))


def amounts_map(totals: dict[str, Decimal], currency: str) -> MapChart:
    """The choropleth of amounts awarded in `currency` per country code."""
    outline = world()
    largest = max(totals.values(), default=Decimal("0"))
    countries, missing = [], []
    for code, value in sorted(totals.items()):
        path = outline["countries"].get(code)
        if path is None:
            missing.append(code)
            continue
        countries.append(MapCountry(code, path, value, MAP_COLOURS[class_of(value, largest)]))
    steps = len(MAP_COLOURS)
    legend = [
        (colour, largest * i / steps, largest * (i + 1) / steps)
        for i, colour in enumerate(MAP_COLOURS)
    ]
    return MapChart(
        currency, outline["width"], outline["height"], outline["land"], countries, legend, missing
    )
