"""Running the whole app (router + sidebar + one page) under Streamlit's AppTest."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

TIMEOUT_S = 60
FEVER_ICON = ":material/thermometer:"
"""The safety notice's icon: how tests tell it from the page's other warnings."""


def run_app(page: str | None = None, **params: str | list[str]) -> AppTest:
    """Start ``app.py`` with query params, run it, then switch to ``page`` if given.

    The data directory is whatever ``EXPLORER_DATA_DIR`` says (tests set it with
    ``monkeypatch.setenv``), else the bundled ``data/``.
    """
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def org_points(at: AppTest) -> list[dict]:
    """Every organization point the map sends to the browser (all organization layers)."""
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return [
        point
        for layer in spec["layers"]
        if layer["id"].startswith("organizations")
        for point in layer["data"]
    ]


def safety_notices(at: AppTest) -> tuple[str, str]:
    """The fever notice (a warning) and the not-medical-advice line (a caption) of a page.

    Either is "" when the page does not show it, so a test can assert both are there.
    """
    fever = next((w.value for w in at.warning if w.icon == FEVER_ICON), "")
    advice = next((c.value for c in at.caption if "not medical advice" in c.value), "")
    return fever, advice


def page_warnings(at: AppTest) -> list[str]:
    """The page's own warnings in the main area (the safety notice left out)."""
    return [w.value for w in at.main.warning if w.icon != FEVER_ICON]
