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
