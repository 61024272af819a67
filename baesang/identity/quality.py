"""Quality of a matching run against known truth: precision, recall and F1.

A dedupe run is scored after transitive closure of its pairs (records joined through
any chain of pairs are one person), as a payment run would treat them.
This module imports nothing from Django.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Scores", "closure_pairs", "score"]


@dataclass(frozen=True)
class Scores:
    true_positives: int
    false_positives: int
    false_negatives: int

    @property
    def precision(self) -> float:
        found = self.true_positives + self.false_positives
        return self.true_positives / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positives + self.false_negatives
        return self.true_positives / wanted if wanted else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def closure_pairs(pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """All ordered pairs of records joined by a chain of ``pairs`` (union–find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb
    groups: dict[str, list[str]] = {}
    for x in list(parent):
        groups.setdefault(find(x), []).append(x)
    closed: set[tuple[str, str]] = set()
    for members in groups.values():
        members.sort()
        closed.update((a, b) for i, a in enumerate(members) for b in members[i + 1:])
    return closed


def score(found: Iterable[tuple[str, str]], truth: set[tuple[str, str]]) -> Scores:
    """Compare found pairs with the true pairs (both as (left, right) tuples)."""
    found_set = set(found)
    tp = len(found_set & truth)
    return Scores(tp, len(found_set) - tp, len(truth) - tp)
