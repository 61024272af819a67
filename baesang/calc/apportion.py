"""Split a whole-won amount among heirs by exact shares (apportionment to the won).

Korean won has no minor unit, so a payment to heirs must be divided into whole won that add
up exactly to the amount paid. The rule (largest-remainder method, also called Hamilton's
method): each holder first gets ``floor(amount × share)``; the won left over — fewer than the
number of holders — go one each to the holders with the largest remainders. Each part is
then within one won of its exact share (the floor or the ceiling of it).

Tie-break, deterministic and documented in ``docs/succession.md``: larger remainder first,
then larger share, then holder id in ascending order (Python string order).

The shares must each be positive and sum to exactly 1 (statutory shares from
:mod:`baesang.calc.succession` always do; manual shares entered from a court or registry
document are checked by :func:`validate_shares`). Arithmetic is on integers over a common
denominator, so :func:`apportion` is cheap enough to run for every claim of a large programme.
No Django import here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from fractions import Fraction
from math import lcm


class ApportionError(ValueError):
    """The shares or the amount cannot be apportioned; the message names the problem."""


def _fraction_text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


_EXACT_TYPES = frozenset({Fraction, int})


def _integer_shares(shares: Mapping[str, Fraction]) -> tuple[list[str], list[int], int]:
    """Holder ids, numerators over a common denominator, and that denominator; validates the shares."""
    if not shares:
        raise ApportionError("no shares given: at least one holder must hold the whole (shares summing to 1)")
    holders = list(shares)
    values = list(shares.values())
    if not {type(value) for value in values} <= _EXACT_TYPES:
        for holder, value in zip(holders, values, strict=True):
            if isinstance(value, bool) or not isinstance(value, Fraction | int):
                raise ApportionError(f"share of {holder}: {value!r} is not an exact fraction (floats are never used)")
    ratios = [value.as_integer_ratio() for value in values]
    common = lcm(*[denominator for _, denominator in ratios])
    scaled = [numerator * (common // denominator) for numerator, denominator in ratios]
    if min(scaled) <= 0:
        holder, value = next((h, v) for h, v in zip(holders, values, strict=True) if v <= 0)
        raise ApportionError(f"share of {holder}: {_fraction_text(Fraction(value))} is not positive; "
                             "every holder's share must be greater than 0")
    total = sum(scaled)
    if total != common:
        raise ApportionError(
            f"the shares sum to {_fraction_text(Fraction(total, common))}, not 1 "
            f"({', '.join(f'{h}={_fraction_text(Fraction(v))}' for h, v in zip(holders, values, strict=True))}); "
            "statutory or documented shares must sum to exactly 1")
    return holders, scaled, common


def validate_shares(shares: Mapping[str, Fraction]) -> None:
    """Each share an exact positive fraction, the shares summing to exactly 1; else :class:`ApportionError`."""
    _integer_shares(shares)


def apportion(amount: int, shares: Mapping[str, Fraction]) -> dict[str, int]:
    """Split ``amount`` won by ``shares``: parts sum to ``amount``, each within one won of its exact share.

    Largest-remainder method; ties by larger remainder, then larger share, then holder id.
    The result keeps the order of ``shares``.
    """
    if type(amount) is not int:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise ApportionError(f"amount {amount!r} is not a whole number of won")
    if amount < 0:
        raise ApportionError(f"amount {amount} is negative; apportion a positive amount or zero")
    holders, scaled, common = _integer_shares(shares)
    divided = [divmod(amount * numerator, common) for numerator in scaled]
    parts = [part for part, _ in divided]
    left = amount - sum(parts)
    if left:
        ranking = sorted(zip([-remainder for _, remainder in divided], [-n for n in scaled], holders,
                             range(len(holders)), strict=True))
        for *_, index in ranking[:left]:
            parts[index] += 1
    return dict(zip(holders, parts, strict=True))


_SHARE = re.compile(r"^\s*([^=\s]+)\s*=\s*(\d+)\s*(?:/\s*(\d+)\s*)?$")


def parse_share(text: str) -> tuple[str, Fraction]:
    """``"W=2/7"`` → ``("W", Fraction(2, 7))``; a whole number (``"A=1"``) is allowed."""
    match = _SHARE.match(text)
    if not match:
        raise ApportionError(f"share {text!r}: expected ID=NUM/DEN, for example W=2/7")
    holder, numerator, denominator = match.group(1), int(match.group(2)), int(match.group(3) or 1)
    if denominator == 0:
        raise ApportionError(f"share {text!r}: the denominator is 0")
    return holder, Fraction(numerator, denominator)


def parse_shares(texts: list[str]) -> dict[str, Fraction]:
    """Several ``ID=NUM/DEN`` texts; an id given twice is an error. The shares are validated."""
    shares: dict[str, Fraction] = {}
    for text in texts:
        holder, share = parse_share(text)
        if holder in shares:
            raise ApportionError(f"share of {holder} is given twice ({text!r}); give each holder once")
        shares[holder] = share
    validate_shares(shares)
    return shares
