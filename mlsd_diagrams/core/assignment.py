"""The best one-to-one assignment of rows to columns (the Hungarian algorithm, Kuhn-Munkres).

Diagrams have tens of components, so an exact O(n^3) solver in plain Python
takes well under a millisecond; SciPy's ``linear_sum_assignment`` would add
about 150 ms of import time and a large dependency for the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence


def best_assignment(score: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Pairs (row, column), each row and column at most once, with the largest total score.

    Every row is paired when there are at least as many columns, and every column otherwise; callers drop
    the pairs whose score is too low to mean anything. Ties go to the lower index, so the result is
    deterministic.
    """
    rows = len(score)
    cols = len(score[0]) if rows else 0
    if not rows or not cols:
        return []
    n = max(rows, cols)
    top = max(max(r) for r in score)
    # minimise cost on a square matrix padded with zeros-of-score
    cost = [[top - (score[i][j] if i < rows and j < cols else 0.0) for j in range(n)] for i in range(n)]
    u, v = [0.0] * (n + 1), [0.0] * (n + 1)
    match = [0] * (n + 1)  # match[column] = row, 1-based; 0 = free
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        least = [float("inf")] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0, delta, j1 = match[j0], float("inf"), 0
            for j in range(1, n + 1):
                if not used[j]:
                    reduced = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if reduced < least[j]:
                        least[j], way[j] = reduced, j0
                    if least[j] < delta:
                        delta, j1 = least[j], j
            for j in range(n + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    pairs = [(match[j] - 1, j - 1) for j in range(1, n + 1) if match[j] and match[j] - 1 < rows and j - 1 < cols]
    return sorted(pairs)
