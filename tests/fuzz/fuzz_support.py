"""Inputs of the importer fuzz tests: valid files from docs/examples and tests, and hypothesis
strategies that mutate them (cut, insert, replace, repeat and swap lines, truncate, change bytes)
or give arbitrary text and bytes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"

#: Each importer's fuzz test stays under about 20 seconds on a 2-core machine.
FUZZ = settings(max_examples=300, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture,
                                       HealthCheck.data_too_large])

#: Pieces that matter to the importers: separators, quotes, signs, digits of every script, dates.
PIECES = st.sampled_from([",", "\n", "\r\n", '"', "'", "-", "+", ".", "0", "9" * 30, "1e9", "NaN", "yes", "no",
                          "KRW", "USD", "2023-02-30", "9999-12-31", "0001-01-01", "\x00", "\ufeff", "٣", "１",
                          "주문", "원고", "피고", "지급하라", "연 20%", "{", "}", "[", "]", ":", "null", "true",
                          " ", "\t", "\u2028", "paid", "failed", "line,amount,status"])
TEXT = st.text(st.characters(codec="utf-8"), max_size=60) | PIECES


@st.composite
def mutated_text(draw, valid: str, max_mutations: int = 4) -> str:
    """``valid`` changed a few times: each change cuts, inserts, replaces, repeats or swaps."""
    text = valid
    for _ in range(draw(st.integers(1, max_mutations))):
        kind = draw(st.sampled_from(["cut", "insert", "replace", "repeat_line", "swap_lines", "truncate"]))
        at = draw(st.integers(0, len(text)))
        if kind == "cut":
            text = text[:at] + text[at + draw(st.integers(1, 20)):]
        elif kind == "insert":
            text = text[:at] + draw(TEXT) + text[at:]
        elif kind == "replace":
            text = text[:at] + draw(TEXT) + text[at + draw(st.integers(1, 12)):]
        elif kind == "truncate":
            text = text[:at]
        else:
            lines = text.split("\n")
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if kind == "repeat_line":
                lines.insert(j, lines[i])
            else:
                lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
    return text


@st.composite
def mutated_bytes(draw, valid: bytes, max_mutations: int = 4) -> bytes:
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, max_mutations))):
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["flip", "insert", "cut"]))
        if kind == "flip" and at < len(data):
            data[at] = draw(st.integers(0, 255))
        elif kind == "insert":
            data[at:at] = draw(st.binary(max_size=16))
        else:
            del data[at:at + draw(st.integers(1, 16))]
    return bytes(data)
