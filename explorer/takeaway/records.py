"""Plain records the take-away PDFs are made from: what the user typed, and what we cite.

Every record is frozen and holds only text, numbers and dates, so the PDF functions are
pure (records in, bytes out) and can be tested without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from explorer.subtypes import Advice, Reference

WALLET = "wallet"
FULL_PAGE = "page"
LAYOUTS = (WALLET, FULL_PAGE)
PAPER_SIZES = ("A4", "Letter")


@dataclass(frozen=True, slots=True)
class CardDetails:
    """What the person chose to put on their card; every field is optional.

    Nothing here is stored by the app: the page builds this record from the form's
    widgets when a download is asked for, and the PDF is the only place it goes.
    ``takes_gcsf`` is None when the question was left unanswered.
    """

    first_name: str = ""
    form: str = ""
    usual_anc: str = ""
    takes_gcsf: bool | None = None
    gcsf_dose: str = ""
    care_team: str = ""
    care_team_phone: str = ""
    hospital: str = ""


@dataclass(frozen=True, slots=True)
class Cited:
    """A sentence and the numbers of the references it cites (as in the reference list)."""

    text: str
    markers: tuple[int, ...] = ()

    @property
    def display(self) -> str:
        """Text followed by its markers, e.g. ``"Fever is an emergency. [21][1]"``."""
        return " ".join([self.text, "".join(f"[{n}]" for n in self.markers)]).strip()


CardLine = Advice
"""One medical line of the card: the same record as a guidance row (``topic``, ``order``,
``text``, ``citations``, ``line``). ``topic`` is ``fever_rule`` (the guidance's rule),
``fever_why`` (why the rule, printed under it on the card's front) or ``first_steps`` (what
the emergency team should do first)."""


@dataclass(frozen=True, slots=True)
class CardContent:
    """The card's cited lines by section and the references they point to, numbered."""

    fever_rule: tuple[Cited, ...]
    first_steps: tuple[Cited, ...]
    references: tuple[tuple[int, Reference], ...]


@dataclass(frozen=True, slots=True)
class ContactLine:
    """One way to reach an organization: ``kind`` (Phone, Fax, Email, …) and the value.

    Phone numbers are in international form (``+1 810-229-5797``) when they could be
    checked; otherwise as printed, with ``checked=False``.
    """

    kind: str
    value: str
    checked: bool = True


@dataclass(frozen=True, slots=True)
class SummaryOrganization:
    """An organization as the visit summary lists it.

    ``currency_note`` says where the contact details come from and how current they
    are; it is filled by :func:`explorer.takeaway.content.contact_currency_note`.
    """

    name: str
    address: tuple[str, ...]
    contacts: tuple[ContactLine, ...]
    distance_km: float | None
    currency_note: str


@dataclass(frozen=True, slots=True)
class SummaryRow:
    """One compared attribute: its label and one cited cell per form."""

    label: str
    cells: tuple[Cited, ...]


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A glossary word the printed statements use, and its cited definition."""

    term: str
    definition: Cited


@dataclass(frozen=True, slots=True)
class VisitSummary:
    """Everything the visit summary prints, resolved to plain text and reference numbers."""

    made: date
    forms: tuple[str, ...]
    rows: tuple[SummaryRow, ...]
    only_differences: bool
    classification: Cited
    fever_rule: tuple[Cited, ...]
    place_label: str
    organizations: tuple[SummaryOrganization, ...]
    glossary: tuple[GlossaryEntry, ...]
    references: tuple[tuple[int, Reference], ...]
    last_reviewed: date
