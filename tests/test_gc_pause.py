"""The collector paused during a build, and what it finds when it resumes."""

from __future__ import annotations

import gc

from explorer.gc_pause import gc_paused

BUILT = 50_000


def test_what_was_built_while_paused_goes_to_the_oldest_generation():
    """Objects made while the collector was paused are moved to the oldest generation when
    it resumes, so no young collection scans them all (0.8 s after a 100,000-organization
    build); nothing stays frozen, and they are still collectable."""
    gc.unfreeze()  # as in a process of the core alone (the app freezes its loaded data)
    gc.collect()
    with gc_paused():
        built = [[number] for number in range(BUILT)]
        assert gc.get_count()[0] >= BUILT
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in built[:: BUILT // 100])
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()
    cycle = built[0]
    cycle.append(cycle)
    del built, cycle
    assert gc.collect() >= 1  # the oldest generation is still collected


def test_frozen_data_stay_frozen_when_the_collector_resumes():
    """In the app, whose loaded data are frozen, resuming leaves them frozen (its loader
    then freezes what was built)."""
    gc.unfreeze()
    kept = [[number] for number in range(1_000)]
    gc.freeze()
    frozen = gc.get_freeze_count()
    try:
        with gc_paused():
            built = [[number] for number in range(BUILT)]
        assert gc.get_freeze_count() == frozen
        assert len(built) == BUILT and len(kept) == 1_000
    finally:
        gc.unfreeze()
