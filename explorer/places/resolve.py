"""Resolve what a user types into the "near me" box to a point, offline.

Accepted forms: a US ZIP (``48116``, ``20824-0105``), a Canadian postal code or
FSA (``R3M 3S7``, ``r3m3s7``, ``R3M``), ``City, Region`` (``Detroit, MI``,
``Winnipeg, Manitoba``), ``City, Country`` (``Ballarat, Australia``),
``City, Region, Country``, a bare city, region or country name, or text that
contains a full ZIP or postal code (``Brighton, MI 48116``).

A UK postcode is accepted with its post town (``London, SW17 0QT``) and placed at the
town: no packaged gazetteer ships UK postcodes, so a postcode alone is "not found" with
a message asking for the town.

A typo is never silently replaced by another place: the result is "not found"
with "Did you mean ...?" suggestions, each of which is checked to resolve.
Hostile input (markup, control characters, huge strings) gives ``found=False``
and a message; messages only ever echo the *normalised* query (letters, digits
and spaces), so they are safe to show as Markdown.

One job in about 400 lines: the suggestions re-run the resolver on every candidate, so
splitting them off would only make the resolver's internals public to a second module.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from explorer.lookup_key import normalize
from explorer.models import Organization
from explorer.places.gazetteer import Gazetteer, Place, PostalArea, Region, load_gazetteer

MAX_QUERY_LENGTH = 100
"""Longer input is refused before any lookup: no place name is that long."""

_US_ZIP = re.compile(r"(\d{5})(?:-?\d{4})?")
_CA_POSTAL = re.compile(r"([A-Z]\d[A-Z])(?:\s*\d[A-Z]\d)?")
_POSTAL_IN_TEXT = re.compile(r"\b(\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)\b")
"""A full ZIP or Canadian code inside longer text ("Brighton, MI 48116")."""
_UK_POSTCODE_AT_END = re.compile(
    r"(?P<town>.*?)[\s,]*\b(?P<outward>[A-Z]{1,2}\d[A-Z\d]?) ?(?P<inward>\d[A-Z]{2})"
)
"""A UK postcode (``SW17 0QT``), alone or after its post town (``London, SW17 0QT``)."""
UK_POSTCODE_HINT = (
    "UK postcodes cannot be placed offline (the app ships no UK postcode list). "
    "Type the post town instead, e.g. 'London, UK'."
)
_FUZZY_CUTOFF = 80
"""rapidfuzz ``ratio`` score (0-100) below which a name is not offered: "Detriot" vs
"Detroit" scores 86, unrelated short names stay below 80."""


@dataclass(frozen=True, slots=True)
class PlaceResult:
    """Outcome of :func:`resolve_place`.

    ``label`` names the place found (``"Detroit, Michigan, US"``); ``precision`` is
    one of :data:`explorer.models.PRECISIONS`; ``message`` explains a miss and
    ``suggestions`` lists labels that do resolve; ``country`` is the ISO alpha-2 code
    of the place found (national organizations of that country serve it).
    """

    found: bool
    label: str = ""
    latitude: float | None = None
    longitude: float | None = None
    precision: str = "none"
    matched: str = ""
    message: str = ""
    suggestions: tuple[str, ...] = ()
    country: str = ""
    alternatives: tuple[str, ...] = ()
    """Other places of the same name (labels that resolve to them), most populous first:
    an ambiguous name ("Springfield") is searched at the largest, and the user may pick."""


ALTERNATIVES_SHOWN = 8
"""How many other same-named places an ambiguous search offers: enough for every Brighton
(the one in Michigan, where an organization of the bundled report is, is the seventh)."""


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where to look for a city: a country, optionally narrowed to one region."""

    country: str
    region: Region | None = None

    def label(self, gazetteer: Gazetteer) -> str:
        country = gazetteer.countries[self.country].name
        return f"{self.region.name}, {self.country}" if self.region else country


def _clean(query: str) -> str:
    """NFKC-normalise (fullwidth "４８１１６" is "48116"), read every decimal digit as ASCII
    ("٤٨١١٦" too), turn control/format characters into spaces and collapse whitespace."""
    text = "".join(
        " " if unicodedata.category(ch)[0] in "CZ" else str(unicodedata.decimal(ch, ch))
        for ch in unicodedata.normalize("NFKC", query)
    )
    return " ".join(text.split())


def _place_label(gazetteer: Gazetteer, place: Place) -> str:
    region = gazetteer.region_of(place)
    return ", ".join(filter(None, (place.name, region and region.name, place.country)))


def _found_place(gazetteer: Gazetteer, place: Place, matched: str) -> PlaceResult:
    return PlaceResult(
        found=True,
        label=_place_label(gazetteer, place),
        latitude=place.latitude,
        longitude=place.longitude,
        precision="city",
        matched=matched,
        country=place.country,
    )


def _found_region(region: Region) -> PlaceResult:
    return PlaceResult(
        found=True,
        label=f"{region.name}, {region.country}",
        latitude=region.latitude,
        longitude=region.longitude,
        precision="region",
        matched=f"region {region.name} (centroid)",
        country=region.country,
    )


def _found_country(gazetteer: Gazetteer, code: str) -> PlaceResult:
    country = gazetteer.countries[code]
    return PlaceResult(
        found=True,
        label=country.name,
        latitude=country.latitude,
        longitude=country.longitude,
        precision="country",
        matched=f"country {country.name} (at {country.point_name})",
        country=code,
    )


def _found_postal(gazetteer: Gazetteer, area: PostalArea, matched: str) -> PlaceResult:
    region = gazetteer.region_codes.get((area.country, area.region))
    where = ", ".join(filter(None, (area.city, region.name if region else area.region)))
    return PlaceResult(
        found=True,
        label=f"{area.code} {where}, {area.country}",
        latitude=area.latitude,
        longitude=area.longitude,
        precision="postal_code",
        matched=matched,
        country=area.country,
    )


def _resolve_postal(gazetteer: Gazetteer, text: str) -> PlaceResult | None:
    """A US ZIP or Canadian postal code/FSA; None when ``text`` has neither shape."""
    compact = text.upper()
    if m := _US_ZIP.fullmatch(compact):
        area = gazetteer.zips.get(m[1])
        if area:
            return _found_postal(gazetteer, area, f"ZIP {area.code}")
        return PlaceResult(found=False, message=f"ZIP {m[1]} is not in the offline US ZIP list.")
    if m := _CA_POSTAL.fullmatch(compact):
        area = gazetteer.fsas.get(m[1])
        if area:
            return _found_postal(gazetteer, area, f"postal code FSA {area.code}, {area.place}")
        return PlaceResult(
            found=False, message=f"Canadian postal area {m[1]} is not in the offline list."
        )
    return None


def _scopes(gazetteer: Gazetteer, text: str, *, country: str = "") -> tuple[_Scope, ...]:
    """Every reading of ``text`` as a region or a country (``CA``: California, Canada)."""
    scopes = [_Scope(r.country, r) for r in gazetteer.find_regions(text, country=country)]
    found = None if country else gazetteer.find_country(text)
    if found:
        scopes.append(_Scope(found.code))
    return tuple(scopes)


def _city_in(gazetteer: Gazetteer, name: str, scope: _Scope) -> Place | None:
    """Most populous city called ``name`` in ``scope``, including small US ZIP towns."""
    region = scope.region.code if scope.region else ""
    found = gazetteer.find_cities(name, country=scope.country, region=region)
    if found:
        return found[0]
    return gazetteer.find_zip_city(name, region) if scope.country == "US" and region else None


def _resolve_city(
    gazetteer: Gazetteer, name: str, scopes: tuple[_Scope, ...]
) -> PlaceResult | None:
    """The best city called ``name`` over all readings of the scope (largest wins)."""
    best = None
    for scope in scopes:
        place = _city_in(gazetteer, name, scope)
        if place and (best is None or place.population > best.population):
            best = place
    return _found_place(gazetteer, best, f"city {best.name}") if best else None


def _resolve_single(gazetteer: Gazetteer, text: str) -> PlaceResult | None:
    """A bare name: country, else region (unless a same-named city lies in it), else city."""
    country = gazetteer.find_country(text)
    if country:
        return _found_country(gazetteer, country.code)
    regions = gazetteer.find_regions(text)
    if regions:
        inside = _city_in(gazetteer, text, _Scope(regions[0].country, regions[0]))
        if inside:  # "Quebec" is Quebec City; "Washington" stays the state
            return _found_place(gazetteer, inside, f"city {inside.name}")
        return _found_region(regions[0])
    cities = gazetteer.find_cities(text)
    if cities:
        found = _found_place(gazetteer, cities[0], f"city {cities[0].name} (most populous match)")
        # Small US towns known only by their ZIPs are same-named places too.
        towns = [
            town
            for state in sorted(code for country, code in gazetteer.region_codes if country == "US")
            if (town := gazetteer.find_zip_city(text, state))
        ]
        others = tuple(
            dict.fromkeys(
                label
                for label in (_place_label(gazetteer, city) for city in (*cities[1:], *towns))
                if label != found.label
            )
        )[:ALTERNATIVES_SHOWN]
        return dataclasses.replace(found, alternatives=others)
    words = text.split()
    for cut in range(max(1, len(words) - 3), len(words)):  # "Detroit MI", "Paris France"
        city, scope = " ".join(words[:cut]), " ".join(words[cut:])
        found = _resolve_city(gazetteer, city, _scopes(gazetteer, scope))
        if found:
            return found
    return None


def _parts(text: str) -> list[str]:
    """Comma-separated parts, at most the last three (city, region, country)."""
    return [p.strip() for p in text.split(",") if p.strip()][-3:]


def uk_outward_code(postcode: str) -> str:
    """The outward code (district) of a UK postcode (``SW17 0QT`` → ``SW17``), or ``""``."""
    match = _UK_POSTCODE_AT_END.fullmatch(" ".join(postcode.upper().split()))
    return match["outward"] if match and not match["town"] else ""


def _resolve_uk_postcode(gazetteer: Gazetteer, town: str, postcode: str) -> PlaceResult:
    """A UK postcode, placed at the post town typed with it (the precision says so); alone,
    not found, with a message asking for the town."""
    if not town:
        return PlaceResult(found=False, message=f"UK postcode {postcode}: {UK_POSTCODE_HINT}")
    found, _ = _resolve(gazetteer, f"{town}, United Kingdom")
    if found is None or not found.found:
        found, _ = _resolve(gazetteer, town)
    if found is None or not found.found:
        return PlaceResult(
            found=False,
            message=f"No post town called '{normalize(town)}' found for UK postcode {postcode}.",
        )
    return dataclasses.replace(
        found, matched=f"{found.matched}, typed with UK postcode {postcode} (placed at the town)"
    )


def _resolve(gazetteer: Gazetteer, text: str) -> tuple[PlaceResult | None, tuple[_Scope, ...]]:
    """Resolve cleaned text; on a miss also return the scopes that were recognised."""
    if uk := _UK_POSTCODE_AT_END.fullmatch(text.upper()):
        town = text[: len(uk["town"])].strip(" ,")
        return _resolve_uk_postcode(gazetteer, town, f"{uk['outward']} {uk['inward']}"), ()
    postal = _resolve_postal(gazetteer, text)
    if postal:
        return postal, ()
    embedded = _POSTAL_IN_TEXT.search(text.upper())
    postal = embedded and _resolve_postal(gazetteer, embedded[1])
    if postal and postal.found:
        return postal, ()
    parts = _parts(text)
    if len(parts) == 1:
        return _resolve_single(gazetteer, parts[0]), ()
    if len(parts) == 3:
        country = gazetteer.find_country(parts[2])
        scopes = _scopes(gazetteer, parts[1], country=country.code) if country else ()
    else:
        scopes = _scopes(gazetteer, parts[1])
    found = _resolve_city(gazetteer, parts[0], scopes)
    if found is None and len(parts) == 2:  # "Ontario, Canada": a region, not a city
        regions = [r for s in scopes for r in gazetteer.find_regions(parts[0], country=s.country)]
        found = _found_region(regions[0]) if regions else None
    return found, scopes


@functools.lru_cache(maxsize=512)
def _choices(
    gazetteer: Gazetteer, scope: _Scope | None
) -> tuple[tuple[str, ...], tuple[Place, ...]]:
    """Fuzzy-match choices within a scope: normalised city names and, aligned with them,
    the most populous city of each name. Built once per scope."""
    region = scope.region.code if scope and scope.region else ""
    table: dict[str, Place] = {}
    for key, places in gazetteer.cities.items():
        for p in places:
            if scope is None or (p.country == scope.country and region in ("", p.region)):
                table[key] = p
                break
    for (key, state), p in gazetteer.zip_cities.items():
        if scope is None or (scope.country == "US" and region in ("", state)):
            table.setdefault(key, p)
    return tuple(table), tuple(table.values())


def _close(key: str, choices: tuple[str, ...], limit: int) -> list[int]:
    """Indexes of the choices closest to ``key``, best first.

    rapidfuzz is imported here, on the first misspelt place: a page that searches nothing
    (the first page a fresh server shows) does not wait for it (6 ms)."""
    from rapidfuzz import fuzz, process

    found = process.extract(
        key, choices, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF, limit=limit
    )
    return [index for _, _, index in found]


@functools.lru_cache(maxsize=4)
def _area_names(gazetteer: Gazetteer) -> tuple[str, ...]:
    """Normalised region and country names and codes, for fuzzy matching."""
    return (*gazetteer.regions.keys(), *gazetteer.country_keys.keys())


def _suggest(
    gazetteer: Gazetteer, text: str, scopes: tuple[_Scope, ...], limit: int
) -> tuple[str, ...]:
    """Labels of close names that really resolve (each candidate is resolved again)."""
    parts = _parts(text)
    city_key = normalize(parts[0]) if parts else ""
    if not city_key:
        return ()
    area_names = _area_names(gazetteer)
    candidates: list[str] = []
    if len(parts) > 1 and not scopes:  # the region/country was mistyped: "Detroit, Michigna"
        close = _close(normalize(parts[-1]), area_names, limit)
        candidates += [f"{parts[0]}, {area_names[i]}" for i in close]
    for scope in scopes or (None,):
        names, places = _choices(gazetteer, scope)
        candidates += [_place_label(gazetteer, places[i]) for i in _close(city_key, names, limit)]
    if len(parts) == 1:
        candidates += [area_names[i] for i in _close(city_key, area_names, limit)]
    labels = []
    for candidate in candidates:
        found, _ = _resolve(gazetteer, candidate)
        if found and found.found:
            labels.append(found.label)
    return tuple(dict.fromkeys(labels))[:limit]


def resolve_place(
    query: str,
    *,
    gazetteer: Gazetteer | None = None,
    max_suggestions: int = 5,
    postcode_towns: Mapping[str, str] | None = None,
) -> PlaceResult:
    """Resolve free text typed by a user to a point; never raises.

    Parameters
    ----------
    query
        What the user typed.
    gazetteer
        Index to use; defaults to the process-wide :func:`load_gazetteer`.
    max_suggestions
        How many "Did you mean ...?" labels to offer on a miss.
    postcode_towns
        UK postcode districts (outward codes) → post towns known from the data (the
        addresses of listed organizations): a postcode alone in such a district is
        answered with "Did you mean <town>, <postcode>?".
    """
    text = _clean(query[: 4 * MAX_QUERY_LENGTH] if isinstance(query, str) else "")
    if len(text) > MAX_QUERY_LENGTH:
        return PlaceResult(
            found=False,
            message=f"That is too long for a place name (at most {MAX_QUERY_LENGTH} characters).",
        )
    if not normalize(text):
        return PlaceResult(
            found=False,
            message="Type a city (e.g. 'Detroit, MI'), a US ZIP or a Canadian postal code.",
        )
    gaz = gazetteer or load_gazetteer()
    found, scopes = _resolve(gaz, text)
    if found and found.found:
        return found
    uk = _UK_POSTCODE_AT_END.fullmatch(text.upper())
    town = (postcode_towns or {}).get(uk["outward"], "") if uk and not uk["town"] else ""
    if found and town:
        suggestion = f"{town}, {uk['outward']} {uk['inward']}"
        return dataclasses.replace(found, suggestions=(suggestion,))
    suggestions = _suggest(gaz, text, scopes, max_suggestions) if found is None else ()
    if found:
        message = found.message
    elif scopes:
        where = " or ".join(s.label(gaz) for s in scopes)
        message = f"No city called '{normalize(_parts(text)[0])}' found in {where}."
    elif len(_parts(text)) > 1:
        message = f"'{normalize(_parts(text)[-1])}' is not a region or country in the gazetteer."
    else:
        message = f"No place called '{normalize(text)}' found."
    return PlaceResult(found=False, message=message, suggestions=suggestions)


def uk_postcode_towns(organizations: Iterable[Organization]) -> dict[str, str]:
    """UK postcode districts (outward codes) → the post town printed with them, from the
    listed organizations' addresses: lets a near-me search for a bare UK postcode suggest
    its town (no packaged gazetteer ships UK postcodes)."""
    towns: dict[str, str] = {}
    for org in organizations:
        address = org.address
        if (
            address.country == "GB"
            and address.city
            and (outward := uk_outward_code(address.postal_code))
        ):
            towns.setdefault(outward, address.city)
    return towns
