"""Python's cycle collector during a build: run less often.

A build keeps every page it makes until the end, so each collection walks a
heap that only grows.
"""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def fewer_collections(thresholds: tuple[int, int, int] = (20_000, 50, 50)):
    """Python's cycle collector run less often while this runs. At the default
    thresholds (700, 10, 10) collecting was 9-16% of the CPU of a 5000-post build (measured
    with it off: 36.2 s against 39.8-43.5 s), against 6% with these (38.6 s), for 1% more memory
    (297 MB against 294 MB). The thresholds are put back afterwards."""
    before = gc.get_threshold()
    gc.set_threshold(*thresholds)
    try:
        yield
    finally:
        gc.set_threshold(*before)
