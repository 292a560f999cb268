"""Pausing the cyclic garbage collector while a large, long-lived structure is built.

Shared by the gazetteer's build, the catalog's cold build and the disk cache's reads, so
none of them imports another only for this.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


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
