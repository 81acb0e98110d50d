"""Medians and percentiles: which rank each figure takes, and how SQL finds the value there.

One definition of the ranks serves procedo and the stored views. The median is the middle
value, or the mean of the two middle values for an even count (ranks ``(n + 1) / 2`` and
``(n + 2) / 2``, 1-based, integer division); the 90th percentile is nearest-rank, the value at
rank ceil(0.9 n) = ``(9 n + 9) / 10``.

procedo binds the rank as a parameter: ``ORDER BY x LIMIT 1 OFFSET k`` walks a covering index
in order (:func:`offset_of`). A view cannot do that (SQLite does not let ``LIMIT`` refer to the
row of the group), so :func:`kth_smallest` finds the value at rank k by search on the value:
each step counts the rows of one part of the remaining range (an index range count, never a
sort), moving one end of the range to a value that exists, until both ends meet. The first
step splits by interpolation (where the rank would fall if values were spread evenly), the
next alternately by interpolation and by halving, so that skewed data still converges, and
each step counts the smaller side. About 10 to 30 steps, walking about half the rows in all.
"""

from __future__ import annotations


def median_ranks(n: str) -> tuple[str, str]:
    """The two (1-based) ranks whose mean is the median of ``n`` values (the same when odd)."""
    return f"(({n}) + 1) / 2", f"(({n}) + 2) / 2"


def p90_rank(n: str) -> str:
    """The nearest-rank 90th percentile's rank: ceil(0.9 n)."""
    return f"(9 * ({n}) + 9) / 10"


def median_offsets(n: int) -> tuple[int, int]:
    """The ``LIMIT`` and ``OFFSET`` of the middle value(s) of ``n`` ordered values: the ranks
    of :func:`median_ranks`, computed in Python."""
    low, high = (n + 1) // 2, (n + 2) // 2
    return high - low + 1, low - 1


def p90_offset(n: int) -> int:
    """The ``OFFSET`` of :func:`p90_rank` in ``n`` ordered values."""
    return (9 * n + 9) // 10 - 1


def kth_smallest(
    column: str, source: str, k: str, n: str | None = None, *, and_next: str | None = None
) -> str:
    """An SQL expression: the ``k``-th smallest (1-based) ``column`` of ``source``.

    ``source`` is ``FROM ... WHERE ...`` (it may refer to the outer query's row); ``k`` is an
    SQL expression evaluated once, and ``n`` the number of rows of ``source`` if known (else it
    is counted); NULL when there are fewer than k rows. With ``and_next`` (an SQL condition),
    the mean of the values at ranks k and k + 1 where it holds (a REAL either way). ``column``
    should be the next column of an index after the equality terms of ``source``, so that each
    count and each step is a range of that index.
    """
    of = f"{source} AND {column}"
    first = f"(SELECT {column} {source} ORDER BY {column} LIMIT 1)"
    last = f"(SELECT {column} {source} ORDER BY {column} DESC LIMIT 1)"
    # A row of s is the range [lo, hi] (values that exist) with ``below`` rows under lo and
    # ``n`` rows in it; a row with ``mid`` set also knows ``left``, the rows in [lo, mid].
    interpolated = "s.lo + (s.hi - s.lo) * (s.k - s.below - 0.5) / s.n"
    split = (
        f"(CASE WHEN s.step % 2 = 0 AND {interpolated} < s.hi "
        "THEN " + interpolated + " ELSE (s.lo + s.hi) / 2.0 END)"
    )
    left = (
        f"CASE WHEN s.k - s.below <= s.n / 2 THEN (SELECT COUNT(*) {of} BETWEEN s.lo AND {split}) "
        f"ELSE s.n - (SELECT COUNT(*) {of} > {split} AND {column} <= s.hi) END"
    )
    goes_left = "s.below + s.left >= s.k"
    value = "lo"  # at the end, below rows are under lo and n rows equal it
    if and_next is not None:
        following = f"(SELECT {column} {of} > s.lo ORDER BY {column} LIMIT 1)"
        value = (
            f"CASE WHEN {and_next} THEN (lo + CASE WHEN s.k < s.below + s.n THEN lo "
            f"ELSE {following} END) / 2.0 ELSE 1.0 * lo END"
        )
    return f"""(WITH RECURSIVE s(lo, hi, below, n, k, step, mid, left) AS (
        SELECT {first}, {last}, 0, {n or f"(SELECT COUNT(*) {source})"}, {k}, 0, NULL, NULL
        UNION ALL
        SELECT
            CASE WHEN s.mid IS NULL OR {goes_left} THEN s.lo
                ELSE (SELECT {column} {of} > s.mid ORDER BY {column} LIMIT 1) END,
            CASE WHEN s.mid IS NOT NULL AND {goes_left}
                THEN (SELECT {column} {of} <= s.mid ORDER BY {column} DESC LIMIT 1)
                ELSE s.hi END,
            CASE WHEN s.mid IS NULL OR {goes_left} THEN s.below ELSE s.below + s.left END,
            CASE WHEN s.mid IS NULL THEN s.n WHEN {goes_left} THEN s.left ELSE s.n - s.left END,
            s.k,
            s.step + (s.mid IS NOT NULL),
            CASE WHEN s.mid IS NULL THEN {split} END,
            CASE WHEN s.mid IS NULL THEN {left} END
        FROM s WHERE s.lo < s.hi
    )
    SELECT {value} FROM s WHERE lo = hi AND s.k BETWEEN s.below + 1 AND s.below + s.n LIMIT 1)"""


def median_of(column: str, source: str, n: str) -> str:
    """An SQL expression: the median of ``column`` over the ``n`` rows of ``source`` (REAL)."""
    low, _ = median_ranks(n)  # the next rank too when n is even
    return kth_smallest(column, source, low, n, and_next=f"({n}) % 2 = 0")


def p90_of(column: str, source: str, n: str) -> str:
    """An SQL expression: the nearest-rank 90th percentile of ``column`` over ``source``."""
    return kth_smallest(column, source, p90_rank(n), n)
