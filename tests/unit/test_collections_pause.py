"""fewer_collections: the collector's thresholds raised for a block and put back after,
also when blocks nest, overlap on threads or raise."""

from __future__ import annotations

import gc
import threading

import pytest

from examsite.collections_pause import (
    BULK_THRESHOLDS,
    fewer_collections,
    with_fewer_collections,
)


def test_the_thresholds_are_raised_inside_and_restored_after():
    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == BULK_THRESHOLDS
        assert gc.isenabled()  # raised, never disabled
    assert gc.get_threshold() == before


def test_nested_blocks_restore_only_when_the_outer_one_ends():
    before = gc.get_threshold()
    with fewer_collections():
        with fewer_collections():
            pass
        assert gc.get_threshold() == BULK_THRESHOLDS
    assert gc.get_threshold() == before


def test_an_error_inside_restores_them():
    before = gc.get_threshold()
    with pytest.raises(ValueError), fewer_collections():
        raise ValueError("boom")
    assert gc.get_threshold() == before


def test_blocks_overlapping_on_threads_restore_the_original_thresholds():
    before = gc.get_threshold()
    first_in, first_may_leave = threading.Event(), threading.Event()
    seen_after_first_left: list[tuple[int, int, int]] = []

    def first() -> None:
        with fewer_collections():
            first_in.set()
            first_may_leave.wait(5)

    def second() -> None:
        first_in.wait(5)
        with fewer_collections():
            first_may_leave.set()  # the first block leaves while this one is still inside
            thread_one.join(5)
            seen_after_first_left.append(gc.get_threshold())

    thread_one, thread_two = threading.Thread(target=first), threading.Thread(target=second)
    thread_one.start()
    thread_two.start()
    thread_two.join(5)
    assert seen_after_first_left == [BULK_THRESHOLDS]
    assert gc.get_threshold() == before


def test_the_decorator_runs_the_function_inside_a_block():
    @with_fewer_collections
    def thresholds(extra: int) -> tuple[int, int, int]:
        return gc.get_threshold()[0] + extra, 0, 0

    assert thresholds(1) == (BULK_THRESHOLDS[0] + 1, 0, 0)
