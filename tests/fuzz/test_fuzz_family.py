"""Fuzz test of the family-file reader (issue 14 §5): whatever the text or the JSON, reading
(``loads_family``) and computing (``heirs_from_json``) raise nothing but the documented errors —
:class:`SuccessionError` naming the rule, or :class:`json.JSONDecodeError` for text that is not
JSON (loads_family's docstring). Valid files of docs/examples are the seeds of the mutations."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from fuzz_support import EXAMPLES, FUZZ, mutated_text
from hypothesis import given
from hypothesis import strategies as st

from baesang.calc.succession import BAD_VALUE, SuccessionError, heirs_from_json, loads_family

FAMILIES = sorted(EXAMPLES.glob("*.json"))
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=20)
FIELDS = st.sampled_from(["id", "sex", "died", "born", "decedent", "persons", "marriages", "children", "a", "b",
                          "parent", "child", "renounced", "divorced", "adopted", "V", "W", "S"])


def read_and_compute(text: str) -> None:
    try:
        result = heirs_from_json(loads_family(text))
    except json.JSONDecodeError:
        return
    except SuccessionError as exc:
        assert exc.code and exc.message
        return
    # a family file the engine accepted gives shares that sum to exactly 1 (or to nobody)
    assert not result.shares or sum(result.shares.values(), Fraction(0)) == 1


def test_the_seeds_are_valid_family_files():
    assert FAMILIES
    for path in FAMILIES:
        heirs_from_json(loads_family(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("path", FAMILIES[:2], ids=lambda p: p.stem)
@FUZZ
@given(data=st.data())
def test_a_mutated_family_text_raises_only_documented_errors(path, data):
    read_and_compute(data.draw(mutated_text(path.read_text(encoding="utf-8"))))


@FUZZ
@given(value=JSON_VALUES)
def test_any_json_value_raises_only_documented_errors(value):
    read_and_compute(json.dumps(value))


def _paths(value, path=()):
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@FUZZ
@given(data=st.data())
def test_a_family_with_a_field_changed_raises_only_documented_errors(data):
    family = json.loads(data.draw(st.sampled_from(FAMILIES)).read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(list(_paths(family))[1:]))
        parent = family
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = data.draw(JSON_VALUES | FIELDS)
        elif action == "delete":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(FIELDS)] = data.draw(JSON_VALUES | FIELDS)
        else:
            parent.append(data.draw(JSON_VALUES))
    read_and_compute(json.dumps(family))


@pytest.mark.parametrize("text", ["[" * 100_000, '{"decedent":' * 5_000 + "1" + "}" * 5_000],
                         ids=["brackets", "objects"])
def test_json_nested_too_deeply_is_refused_with_a_succession_error(text):
    # Found by looking past the fuzz test: the JSON reader ended in RecursionError (a 500 in the web).
    with pytest.raises(SuccessionError) as refused:
        loads_family(text)
    assert refused.value.code == BAD_VALUE
