"""The preview's garbage collection: after a build when idle, never during one."""

from __future__ import annotations

import threading
import time

from mkdocs_winwin.incremental.preview import IdleCollector


def _wait_for(condition, seconds: float = 10.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def test_collects_once_idle_after_a_build():
    collector = IdleCollector(delay=0.01)
    with collector.building():
        pass
    assert collector.pending == 1
    assert _wait_for(lambda: collector.collections == 1)
    assert collector.pending == 0


def test_a_build_started_meanwhile_postpones_the_collection():
    collector = IdleCollector(delay=3600, most=4)
    for _ in range(3):
        with collector.building():
            pass
    assert (collector.collections, collector.pending) == (0, 3)


def test_builds_without_an_idle_moment_collect_before_the_next():
    collector = IdleCollector(delay=3600, most=2)
    for _ in range(2):
        with collector.building():
            pass
    with collector.building():
        assert (collector.collections, collector.pending) == (1, 0)
    assert collector.pending == 1


def test_never_collects_while_a_build_runs():
    collector = IdleCollector(delay=0.01)
    with collector.building():
        pass
    inside = threading.Event()
    release = threading.Event()

    def long_build():
        with collector.building():
            inside.set()
            release.wait(10)

    # The timer of the first build fires while the second one runs: it must skip.
    collector._timer.cancel()
    builder = threading.Thread(target=long_build)
    builder.start()
    assert inside.wait(10)
    collector._when_idle()
    assert collector.collections == 0
    release.set()
    builder.join(10)
    assert _wait_for(lambda: collector.collections == 1)


def test_a_failed_build_counts_as_garbage_too():
    collector = IdleCollector(delay=3600)
    try:
        with collector.building():
            raise RuntimeError("content error")
    except RuntimeError:
        pass
    assert collector.pending == 1
