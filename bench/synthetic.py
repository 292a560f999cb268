"""Synthetic NORD-format reports whose addresses are real places from the packaged gazetteers.

The benchmark needs 1,000 to 100,000 organizations that exercise the same code as the
real report: US street and PO-box addresses with real ZIPs, Canadian addresses with real
FSAs, and ``City, Country`` lines for gazetteer cities worldwide, with phone numbers that
``phonenumbers`` accepts (toll-free lines included). A fixed seed makes every run read
the same text, so figures from two runs compare like with like.

Organizations are spread over :data:`REPORTS` reports, and a few
are listed by two reports, so merging and the disorder filter do real work.
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberFormat

from explorer.places.gazetteer import Gazetteer, load_gazetteer
from explorer.reading.addresses import CITY_REGION_LINE

REPORTS = 4
"""Report files per data set: 100,000 organizations make four ~4 MB files."""
REPEATED_SHARE = 0.03
"""Share of organizations also listed by the next report (merged back into one record)."""
MIX = (("us", 0.55), ("us_po_box", 0.10), ("ca", 0.15), ("world", 0.20))
"""Address kinds and their shares."""
KINDS = (
    "Neutropenia Support Group",
    "Parent Network",
    "Patient Registry",
    "Family Foundation",
    "Information Center",
    "Blood Disorders Clinic",
)
SCOPES = ("", "", "", "", "National ", "International ")
US_AREA_CODES = ("206", "212", "301", "313", "404", "512", "617", "702", "810", "920")
CA_AREA_CODES = ("204", "306", "403", "416", "514", "604", "613", "902")
TOLL_FREE = ("800", "866", "877", "888")
HEADER = """{title}

National Organization for Rare Disorders, Inc.

It is possible that the main title of the report {title} is not the name you expected.

  • {title} (synthetic)

General Discussion

A synthetic report generated for the benchmark; the addresses are real places.

"""
FOOTER = """For a Complete Report

This is an abstract of a report from the National Organization for Rare Disorders, Inc.
"""


@dataclass(frozen=True)
class Places:
    """Real places to draw addresses from, in a stable order (so the seed fixes the draw)."""

    us_zips: tuple
    po_box_zips: tuple
    fsas: tuple
    world: tuple[tuple[str, str, str], ...]
    """(city, country name, country code) whose ``City, Country`` line the parser reads."""
    world_phones: dict[str, str]


def _example_phone(region: str) -> str:
    example = phonenumbers.example_number(region)
    return phonenumbers.format_number(example, PhoneNumberFormat.INTERNATIONAL) if example else ""


def collect_places(gazetteer: Gazetteer) -> Places:
    """Every US ZIP, Canadian FSA with a city, and world city the generator may use."""
    zips = sorted(gazetteer.zips.values(), key=lambda z: z.code)
    us = [z for z in zips if z.country == "US"]
    world = []
    for key in sorted(gazetteer.cities):
        for place in gazetteer.cities[key][:1]:
            country = gazetteer.countries.get(place.country)
            line = f"{place.name}, {country.name}" if country else ""
            if country and place.country not in ("US", "CA") and CITY_REGION_LINE.match(line):
                world.append((place.name, country.name, country.code))
    codes = sorted({code for _, _, code in world})
    return Places(
        us_zips=tuple(z for z in us if not z.po_box),
        po_box_zips=tuple(z for z in us if z.po_box),
        fsas=tuple(a for a in sorted(gazetteer.fsas.values(), key=lambda a: a.code) if a.city),
        world=tuple(world),
        world_phones={code: phone for code in codes if (phone := _example_phone(code))},
    )


def _north_american_phone(rng: random.Random, area_codes: tuple[str, ...]) -> str:
    return f"({rng.choice(area_codes)}){rng.randint(200, 999)}-{rng.randint(0, 9999):04d}"


def _address(rng: random.Random, places: Places, kind: str) -> tuple[list[str], str, str]:
    """Address lines, the city (for the name) and the main phone of one organization."""
    street = f"{rng.randint(1, 9999)} {rng.choice(('Main', 'Oak', 'King', 'Lake'))} Street"
    if kind in ("us", "us_po_box"):
        area = rng.choice(places.po_box_zips if kind == "us_po_box" else places.us_zips)
        first = f"PO Box {rng.randint(1, 9999)}" if kind == "us_po_box" else street
        lines = [first, f"{area.city}, {area.region} {area.code}"]
        return lines, area.city, _north_american_phone(rng, US_AREA_CODES)
    if kind == "ca":
        area = rng.choice(places.fsas)
        ldu = f"{rng.randint(0, 9)}{rng.choice('ABCEGHJKLMNPRSTVXY')}{rng.randint(0, 9)}"
        lines = [street, f"{area.city}, {area.region} {area.code} {ldu}"]
        return lines, area.city, _north_american_phone(rng, CA_AREA_CODES)
    city, country, code = rng.choice(places.world)
    return [street, f"{city}, {country}"], city, places.world_phones.get(code, "")


def _organization_block(
    rng: random.Random, places: Places, number: int, *, lean: bool = False
) -> str:
    """One organization; ``lean`` keeps name, address and main phone only (a smaller file)."""
    kind = rng.choices([k for k, _ in MIX], weights=[w for _, w in MIX])[0]
    lines, city, phone = _address(rng, places, kind)
    name = f"{rng.choice(SCOPES)}{city} {rng.choice(KINDS)} {number}"
    block = [name, *lines]
    if phone:
        block.append(f"Tel: {phone}")
    if lean:
        return "\n".join(block)
    if kind != "world" and rng.random() < 0.15:
        block.append(f"Tel: ({rng.choice(TOLL_FREE)}){rng.randint(200, 999)}-{number % 10000:04d}")
    if rng.random() < 0.3 and phone:
        block.append(f"Fax: {phone[:-1]}{(int(phone[-1]) + 1) % 10}")
    slug = f"org{number}"
    if rng.random() < 0.5:
        block.append(f"Email: info@{slug}.example.org")
    if rng.random() < 0.5:
        block.append(f"Internet: https://www.{slug}.example.org")
    return "\n".join(block)


def write_dataset(
    size: int,
    target: Path,
    *,
    seed: int = 20261125,
    reports_count: int = REPORTS,
    lean: bool = False,
) -> Path:
    """Write ``size`` organizations as NORD reports into ``target/reports`` and return ``target``.

    The bundled map outlines and subtype files are copied too, so the app runs on the
    folder exactly as on the bundled data. An existing ``target`` is replaced. One lean
    report (``reports_count=1, lean=True``) holds 200,000 organizations under the app's
    20 MB limit per file.
    """
    rng = random.Random(seed)
    places = collect_places(load_gazetteer())
    blocks = [_organization_block(rng, places, number, lean=lean) for number in range(1, size + 1)]
    if target.exists():
        shutil.rmtree(target)
    bundled = Path(__file__).resolve().parent.parent / "data"
    for folder in ("subtypes",):
        if (bundled / folder).is_dir():
            shutil.copytree(bundled / folder, target / folder)
    reports = target / "reports"
    reports.mkdir(parents=True)
    per_report = -(-size // reports_count)
    chunks = [blocks[i : i + per_report] for i in range(0, size, per_report)]
    for index, chunk in enumerate(chunks):
        previous = chunks[index - 1] if index else []
        repeated = rng.sample(previous, k=int(len(previous) * REPEATED_SHARE))
        title = f"Synthetic Neutropenia {index + 1:03d}"
        body = "\n\n".join(chunk + repeated)
        text = HEADER.format(title=title) + body + "\n\n" + FOOTER
        (reports / f"synthetic_{index + 1:03d}.txt").write_text(text, encoding="utf-8")
    return target
