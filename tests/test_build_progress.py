"""The cold build's progress box: shown while a cached loader builds, never replayed."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from components.data import BUILD_TITLE, stage_text


def _progress_script() -> None:
    import streamlit as st

    from components.data import BuildProgress

    @st.cache_resource
    def build(_progress):
        _progress("Reading reports", 1, 2)
        _progress("Placing organizations", 5_000, 10_000)
        return "built"

    if st.query_params.get("keep_box"):
        st.write(build(BuildProgress()))
    else:
        with BuildProgress() as progress:
            st.write(build(progress))


def _top_level(app: AppTest) -> list[str]:
    return [element.type for element in app.main.children.values()]


def test_progress_box_names_each_stage_and_is_not_replayed():
    """A build draws one bar per stage, each naming its stage and counts; a cache hit
    draws none (Streamlit did not record the box for replay)."""
    app = AppTest.from_function(_progress_script)
    app.query_params["keep_box"] = "1"
    app.run()
    assert not app.exception
    assert _top_level(app) == ["flex_container", "markdown"]
    assert app.markdown[0].value == f"**{BUILD_TITLE}**"
    bars = [bar.proto.text for bar in app.get("progress")]
    assert bars == ["Reading reports: 1 of 2", "Placing organizations: 5,000 of 10,000"]
    app.run()
    assert not app.exception
    assert _top_level(app) == ["markdown"]
    assert not app.get("progress")


def test_progress_box_is_removed_when_loading_ends():
    """Once the data are loaded the box goes; the page's own content stays."""
    app = AppTest.from_function(_progress_script)
    app.run()
    assert not app.exception
    assert _top_level(app) == ["markdown"]
    assert not app.get("progress")
    assert app.markdown[0].value == "built"


def test_stage_text_counts_or_says_done():
    """Counted stages say how far they are; one-step stages say under way, then done."""
    assert stage_text("Placing organizations", 5_000, 100_000) == (
        "Placing organizations: 5,000 of 100,000"
    )
    assert stage_text("Loading place names", 0, 1) == "Loading place names: under way…"
    assert stage_text("Loading place names", 1, 1) == "Loading place names: done"
