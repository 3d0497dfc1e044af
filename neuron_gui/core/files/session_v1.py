"""Format 1 sessions, which saved the history itself (thinned to at most MAX_SAVED_BUCKETS buckets).

Such a history is accepted only in a shape the app could have written: a width that is the smallest
power of two fitting the records into MAX_SAVED_BUCKETS buckets (so replaying one bucket re-simulates
at most ``width`` iterations: at most 2,048 for the longest run), a count that ends at the session's
iteration, a learning-rate schedule in order, every bucket's minimum <= first <= maximum, no negative
error, and a last record equal to the session's weights.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..examples import Examples
from ..history import History, HistoryState
from ..kernel import forward_error
from ..lesson import MAX_ITERATIONS
from .fields import FieldReader

MAX_SAVED_BUCKETS = 65_536


def saved_width(count: int, max_buckets: int = MAX_SAVED_BUCKETS) -> int:
    """The width format 1 saved ``count`` records with: the smallest power of two that fits them."""
    width = 1
    while -(-count // width) > max_buckets:
        width *= 2
    return width


class HistoryReader(FieldReader):
    def history(self, obj: dict, examples: Examples, weights: np.ndarray, iteration: int) -> History:
        p = "history."
        width = self.whole(self.get(obj, "width", p), p + "width", 1, MAX_ITERATIONS)
        origin = self.whole(self.get(obj, "first_iteration", p), p + "first_iteration", 0, iteration)
        count = self.whole(self.get(obj, "count", p), p + "count", 1, MAX_ITERATIONS + 1)
        if origin + count - 1 != iteration:
            raise self.fail(p + "count", f"the history ends at iteration {origin + count - 1:,}, "
                                         f"but the session is at iteration {iteration:,}")
        most = saved_width(count)
        if width & (width - 1) or width > most:
            raise self.fail(p + "width", f"{width:,} iterations a record cannot come from a run of {count:,} "
                                         f"records (expected a power of two up to {most:,})")
        n, m = -(-count // width), len(weights)
        rates = self.learning_rates(self.get(obj, "learning_rates", p, list), p + "learning_rates", origin,
                                    iteration) if count > 1 or obj.get("learning_rates") else ()
        if width == 1:
            w = self.array(self.get(obj, "weights", p), p + "weights", (n, m))
            e = self.array(self.get(obj, "errors", p), p + "errors", (n,))
            parts = (w, w, w, e, e, e)
        else:
            w_obj, e_obj = self.get(obj, "weights", p, dict), self.get(obj, "errors", p, dict)
            parts = tuple(
                self.array(self.get(o, k, f"{p}{name}."), f"{p}{name}.{k}", shape)
                for o, name, shape in ((w_obj, "weights", (n, m)), (e_obj, "errors", (n,)))
                for k in ("first", "min", "max")
            )
        self._check_buckets(parts)
        if (count - 1) % width == 0 and not np.array_equal(parts[0][-1], weights):
            raise self.fail(p + "weights", "its last record differs from the session's weights")
        error = forward_error(examples.X, examples.y, weights)  # what the kernel recorded for it
        return History.from_state(HistoryState(width, origin, count, *parts, weights, error, rates))

    def _check_buckets(self, parts: tuple[Any, ...]) -> None:
        w_first, w_min, w_max, e_first, e_min, e_max = parts
        p = "history."
        if (e_min < 0).any():
            raise self.fail(p + "errors", f"a negative error ({float(e_min.min())!r}): errors are squares")
        for name, first, lo, hi in (("weights", w_first, w_min, w_max), ("errors", e_first, e_min, e_max)):
            bad = np.flatnonzero(((lo > first) | (first > hi)).reshape(len(first), -1).any(axis=1))
            if len(bad):
                raise self.fail(f"{p}{name}", f"bucket {int(bad[0])} has its minimum above its first value "
                                               "or its first value above its maximum")
