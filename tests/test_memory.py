"""observatoire.ui.memory.settle: one collection after the caches grew, then what is alive is frozen (skipped by
later automatic collections); cycles that die after being frozen are collected by the next full settle (at most
every FULL_EVERY_S), not by the settles in between, which walk only what is new."""

import gc
import weakref

from observatoire.ui import memory


class Node:
    pass


def test_settle_collects_then_freezes_and_frees_frozen_cycles_at_the_next_full_settle(monkeypatch):
    monkeypatch.setattr(memory, "FULL_EVERY_S", 3600.0)
    monkeypatch.setattr(memory, "_last_full", memory.time.monotonic())
    gc.unfreeze()
    try:
        dead = Node()
        dead.me = dead
        ref_dead = weakref.ref(dead)
        del dead
        alive = Node()
        alive.me = alive
        ref_alive = weakref.ref(alive)
        memory.grew()
        memory.settle()
        assert ref_dead() is None  # garbage cycles are collected before freezing
        frozen = gc.get_freeze_count()
        assert frozen > 0
        memory.settle()  # nothing new was cached: no collection, nothing more frozen
        assert gc.get_freeze_count() == frozen
        del alive
        gc.collect()
        assert ref_alive() is not None  # frozen: automatic and explicit collections skip it
        memory.grew()
        memory.settle()
        assert ref_alive() is not None  # a settle within FULL_EVERY_S of the last full one leaves frozen objects alone
        assert gc.get_freeze_count() >= frozen
        monkeypatch.setattr(memory, "_last_full", memory.time.monotonic() - 3600.0)
        memory.grew()
        memory.settle()
        assert ref_alive() is None  # a full settle unfreezes first, so the frozen cycle is freed
    finally:
        gc.unfreeze()


def test_a_slow_collection_that_found_little_garbage_makes_the_next_settle_freeze(monkeypatch):
    """Under load, live objects nobody caches (pandas' weak references to shared blocks) pile up unfrozen and every
    collection walks them: a slow collection that freed little is what settle then freezes, without a cache miss."""
    monkeypatch.setattr(memory, "_last_full", memory.time.monotonic())
    monkeypatch.setattr(memory, "_grew", False)
    monkeypatch.setattr(memory, "_slow", False)
    monkeypatch.setattr(memory, "SLOW_COLLECTION_S", 1e9)
    gc.unfreeze()
    registered = memory._time_collection in gc.callbacks  # by observatoire.ui.frame, if a test imported it
    memory.watch_collections()
    memory.watch_collections()
    try:
        assert gc.callbacks.count(memory._time_collection) == 1
        memory.settle()
        gc.collect()
        before = gc.get_freeze_count()
        keep = [Node() for _ in range(100)]
        memory.settle()  # nothing grew, nothing slow: nothing frozen
        assert gc.get_freeze_count() == before
        monkeypatch.setattr(memory, "SLOW_COLLECTION_S", 0.0)
        monkeypatch.setattr(memory, "FEW_COLLECTED", 50)
        for _ in range(200):  # a collection that frees much garbage is a large run's, not a pile of live objects
            n = Node()
            n.me = n
        del n
        gc.collect()
        assert not memory._slow
        gc.collect()  # nothing to free: slow (any time counts here) with little garbage
        assert memory._slow
        memory.settle()
        assert gc.get_freeze_count() >= before + len(keep)
        assert not memory._slow
    finally:
        if not registered:
            gc.callbacks.remove(memory._time_collection)
        gc.unfreeze()
