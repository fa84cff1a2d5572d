"""Map a pure function over many items on every core: 10,000 files are CPU-bound work."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items a pool costs more than it saves.
MIN_ITEMS = 400


def pmap(func: Callable[[T], R], items: Sequence[T]) -> list[R]:
    workers = min(os.cpu_count() or 1, 8)
    if len(items) < MIN_ITEMS or workers < 2 or os.environ.get("QUIZSITE_NO_PARALLEL"):
        return [func(item) for item in items]
    # fork: the children inherit the imported modules, so start-up is a few milliseconds.
    context = multiprocessing.get_context("fork")
    chunk = max(50, len(items) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        return list(pool.map(func, items, chunksize=chunk))
