"""The HSDS package's ``datapackage.json``: the specification's own table schemas for the
tables the package fills, plus the schemas of the two extra resources (see
:mod:`explorer.exports.hsds`).

The specification's ``datapackage.json`` is kept in ``standards/hsds-3.0/`` with its
CC BY-SA 4.0 notice; foreign keys to tables the package does not include are left out, so
any Frictionless tool can validate the package as it is.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

from explorer.models import CONTACT_STATUSES, PRECISIONS

SPECIFICATION = Path(__file__).parent / "standards" / "hsds-3.0" / "datapackage.json"
HSDS_RESOURCES = ("organization", "location", "address", "phone")
"""The specification's tables this package fills, in the order they are written."""
EXTENSIONS = (
    {
        "name": "x_listing",
        "path": "x_listings.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "profile": "tabular-data-resource",
        "title": "Listings (not part of HSDS)",
        "description": "Where each organization's contact details come from and how current "
        "they are: the report that lists it, the line, the date the report was retrieved and "
        "where it was retrieved from. One row per report listing the organization.",
        "schema": {
            "primaryKey": "id",
            "fields": [
                {"name": "id", "type": "string", "format": "uuid",
                 "constraints": {"required": True, "unique": True}},
                {"name": "organization_id", "type": "string", "format": "uuid",
                 "constraints": {"required": True}},
                {"name": "report_title", "type": "string"},
                {"name": "report_file", "type": "string", "constraints": {"required": True}},
                {"name": "report_line", "type": "integer"},
                {"name": "retrieved", "type": "date",
                 "description": "The date the report was retrieved (its details are as of then)."},
                {"name": "report_url", "type": "string", "format": "uri"},
            ],
            "foreignKeys": [
                {"fields": "organization_id",
                 "reference": {"resource": "organization", "fields": "id"}},
            ],
        },
    },
    {
        "name": "x_organization_detail",
        "path": "x_organization_details.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "profile": "tabular-data-resource",
        "title": "Organization details (not part of HSDS)",
        "description": "How the app classified and placed each organization, the phone "
        "numbers printed for it that could not be validated (so are not in phones.csv), and "
        "how current its details are: status, when and against what they were checked.",
        "schema": {
            "primaryKey": "organization_id",
            "fields": [
                {"name": "organization_id", "type": "string", "format": "uuid",
                 "constraints": {"required": True, "unique": True}},
                {"name": "org_type", "type": "string"},
                {"name": "reach", "type": "string"},
                {"name": "geocode_precision", "type": "string", "constraints": {
                    "required": True,
                    "enum": list(PRECISIONS)}},
                {"name": "geocoder", "type": "string"},
                {"name": "geocode_note", "type": "string",
                 "description": "What the gazetteer matched, or why the address was not placed."},
                {"name": "unvalidated_phones", "type": "string",
                 "description": "Numbers as printed that are not valid numbers; not to be dialled "
                 "without checking."},
                {"name": "status", "type": "string", "constraints": {
                    "required": True, "enum": list(CONTACT_STATUSES)},
                 "description": "The maintainers' check of the contact details: a closed "
                 "organization's numbers are not in phones.csv."},
                {"name": "status_checked", "type": "date",
                 "description": "When the details were checked (empty if never)."},
                {"name": "status_source", "type": "string", "format": "uri",
                 "description": "The page the details were checked against."},
                {"name": "details_from", "type": "string",
                 "description": "Where the exported details come from: the curated file and "
                 "line (and the page checked) for corrected details, else the report lines."},
            ],
            "foreignKeys": [
                {"fields": "organization_id",
                 "reference": {"resource": "organization", "fields": "id"}},
            ],
        },
    },
)  # fmt: skip
"""The extra resources, described like the specification's (Frictionless table schemas)."""


@functools.cache
def _specification() -> dict:
    return json.loads(SPECIFICATION.read_text(encoding="utf-8"))


def _resource(name: str, included: frozenset[str]) -> dict:
    """The specification's resource, minus foreign keys to tables the package lacks."""
    spec = next(r for r in _specification()["resources"] if r["name"] == name)
    resource = copy.deepcopy(spec)
    resource["schema"]["foreignKeys"] = [
        key
        for key in spec["schema"].get("foreignKeys", [])
        if key["reference"]["resource"] in included
    ]
    return resource


def descriptor() -> dict:
    """The package's ``datapackage.json``: exactly the resources in the zip, attributed."""
    spec = _specification()
    included = frozenset(HSDS_RESOURCES)
    return {
        "profile": "tabular-data-package",
        "name": "neutropenia-resource-explorer-directory",
        "title": "Neutropenia support organizations (Open Referral HSDS 3.0)",
        "description": (
            "Support organizations listed in the reports the Neutropenia Resource Explorer "
            f"reads, as Open Referral HSDS {spec['version']} tables. The HSDS resources' "
            "schemas are the specification's own. Contact details come from the reports "
            "(numbers in E.164; a city, region or country the address does not print is the "
            "offline geocoder's); x_listings.csv gives each listing's source and retrieval date."
        ),
        "sources": [
            {
                "title": f"{spec['title']} {spec['version']} (Open Referral): table schemas of "
                + ", ".join(HSDS_RESOURCES)
                + f"; licensed {spec['license']['name']}",
                "path": spec["homepage"],
            }
        ],
        "hsds": {
            "version": spec["version"],
            "homepage": spec["homepage"],
            "schema_license": spec["license"],
        },
        "resources": [_resource(name, included) for name in HSDS_RESOURCES]
        + [copy.deepcopy(resource) for resource in EXTENSIONS],
    }
