"""Build fund/data/world_110m.json, the world outline the portfolio map draws, from the npm
package `world-atlas` (Natural Earth 1:110m, public domain; the package is ISC-licensed).

    curl -sL https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz | tar xz -C /tmp
    .venv/bin/python tools/build_map.py /tmp/package/countries-110m.json

Run once; the output is committed. It decodes the TopoJSON arcs, projects them
equirectangularly (longitude and latitude straight onto x and y, cut at 60 degrees south, so
Antarctica is left out), rounds to whole units of a 720 x 288 grid and writes each shape as an
SVG path with relative moves (the shortest text). The land is one path, drawn under everything;
each country is its own path, keyed by ISO 3166 alpha-2, so a page includes only the countries it
colours.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pycountry

OUTPUT = Path(__file__).resolve().parent.parent / "fund" / "data" / "world_110m.json"
SCALE = 2  # grid units per degree
NORTH, SOUTH = 84, -60
WIDTH, HEIGHT = 360 * SCALE, (NORTH - SOUTH) * SCALE
# Shapes Natural Earth draws without an ISO numeric code.
BY_NAME = {"Kosovo": "XK", "N. Cyprus": "CY", "Somaliland": "SO"}


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """The arcs as absolute (longitude, latitude) points (TopoJSON stores quantized deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: list[int], arcs: list) -> list[tuple[float, float]]:
    """A ring's points from its arc indexes (a negative index is the arc reversed, ~i)."""
    points: list[tuple[float, float]] = []
    for index in ring:
        arc = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        points.extend(arc if not points else arc[1:])
    return points


def project(lon: float, lat: float) -> tuple[int, int]:
    lat = max(SOUTH, min(NORTH, lat))
    return round((lon + 180) * SCALE), round((NORTH - lat) * SCALE)


def ring_path(points: list[tuple[float, float]]) -> str:
    """One closed ring as "M x y l dx dy ... z", or "" when it shrinks to under three points or
    lies wholly south of the cut (Antarctica)."""
    if all(lat < SOUTH for _lon, lat in points):
        return ""
    grid: list[tuple[int, int]] = []
    for lon, lat in points:
        point = project(lon, lat)
        if not grid or grid[-1] != point:
            grid.append(point)
    if len(grid) > 1 and grid[0] == grid[-1]:
        grid.pop()
    if len(set(grid)) < 3:
        return ""
    steps: list[tuple[int, int]] = []
    for (x0, y0), (x1, y1) in zip(grid, grid[1:], strict=False):
        dx, dy = x1 - x0, y1 - y0
        # A step in the same direction as the last one extends it (fewer, longer segments).
        if steps and _same_direction(steps[-1], (dx, dy)):
            steps[-1] = (steps[-1][0] + dx, steps[-1][1] + dy)
        else:
            steps.append((dx, dy))
    return f"M{grid[0][0]} {grid[0][1]}l" + " ".join(f"{dx} {dy}" for dx, dy in steps) + "z"


def _same_direction(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] * b[1] == a[1] * b[0] and a[0] * b[0] + a[1] * b[1] > 0


def geometry_path(geometry: dict, arcs: list) -> str:
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = [ring_path(ring_points(ring, arcs)) for polygon in polygons for ring in polygon]
    return "".join(r for r in rings if r)


def alpha2(geometry: dict) -> str | None:
    name = geometry.get("properties", {}).get("name", "")
    if "id" not in geometry:
        return BY_NAME.get(name)
    country = pycountry.countries.get(numeric=geometry["id"])
    return country.alpha_2 if country else None


def build(topology: dict) -> dict:
    """The outline file's content: its grid size, the land and each country's path."""
    arcs = decode_arcs(topology)
    land = "".join(geometry_path(g, arcs) for g in topology["objects"]["land"]["geometries"])
    countries: dict[str, str] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = alpha2(geometry)
        if code and code != "AQ" and geometry.get("arcs"):
            # Northern Cyprus and Somaliland join the country they are recognised as part of.
            countries[code] = countries.get(code, "") + geometry_path(geometry, arcs)
    return {
        "source": "Natural Earth 1:110m via world-atlas 2.0.2 (countries-110m.json)",
        "width": WIDTH,
        "height": HEIGHT,
        "land": land,
        "countries": {code: path for code, path in sorted(countries.items()) if path},
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    topology = json.loads(Path(argv[1]).read_text())
    OUTPUT.write_text(json.dumps(build(topology), separators=(",", ":")) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
