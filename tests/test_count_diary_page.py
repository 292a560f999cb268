"""AppTests of the Count diary page: upload, unit and date-order choices, the estimate with
the fever rule beside it, messages for files that cannot be used, and links to the page."""

from __future__ import annotations

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from components.diary_views import CSV_KEY, ORDER_KEY, PDF_KEY, UNIT_KEY, UPLOAD_KEY
from components.subtype_views import FORMS_KEY
from tests.apptest_helpers import run_app, safety_notices
from tests.counts_helpers import cyclic_counts

PAGE = "pages/count_diary.py"


def cyclic_file(*, day_first: bool = True) -> bytes:
    counts, _ = cyclic_counts(21, 8, np.random.default_rng(21))
    pattern = "%d/%m/%Y" if day_first else "%m/%d/%Y"
    rows = "".join(f"{c.day:{pattern}},{round(c.anc * 1000)}\n" for c in counts)
    return ("Date,ANC (cells/uL)\n" + rows).encode()


def upload(at: AppTest, content: bytes, name: str = "counts.csv") -> AppTest:
    at.file_uploader(key=UPLOAD_KEY).set_value((name, content, "text/csv"))
    return at.run()


def unescaped(markdown: str) -> str:
    """Text as read on the page: data goes through Markdown escaping (``38\\.0``)."""
    return markdown.replace("\\", "")


def texts(at: AppTest) -> str:
    return unescaped(
        " ".join(
            element.value
            for kind in ("markdown", "caption", "error", "warning", "info")
            for element in at.get(kind)
        )
    )


def test_empty_diary_offers_the_table_and_upload_and_says_it_stays_private():
    """No counts yet: the editor, the uploader, both downloads (the PDF disabled), the
    fever rule and notice, the privacy line; no chart and no estimate."""
    at = run_app(PAGE)
    assert not at.exception
    assert len(at.data_editor) == 1
    assert at.file_uploader(key=UPLOAD_KEY)
    buttons = {button.key: button for button in at.get("download_button")}
    assert set(buttons) == {CSV_KEY, PDF_KEY}
    assert buttons[PDF_KEY].disabled
    assert all(safety_notices(at))
    assert "nothing is saved, logged or put in the page's link" in texts(at)
    assert not at.get("vega_lite_chart")
    assert "Is there a cycle?" not in [s.value for s in at.subheader]


def test_an_uploaded_cyclic_diary_shows_chart_estimate_and_fever_rule_beside_it():
    at = upload(run_app(PAGE), cyclic_file())
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 1
    said = texts(at)
    assert "rise and fall about every 21 days" in said
    assert "Counts are read in **cells/µL** because the column header says cells/µL" in said
    assert "can only be read that way" in said
    assert "not a diagnosis and not medical advice" in said
    assert "at least three times a week for six weeks" in said
    fever = [unescaped(e.value) for e in at.error]
    assert any("38.0 °C" in value for value in fever)
    assert not [w.value for w in at.main.warning if "not used" in w.value]


def test_changing_the_unit_lists_the_counts_that_become_impossible():
    """Read as ×10⁹/L on request, counts like 1,500 are listed as impossible, not dropped."""
    at = upload(run_app(PAGE), cyclic_file())
    at.selectbox(key=UNIT_KEY).set_value("e9_per_l").run()
    assert not at.exception
    assert "as you chose" in texts(at)
    warning = next(w.value for w in at.main.warning if "not used" in w.value)
    assert "row(s) are not used" in warning
    listed = at.dataframe[-1].value
    assert listed["Why it is not used"].str.contains("is the unit right").any()


def test_an_ambiguous_file_asks_for_the_date_order_and_guesses_nothing():
    content = b"date,anc\n03/04/2026,0.4\n05/06/2026,1.2\n07/08/2026,0.3\n"
    at = upload(run_app(PAGE), content)
    assert not at.exception
    warning = next(w.value for w in at.main.warning if "day first or month first" in w.value)
    assert "03/04/2026" in warning
    assert at.radio(key=ORDER_KEY).value is None
    assert not at.get("vega_lite_chart")
    at.radio(key=ORDER_KEY).set_value("dmy").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 1
    assert "3 counts over 126 days" in texts(at)  # 3 April to 7 August


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200), "This is not a text CSV file"),
        (b"date,anc\n" + b"2026-03-02,0.4\n" * 700_000, "The file is 10.5 MB"),
    ],
    ids=["empty", "binary", "10-MB"],
)
def test_a_file_that_cannot_be_used_gets_a_clear_message(content: bytes, message: str):
    at = upload(run_app(PAGE), content)
    assert not at.exception
    assert any(message in unescaped(e.value) for e in at.error)
    assert len(at.data_editor) == 1, "the table stays, so typed counts are not lost"


def diary_links(at: AppTest) -> list[str]:
    """Labels of the links to the diary in the page itself (not the sidebar's navigation)."""
    return [
        link.proto.label for link in at.main.get("page_link") if "Count diary" in link.proto.label
    ]


def test_the_subtypes_cyclic_column_and_take_it_with_you_link_to_the_diary():
    """Subtypes links to the diary while the cyclic form is compared; Take it with you does."""
    at = run_app("pages/subtypes.py")
    assert diary_links(at) == ["Look for a cycle in your own counts: the Count diary"]
    at.multiselect(key=FORMS_KEY).set_value(["congenital", "idiopathic"]).run()
    assert not diary_links(at)
    at = run_app("pages/take_away.py")
    assert len(diary_links(at)) == 1


def test_hostile_text_in_a_file_stays_inert_and_is_listed():
    """Markup and a formula in a file are listed as unreadable rows, shown as plain text."""
    content = b'date,anc\n<img src=x onerror=alert(1)>,0.4\n2026-03-02,=HYPERLINK("x")\n'
    at = upload(run_app(PAGE), content)
    assert not at.exception
    listed = at.dataframe[-1].value
    assert list(listed["Date"]) == ["<img src=x onerror=alert(1)>", "2026-03-02"]
    assert list(listed["Count"]) == ["0.4", '=HYPERLINK("x")']
    assert not [m.value for m in at.markdown if "<img" in m.value or "HYPERLINK" in m.value]
