"""Complementary suppression (보완 비공개) of the public claim counts: the five-claim rule made
proof against subtraction.

The five-claim rule withholds a count of fewer than five claims. Withholding that cell alone
does not hide it when the other cells of the same table and its total are published: with
14 claims of which 10 paid and the other states 0, the 4 refused claims are 14 − 10 − 0.
Statistical offices answer with *complementary* (secondary) suppression: more cells are
withheld until no withheld cell, and no group of fewer than five claims, can be worked out
from the published ones (Hundepool et al., *Statistical Disclosure Control*, Wiley 2012,
§5.2 "Primary and secondary cell suppression").

The tables are described as cells (named non-negative counts) and the additive relations
between them (``total = part + part + …``) that anyone reading the page knows. Some cells
are always published (the total over all claims), some are never published but take part in
a relation (``hidden``: e.g. claims paid in part, the difference of two published counts);
a hidden cell that is zero is taken as known to the reader (zero is the obvious guess).
:func:`suppress` returns the cells to withhold such that

1. every cell about fewer than five claims (0 < n < 5) is withheld (*primary*), unless it is
   always published;
2. no relation, and no sum or difference of relations, leaves a single withheld (or small
   hidden) cell unknown, or a group of unknown cells that add up to between one and four
   claims — unless that group is all the claims, whose total is published anyway;
3. no withheld or small hidden cell is a linear combination of published cells across all
   relations together (checked by exact Gaussian elimination over the unknown cells).

Complementary cells are chosen greedily: the smallest non-zero published count of the
relation at fault (least information lost), a zero only when no non-zero count is left.
A withheld cell is shown the same way whether primary or complementary, so the page does
not tell which ones are fewer than five. Pure Python: no Django import.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

MIN_CLAIMS = 5


class SuppressionError(ValueError):
    """A table description that cannot be suppressed (an unknown cell, a negative count)."""


@dataclass(frozen=True)
class Relation:
    """``total = sum(parts)``, known to every reader of the page."""

    total: str
    parts: tuple[str, ...]

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.total, *self.parts)

    def coefficients(self) -> dict[str, int]:
        """The relation as ``Σ coefficient × cell = 0``: the total −1, each part +1."""
        coefficients: dict[str, int] = {}
        for part in self.parts:
            coefficients[part] = coefficients.get(part, 0) + 1
        coefficients[self.total] = coefficients.get(self.total, 0) - 1
        return coefficients


def is_small(count: int, minimum: int = MIN_CLAIMS) -> bool:
    """The primary rule: a count of fewer than ``minimum`` claims, but not zero."""
    return 0 < count < minimum


def _check(values: Mapping[str, int], relations: Sequence[Relation]) -> None:
    for name, value in values.items():
        if type(value) is not int or value < 0:
            raise SuppressionError(f"cell {name}: a count must be a whole number ≥ 0 (got {value!r})")
    for relation in relations:
        missing = [c for c in relation.cells if c not in values]
        if missing:
            raise SuppressionError(f"relation {relation.total} = {' + '.join(relation.parts)}: no value for "
                                   f"{', '.join(missing)}")
        if values[relation.total] != sum(values[p] for p in relation.parts):
            raise SuppressionError(f"relation {relation.total} = {' + '.join(relation.parts)} does not hold: "
                                   f"{values[relation.total]} ≠ {sum(values[p] for p in relation.parts)}")


def derivable(relations: Sequence[Relation], unknown: Iterable[str]) -> set[str]:
    """The unknown cells whose value follows from the relations and the known cells: those
    whose unit vector lies in the row space of the relations restricted to the unknowns."""
    unknown = sorted(set(unknown))
    index = {name: i for i, name in enumerate(unknown)}
    rows = []
    for relation in relations:
        row = [Fraction(0)] * len(unknown)
        for name, coefficient in relation.coefficients().items():
            if name in index:
                row[index[name]] += coefficient
        if any(row):
            rows.append(row)
    # Reduced row echelon form; a cell is determined when a pivot row has no other unknown.
    pivot_row = 0
    pivots: list[int] = []
    for column in range(len(unknown)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][column]
        rows[pivot_row] = [value / lead for value in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivots.append(column)
        pivot_row += 1
    determined = set()
    for r, column in enumerate(pivots):
        if all(value == 0 for c, value in enumerate(rows[r]) if c != column):
            determined.add(unknown[column])
    return determined


# Signed combinations of up to this many relations are tried (3^n of them); beyond, only the
# relations one by one and the exact elimination are.
COMBINED_RELATIONS_MAX = 8


@dataclass(frozen=True)
class Combination:
    """A sum of relations with signs: ``Σ coefficient × cell = 0`` over the cells it keeps."""

    signs: tuple[int, ...]
    coefficients: dict[str, int]


def combinations(relations: Sequence[Relation]) -> list[Combination]:
    """Every relation alone and, for few relations, every sum of them with signs +1/−1/0."""
    if len(relations) > COMBINED_RELATIONS_MAX:
        sign_sets = [tuple(1 if i == j else 0 for j in range(len(relations))) for i in range(len(relations))]
    else:
        sign_sets = [signs for signs in itertools.product((-1, 0, 1), repeat=len(relations)) if any(signs)]
    found = []
    for signs in sign_sets:
        coefficients: dict[str, int] = {}
        for sign, relation in zip(signs, relations, strict=True):
            for cell, coefficient in relation.coefficients().items():
                coefficients[cell] = coefficients.get(cell, 0) + sign * coefficient
        found.append(Combination(signs, {c: k for c, k in coefficients.items() if k}))
    return found


def _fault(combination: Combination, values: Mapping[str, int], unknown: set[str], sensitive: set[str],
           grand_totals: set[int], minimum: int) -> str | None:
    """What the combination lets a reader work out, or None: a protected cell alone, or a
    group of unknown cells (all with the same sign) of fewer than ``minimum`` claims."""
    unknown_here = {c: k for c, k in combination.coefficients.items() if c in unknown}
    if not unknown_here or not set(unknown_here) & sensitive:
        return None
    if len(unknown_here) == 1:
        (cell,) = unknown_here
        return f"{cell} = {values[cell]}"
    signs = set(unknown_here.values())
    if signs in ({1}, {-1}):
        group = sum(values[c] for c in unknown_here)
        if is_small(group, minimum) and group not in grand_totals:
            return f"{' + '.join(sorted(unknown_here))} = {group} claims"
    return None


def _unknown_hidden(values: Mapping[str, int], hidden: Iterable[str]) -> set[str]:
    """Hidden cells a reader cannot know. A hidden zero is taken as known: zero is the first
    guess anyone makes (no claim paid in part), so it must not be what protects a cell."""
    return {c for c in hidden if values[c] != 0}


def suppress(
    values: Mapping[str, int], relations: Sequence[Relation], *, always: Iterable[str] = (),
    hidden: Iterable[str] = (), minimum: int = MIN_CLAIMS,
) -> frozenset[str]:
    """The published cells to withhold (primary and complementary); see the module docstring."""
    _check(values, relations)
    always, hidden = frozenset(always), frozenset(hidden)
    withheld = {c for c, v in values.items() if is_small(v, minimum) and c not in always and c not in hidden}
    combined = combinations(relations)
    grand_totals = {values[c] for c in always}

    def candidates(cells: Iterable[str], unknown: set[str]) -> list[str]:
        free = {c for c in cells if c not in unknown and c not in always and c not in hidden}
        return sorted(free, key=lambda c: (values[c] == 0, values[c], c))

    while True:
        unknown = withheld | _unknown_hidden(values, hidden)
        # Cells to protect: what is withheld, and hidden cells about fewer than five claims.
        sensitive = withheld | {c for c in hidden if is_small(values[c], minimum)}
        choice = next((free for combination in combined
                       if _fault(combination, values, unknown, sensitive, grand_totals, minimum)
                       for free in [candidates(combination.coefficients, unknown)] if free), None)
        if choice is None:
            exposed = derivable(relations, unknown) & sensitive
            choice = next((free for r in relations if exposed & set(r.cells)
                           for free in [candidates(r.cells, unknown)] if free), None)
        if choice is None:
            return frozenset(withheld)
        withheld.add(choice[0])


def exposures(
    values: Mapping[str, int], relations: Sequence[Relation], withheld: Iterable[str], *, always: Iterable[str] = (),
    hidden: Iterable[str] = (), minimum: int = MIN_CLAIMS,
) -> list[str]:
    """What a reader can still work out (empty when the suppression holds): each as a sentence."""
    unknown = set(withheld) | _unknown_hidden(values, hidden)
    always = set(always)
    sensitive = set(withheld) | {c for c in hidden if is_small(values[c], minimum)}
    grand_totals = {values[c] for c in always}
    problems = [f"{c} = {values[c]} follows from the published cells"
                for c in sorted(derivable(relations, unknown) & sensitive)]
    for combination in combinations(relations):
        fault = _fault(combination, values, unknown, sensitive, grand_totals, minimum)
        if fault:
            problems.append(f"{fault} by the relations with signs {combination.signs}")
    for c, v in values.items():
        if is_small(v, minimum) and c not in unknown and c not in always:
            problems.append(f"{c} = {v} is published")
    return problems
