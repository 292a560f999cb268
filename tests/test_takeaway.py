"""The take-away PDFs: cited card lines, the fever card, the visit summary, read back with pypdf
and rendered to PNG with poppler's ``pdftoppm``."""

from __future__ import annotations

import dataclasses
import io
import logging
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from pypdf import PdfReader

from explorer.__main__ import main as cli_main
from explorer.directory.filters import Filters
from explorer.directory.search import search
from explorer.directory.table import directory_frame
from explorer.pipeline import build_catalog
from explorer.places.resolve import resolve_place
from explorer.subtypes import load_subtypes
from explorer.takeaway import (
    FULL_PAGE,
    WALLET,
    CardDetails,
    card_content,
    contact_currency_note,
    fever_card_pdf,
    load_card_lines,
    visit_summary_for,
    visit_summary_pdf,
)
from explorer.takeaway.card_pdf import CARD_WIDTH, WALLET_BACK_SCALES, _wallet_card
from explorer.takeaway.content import CARD_LINES_FILE, international_number
from explorer.takeaway.document import EMERGENCY_RED, Document
from explorer.takeaway.text import MAX_FIELD_CHARS, MISSING_GLYPH, needs_shaping, printable
from tests.conftest import BUNDLED_DATA, HOSTILE_VALUES, PROJECT_ROOT

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
MADE = date(2026, 12, 1)
DETAILS = CardDetails(
    first_name="Amira",
    form="Cyclic",
    usual_anc="0.3 ×10⁹/L",
    takes_gcsf=True,
    gcsf_dose="5 µg/kg daily",
    care_team="Paediatric haematology clinic",
    care_team_phone="+1 734 555 0100",
    hospital="Children's Hospital, Ann Arbor",
)
HOSTILE = CardDetails(
    first_name="<script>alert('x')</script>",
    form="דנה כהן",  # right-to-left (Hebrew)
    usual_anc="أحمد 😀",  # Arabic and an emoji
    gcsf_dose="王小明",  # Chinese: not in the font
    care_team="x" * 5000,
    care_team_phone="\u202e0100 555\x00\x1b[31m",  # bidi override and control characters
    hospital="**bold** [link](javascript:alert(1))",
)


@pytest.fixture(scope="module")
def subtypes():
    data, issues = load_subtypes(BUNDLED_DATA)
    assert data is not None, issues
    return data


@pytest.fixture(scope="module")
def content(subtypes):
    lines, issues = load_card_lines(BUNDLED_DATA, subtypes)
    assert issues == []
    return card_content(subtypes, lines)


@pytest.fixture(scope="module")
def catalog():
    return build_catalog(BUNDLED_DATA)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def link_targets(pdf: bytes) -> list[str]:
    """Every URI link annotation in the PDF."""
    targets = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and "/URI" in action:
                targets.append(str(action["/URI"]))
    return targets


def summary_near(subtypes, catalog, forms, place_query, **options) -> bytes:
    lines, _ = load_card_lines(BUNDLED_DATA, subtypes)
    place = resolve_place(place_query) if place_query else None
    results = search(directory_frame(catalog.organizations), Filters(), place)
    summary = visit_summary_for(
        subtypes,
        lines,
        forms=forms,
        place_label=place.label if place else "",
        listed=results.shown,
        by_id={org.id: org for org in catalog.organizations},
        disorders=catalog.disorders,
        made=MADE,
        **options,
    )
    return visit_summary_pdf(summary)


def render(pdf: bytes, name: str, dpi: int = 60) -> list[Image.Image]:
    """Every page as a PNG via pdftoppm (kept in tests/artifacts to look at)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(source), str(ARTIFACTS / name)],
        check=True,
        timeout=60,
    )
    return [Image.open(path).convert("RGB") for path in sorted(ARTIFACTS.glob(f"{name}-*.png"))]


def red_pixels(image: Image.Image) -> int:
    """How many pixels are the card's emergency red (within anti-aliasing)."""
    difference = np.abs(np.asarray(image, dtype=int) - np.array(EMERGENCY_RED))
    return int((difference < 40).all(axis=2).sum())


# --- the card's cited lines ----------------------------------------------------------


def test_card_lines_state_the_fever_rule_and_cite_listed_sources(subtypes, content):
    """The fever rule (38.0 °C / 100.4 °F) and the first steps are there, each cited."""
    rule = content.fever_rule[0].text
    assert "38.0 °C" in rule and "100.4 °F" in rule
    assert any("antibiotics" in line.text for line in content.first_steps)
    for line in (*content.fever_rule, *content.first_steps):
        assert line.markers, line
    keys = {reference.key for _, reference in content.references}
    assert {"idsa_fever_2011", "nice_cg151", "asco_idsa_fn_2018", "genereviews_elane"} <= keys
    assert "hax1_2009" not in keys


def test_card_lines_refuse_uncited_or_miscited_lines(data_dir: Path, subtypes):
    """An uncited line, an unknown key or topic: an error at its line, the line left out;
    the rule itself still comes first, from the guidance."""
    (data_dir / CARD_LINES_FILE).write_text(
        "topic,order,text,citations\n"
        "fever_why,1,Good line,idsa_fever_2011\n"
        "fever_why,2,No source,\n"
        "first_steps,1,Made up,nobody_2020\n"
        "back_of_card,1,Wrong topic,idsa_fever_2011\n",
        encoding="utf-8",
    )
    lines, issues = load_card_lines(data_dir, subtypes)
    assert [line.text for line in lines][1:] == ["Good line"]
    assert lines[0].text.startswith("If someone with neutropenia has a temperature")
    assert [(i.line, i.message) for i in issues] == [
        (3, "line has no citation"),
        (4, "line cites unknown reference 'nobody_2020'"),
        (5, "topic 'back_of_card' is not one of fever_why, first_steps"),
    ]


def test_card_takes_its_fever_rule_from_the_guidance_row(data_dir: Path, subtypes):
    """The card keeps no copy of the rule: a changed ``fever`` row changes the card, and a
    guidance file without one is an error rather than a card with no rule."""
    path = data_dir / "subtypes" / "guidance.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("or seems unwell", "or seems at all unwell", 1), "utf-8")
    lines, issues = load_card_lines(data_dir, subtypes)
    assert issues == []
    assert "or seems at all unwell" in card_content(subtypes, lines).fever_rule[0].text
    path.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("fever,")), "utf-8"
    )
    lines, issues = load_card_lines(data_dir, subtypes)
    assert lines and all(line.order >= 1 for line in lines), "only the file's own lines"
    assert [str(issue) for issue in issues] == [
        "subtypes/guidance.csv:1: error: no fever rule for the card: guidance.csv has no "
        "'fever' row"
    ]


def test_missing_card_lines_file_is_one_clear_error(data_dir: Path, subtypes):
    """No file: no lines and an error naming the file, not an exception."""
    (data_dir / CARD_LINES_FILE).unlink()
    lines, issues = load_card_lines(data_dir, subtypes)
    assert [line.topic for line in lines] == ["fever_rule"], "only the guidance's rule"
    assert [str(issue) for issue in issues] == [f"{CARD_LINES_FILE}:1: error: file is missing"]


def test_check_command_reports_a_miscited_card_line(data_dir: Path):
    """``python -m explorer check`` fails on a card line citing an unknown source."""
    path = data_dir / CARD_LINES_FILE
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "fever_why,9,X,nobody\n", "utf-8")
    added_line = len(text.splitlines()) + 1
    result = subprocess.run(
        [".venv/bin/python", "-m", "explorer", "check", "--data", str(data_dir)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    message = f"takeaway/card_lines.csv:{added_line}: error: line cites unknown reference 'nobody'"
    assert message in result.stdout


# --- text ------------------------------------------------------------------------------


def test_printable_keeps_scripts_the_font_has_and_marks_the_rest():
    """Greek, Cyrillic, Hebrew, Arabic and accents pass; Chinese becomes □; controls go."""
    assert printable("Ζωή Дмитрий שלום أحمد Łódź") == "Ζωή Дмитрий שלום أحمد Łódź"
    assert printable("王小明 Li") == f"{MISSING_GLYPH * 3} Li"
    assert printable("a\u202eb\x00c\nd\te") == "ab c d e"
    assert len(printable("x" * 5000)) == MAX_FIELD_CHARS
    assert printable("<b>x</b>") == "<b>x</b>"


def test_shaping_only_for_right_to_left_or_combining_text():
    """Hebrew, Arabic and combining marks need shaping; Latin, Greek, Cyrillic do not."""
    assert needs_shaping(["Dana", "דנה"])
    assert needs_shaping(["أحمد"])
    assert needs_shaping(["e\u0301\u0327"])  # no precomposed form: stays combining
    assert not needs_shaping(["Zoë Łódź Ζωή Дмитрий", "38.0 °C"])


def test_international_number():
    """E.164 becomes the international form; an invalid number gives nothing."""
    assert international_number("+18102295797") == "+1 810-229-5797"
    assert international_number("+61353334811") == "+61 3 5333 4811"
    assert international_number("+1555") == ""
    assert international_number("not a number") == ""


def test_currency_note_is_the_cards_note(catalog):
    """The summary says what the card says: checked against a source, or as listed in the
    report with its retrieval date; a record made outside the catalog names its report line."""
    for org in catalog.organizations:
        note = contact_currency_note(org, catalog.disorders)
        assert org.currency[1:] in note
        assert note.startswith("Closed.") == org.is_closed
    bare = dataclasses.replace(catalog.organizations[0], currency="")
    note = contact_currency_note(bare, catalog.disorders)
    assert f"{bare.source.file} line {bare.source.line} (retrieved 2026-11-25)" in note
    assert "retrieved" not in contact_currency_note(bare, ())


# --- the fever card ----------------------------------------------------------------------


@pytest.mark.parametrize("layout", [WALLET, FULL_PAGE])
def test_card_prints_details_fever_rule_first_steps_and_sources(content, layout):
    """Both layouts: the person's details, the cited rule and steps, the sources, the notice."""
    pdf = fever_card_pdf(DETAILS, content, layout=layout, made=MADE)
    reader = PdfReader(io.BytesIO(pdf))
    text = text_of(pdf)
    assert len(reader.pages) == 1
    for value in ("Amira", "0.3 ×10⁹/L", "Yes, 5 µg/kg daily", "+1 734 555 0100"):
        assert value in text
    flat = " ".join(text.split())
    assert "38.0 °C (100.4 °F) or more, or seems unwell" in flat
    assert "assess at once and start empirical broad-spectrum antibiotics" in flat
    assert "Not medical advice" in flat and "1 December 2026" in flat
    assert "https://doi.org/10.1093/cid/cir073" in link_targets(pdf)
    assert "Amira" not in str(reader.metadata), "the PDF's metadata must not name the person"
    assert reader.metadata.title == "Neutropenia fever card"


def test_full_page_card_lists_full_reference_titles(content):
    """The full page names each source by its full title, with what the source says."""
    flat = " ".join(text_of(fever_card_pdf(DETAILS, content, layout=FULL_PAGE, made=MADE)).split())
    assert "Neutropenic sepsis: prevention and management in people with cancer" in flat
    assert "Outpatient management of fever and neutropenia in adults" in flat
    assert "ELANE-Related Neutropenia" in flat
    assert "Accessed 2026-12-01." in flat, "each source says when it was read"


def test_empty_card_leaves_lines_to_write_on(content):
    """Nothing typed: the card still prints, with a line to fill in by hand for each field."""
    text = text_of(fever_card_pdf(CardDetails(), content, layout=WALLET, made=MADE))
    assert text.count("_" * 24) == 7
    assert "Yes" not in text


def test_hostile_input_prints_as_text_without_errors_or_log_lines(content, caplog):
    """HTML, RTL, emoji, Chinese, 5,000 characters and control codes: printed safely, and
    nothing typed is written to the log (fpdf2 logs missing glyphs by their text)."""
    with caplog.at_level(logging.DEBUG):
        wallet = fever_card_pdf(HOSTILE, content, layout=WALLET, made=MADE)
        page = fever_card_pdf(HOSTILE, content, layout=FULL_PAGE, made=MADE, paper="Letter")
    text = text_of(page)
    assert "<script>alert('x')</script>" in text
    assert "**bold** [link](javascript:alert(1))" in text
    assert MISSING_GLYPH * 3 in text and "王" not in text
    joined = "".join(text.split())
    assert "x" * MAX_FIELD_CHARS in joined and "x" * (MAX_FIELD_CHARS + 1) not in joined
    assert "\x1b" not in text and "\u202e" not in text
    assert "javascript:alert(1)" not in " ".join(link_targets(page) + link_targets(wallet))
    assert "…" in text_of(wallet), "long entries are cut to fit the wallet card"
    box = PdfReader(io.BytesIO(page)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    for value in ("script", "דנה", "أحمد", "王", "xxxx"):
        assert not any(value in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_every_hostile_value_in_every_field_makes_a_card(content, value):
    """The project's shared hostile values, in all seven fields at once: a one-page card
    with the fever rule, the value printed as plain text, and no link but the sources'."""
    fields = {f.name: value for f in dataclasses.fields(CardDetails) if f.name != "takes_gcsf"}
    pdf = fever_card_pdf(CardDetails(**fields), content, layout=FULL_PAGE, made=MADE)
    text = text_of(pdf)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "38.0 °C" in text
    shown = printable(value)
    if shown:
        assert shown[:40] in "".join(text.split()) or shown[:40] in text
    assert all(target.startswith("https://") for target in link_targets(pdf))


def test_unknown_layout_is_refused(content):
    """A layout other than wallet or page is a caller's bug: ValueError."""
    with pytest.raises(ValueError, match="unknown layout"):
        fever_card_pdf(DETAILS, content, layout="poster", made=MADE)


def test_cards_render_to_png_with_the_red_band_and_fold_line(content):
    """pdftoppm draws both layouts (PNGs kept in tests/artifacts): the red band is there;
    the wallet card's dashed fold line runs down the middle of its outline."""
    wallet = render(fever_card_pdf(DETAILS, content, layout=WALLET, made=MADE), "card-wallet", 100)
    page = render(fever_card_pdf(DETAILS, content, layout=FULL_PAGE, made=MADE), "card-page")
    assert len(wallet) == 1 and len(page) == 1
    assert red_pixels(wallet[0]) > 1000 and red_pixels(page[0]) > 5000
    image = wallet[0]
    fold_x = round(image.width / 2)  # the card pair is centred: the fold is mid-page
    column = [image.getpixel((fold_x + dx, y)) for dx in (-1, 0, 1) for y in range(image.height)]
    dark = sum(1 for pixel in column if max(pixel) < 200)
    assert dark > CARD_WIDTH / 25.4 * 100 * 0.3, "a dashed line of ink down the fold"


# --- the visit summary -------------------------------------------------------------------


def test_summary_cyclic_vs_congenital_near_48116(subtypes, catalog):
    """The compared forms with markers, the nearest organizations with international
    numbers and a currency note, the words used, the references and the date. Three pages
    since the reviewed table (2026-12-01) added rows and sources: the references run over."""
    pdf = summary_near(subtypes, catalog, ["cyclic", "congenital"], "48116")
    reader = PdfReader(io.BytesIO(pdf))
    flat = " ".join(text_of(pdf).split())
    assert len(reader.pages) == 3
    assert "Forms compared: Cyclic, Congenital" in flat
    assert "near 48116 Brighton, Michigan, US" in flat
    assert flat.index("National Neutropenia Network") < flat.index("MUMS National")
    assert "+1 810-229-5797" in flat and "(810) 229-5797" not in flat
    assert "Phone (toll-free): +1 877-336-5333" in flat
    assert "(retrieved 2026-11-25); not verified since." in flat
    assert "Contact details may be out of date" in flat
    assert "ELANE-Related Neutropenia" in flat and "Words used" in flat
    assert "ANC: Absolute neutrophil count" in flat
    assert "38.0 °C (100.4 °F)" in flat and "Made 1 December 2026" in flat
    assert "Idiopathic" not in flat.split("Support organizations")[0]
    assert "https://www.ncbi.nlm.nih.gov/books/NBK1533/" in link_targets(pdf)
    images = render(pdf, "visit-summary")
    assert len(images) == 3 and red_pixels(images[0]) > 500


def test_summary_only_differences_keeps_fewer_rows(subtypes, catalog):
    """With the switch on, rows where the forms agree are left out, and the title says so."""
    every = text_of(summary_near(subtypes, catalog, ["idiopathic", "autoimmune"], ""))
    differ = text_of(
        summary_near(subtypes, catalog, ["idiopathic", "autoimmune"], "", only_differences=True)
    )
    assert "(only rows that differ)" in differ and "(only rows that differ)" not in every
    assert "ICD-10-CM code" in every and "ICD-10-CM code" not in differ


def test_summary_without_a_place_lists_organizations_without_distances(subtypes, catalog):
    """No searched place: organizations in directory order, no 'near', no distance."""
    flat = " ".join(text_of(summary_near(subtypes, catalog, ["cyclic", "congenital"], "")).split())
    assert "Support organizations Organization" in flat
    assert " km " not in flat


def test_long_tables_break_across_pages_with_their_heading_repeated(subtypes, catalog):
    """Forty organizations: the table runs over several pages, each starting with its
    heading row, and no organization's row is split between two pages."""
    lines, _ = load_card_lines(BUNDLED_DATA, subtypes)
    place = resolve_place("48116")
    base = visit_summary_for(
        subtypes,
        lines,
        forms=["congenital", "cyclic", "idiopathic", "autoimmune"],
        place_label=place.label,
        listed=search(directory_frame(catalog.organizations), Filters(), place).shown,
        by_id={org.id: org for org in catalog.organizations},
        disorders=catalog.disorders,
        made=MADE,
    )
    many = tuple(
        dataclasses.replace(org, name=f"Org {n:02d} {org.name}")
        for n, org in enumerate(base.organizations * 8)
    )
    pdf = visit_summary_pdf(dataclasses.replace(base, organizations=many))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    with_orgs = [text for text in pages if "Org " in text]
    assert len(with_orgs) >= 2
    for text in with_orgs:
        assert "How to reach" in text
    for n in range(len(many)):
        assert sum(f"Org {n:02d} " in text for text in pages) == 1


# --- the command line ----------------------------------------------------------------------


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [".venv/bin/python", "-m", "explorer", *args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_cli_summary_writes_the_same_document(tmp_path: Path):
    """``summary --form cyclic --form congenital --near 48116`` writes the visit summary."""
    out = tmp_path / "summary.pdf"
    result = run_cli(
        "summary", "--form", "cyclic", "--form", "congenital", "--near", "48116", "--out", str(out)
    )
    assert result.returncode == 0, result.stderr
    flat = " ".join(text_of(out.read_bytes()).split())
    assert "Forms compared: Cyclic, Congenital" in flat and "+1 810-229-5797" in flat


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--form", "cyclic", "--form", "nope"], "give two to four different --form values"),
        (["--form", "cyclic"], "give two to four different --form values"),
        (["--form", "cyclic", "--form", "congenital", "--near", "Detriot"], "Did you mean"),
        (["--form", "cyclic", "--form", "congenital", "--limit", "-1"], "--limit must be 0"),
    ],
)
def test_cli_summary_refuses_bad_forms_and_unknown_places(tmp_path: Path, args, message):
    """Exit 2 with a message, and no file written."""
    out = tmp_path / "x.pdf"
    result = run_cli("summary", *args, "--out", str(out))
    assert result.returncode == 2
    assert message in result.stderr
    assert not out.exists()


def test_card_command_writes_the_pages_pdf_and_nothing_else(tmp_path: Path, subtypes, content):
    """``card --layout page`` with every personal flag: byte for byte the PDF the page makes
    from the same details, and the output file is the only file written."""
    out = tmp_path / "card.pdf"
    flags = {
        "--name": DETAILS.first_name,
        "--form": DETAILS.form,
        "--usual-anc": DETAILS.usual_anc,
        "--gcsf-dose": DETAILS.gcsf_dose,
        "--care-team": DETAILS.care_team,
        "--care-team-phone": DETAILS.care_team_phone,
        "--hospital": DETAILS.hospital,
    }
    argv = ["card", "--layout", "page", "--paper", "Letter", "--gcsf", "--out", str(out)]
    assert cli_main([*argv, *(part for pair in flags.items() for part in pair)]) == 0
    expected = fever_card_pdf(DETAILS, content, layout=FULL_PAGE, paper="Letter", made=date.today())
    assert out.read_bytes() == expected
    assert sorted(path.name for path in tmp_path.iterdir()) == ["card.pdf"]


def test_card_command_refuses_an_unknown_layout(tmp_path: Path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli_main(["card", "--layout", "poster", "--out", str(tmp_path / "x.pdf")])
    assert exit_info.value.code == 2
    assert "invalid choice: 'poster'" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


def test_wallet_back_shrinks_until_its_text_fits_above_the_notice(content):
    """The back holds the first steps, the lines after the rule and the sources; a scale is
    found at which they end above the not-medical-advice notice."""
    fits = [
        _wallet_card(
            Document(paper="A4", title="t", made=MADE, footer=""), DETAILS, content, MADE, s
        )
        for s in WALLET_BACK_SCALES
    ]
    assert any(fits)
    assert fits == sorted(fits), "a smaller scale never fits worse"
