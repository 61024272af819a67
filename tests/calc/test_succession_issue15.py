"""Statutory heirship, the rules of issue 15: 2020그42, customary law, pre-1991 collaterals, adoption,
step and legitimate mothers, married-out status by decedent and date, heirs in North Korea, and family
files with duplicate keys.

Every expected share is computed by hand in a comment from the article or decision cited.
"""

from __future__ import annotations

import datetime as dt
import json
from fractions import Fraction as F
from pathlib import Path

import pytest
from django.core.management.base import CommandError
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.calc.succession import (
    BAD_VALUE,
    BEFORE_1960,
    CONFLICTING_FACTS,
    DUPLICATE_KEY,
    MANUAL_SHARES_REQUIRED,
    MISSING_FIELD,
    REGIME_1979,
    REGIME_CUSTOM,
    Administrator,
    SuccessionError,
    compute_shares,
    heirs_from_json,
    loads_family,
    parse_family,
)
from baesang.core.management.commands.heirs import read_family

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def person(pid: str, sex: str, died: str | None = None, **facts) -> dict:
    data = {"id": pid, "sex": sex, **facts}
    if died is not None:
        data["died"] = died
    return data


def link(parent: str, child: str, **facts) -> dict:
    return {"parent": parent, "child": child, **facts}


def family(persons: list[dict], marriages=(), children=(), decedent: str = "V") -> dict:
    return {"decedent": decedent, "persons": persons,
            "marriages": [{"a": m.split("=")[0], "b": m.split("=")[1]} if isinstance(m, str) else m
                          for m in marriages],
            "children": [link(*c.split(">")) if isinstance(c, str) else c for c in children]}


def shares(data: dict) -> dict[str, F]:
    result = heirs_from_json(data)
    assert sum(result.shares.values()) == 1
    return result.shares


def refusal(data: dict) -> SuccessionError:
    with pytest.raises(SuccessionError) as caught:
        heirs_from_json(data)
    return caught.value


def renouncing_family(died: str, *, spouse: bool = True, renounce=("C1", "C2"), grandchildren: bool = False,
                      ascendants: bool = False, spouse_renounces: bool = False) -> dict:
    """V, wife W, children C1 and C2; optionally C1's children G1, G2 and V's parents FA, MO."""
    persons = [person("V", "M", died), person("C1", "M"), person("C2", "F")]
    children = ["V>C1", "V>C2"]
    marriages = []
    if spouse:
        persons.append(person("W", "F", renounced=["V"]) if spouse_renounces else person("W", "F"))
        marriages.append("V=W")
        children += ["W>C1", "W>C2"]
    for item in persons:
        if item["id"] in renounce:
            item["renounced"] = ["V"]
    if grandchildren:
        persons += [person("G1", "M"), person("G2", "F")]
        children += ["C1>G1", "C1>G2"]
    if ascendants:
        persons += [person("FA", "M"), person("MO", "F")]
        children += ["FA>V", "MO>V"]
    return family(persons, marriages, children)


# --------------------------------------------------------------------------- 1. 2020그42


def test_all_children_renounce_beside_spouse_and_parents_spouse_alone_2024():
    # Supreme Court en banc 2023-03-23, 2020그42 reading Art. 1043: the renouncing children's shares go to the
    # co-heir of the first rank, the spouse, who becomes the sole heir; the parents (2nd rank) do not step in.
    # Hand: W = 1. (The engine formerly gave W 1.5/3.5 = 3/7, FA 2/7, MO 2/7.)
    result = heirs_from_json(renouncing_family("2024-02-01", ascendants=True))
    assert result.shares == {"W": 1}
    assert any("2020그42" in line and "1960-01-01" in line for line in result.explanation["W"])
    assert any("2020그42" in line for line in result.explain("ko")["W"])


def test_all_children_renounce_beside_spouse_and_grandchildren_spouse_alone():
    # 2020그42 (overruling 2013다48852): the grandchildren do not become co-heirs with the spouse. W = 1.
    assert shares(renouncing_family("2024-02-01", grandchildren=True)) == {"W": 1}


def test_all_children_renounce_beside_spouse_grandchildren_and_parents_spouse_alone():
    # 2020그42: neither the grandchildren (farther 1st rank) nor the parents (2nd rank) inherit. W = 1.
    assert shares(renouncing_family("2024-02-01", grandchildren=True, ascendants=True)) == {"W": 1}


def test_all_children_renounce_before_the_decision_same_reading():
    # The decision reads Art. 1043, unchanged since 1960; courts apply it to pending cases, so a 2019 death
    # is computed the same way: W = 1, not W 3/7, FA 2/7, MO 2/7.
    assert shares(renouncing_family("2019-05-01", grandchildren=True, ascendants=True)) == {"W": 1}


def test_all_children_renounce_beside_wife_1985_wife_alone():
    # Former Art. 1003(1) (1977 text): the wife is co-heir with the descendants; Art. 1043 (same text since
    # 1960) as read by 2020그42: the renounced shares go to her; the father does not inherit. W = 1.
    result = heirs_from_json(renouncing_family("1985-06-01", ascendants=True))
    assert result.shares == {"W": 1} and result.regime == REGIME_1979


def test_some_children_renounce_shares_go_to_spouse_and_remaining_child():
    # Art. 1043: C1 renounced; W 1.5 and C2 1 share the estate: W 1.5/2.5 = 3/5, C2 2/5; C1's children and
    # V's parents take nothing (Art. 1042: nobody represents a renouncer; the 1st rank still inherits).
    data = renouncing_family("2024-02-01", renounce=("C1",), grandchildren=True, ascendants=True)
    assert shares(data) == {"W": F(3, 5), "C2": F(2, 5)}


def test_no_spouse_all_children_renounce_grandchildren_per_capita_before_parents():
    # Art. 1000(1)(i), (2): with no spouse the grandchildren are the nearest descendants and inherit in their
    # own right, per head, excluding the parents: G1 1/2, G2 1/2.
    data = renouncing_family("2024-02-01", spouse=False, grandchildren=True, ascendants=True)
    assert shares(data) == {"G1": F(1, 2), "G2": F(1, 2)}


def test_no_spouse_all_children_renounce_no_grandchildren_parents_inherit():
    # Art. 1000(1)(ii): no descendant inherits and there is no spouse: the parents, equally (Art. 1009(1)):
    # FA 1/2, MO 1/2.
    assert shares(renouncing_family("2024-02-01", spouse=False, ascendants=True)) == {"FA": F(1, 2), "MO": F(1, 2)}


def test_spouse_and_all_children_renounce_grandchildren_then_take():
    # Art. 1042: the spouse who renounced counts as never an heir, so 2020그42 does not apply; the grandchildren
    # inherit in their own right (Art. 1000(2)) and exclude the parents: G1 1/2, G2 1/2.
    data = renouncing_family("2024-02-01", grandchildren=True, ascendants=True, spouse_renounces=True)
    assert shares(data) == {"G1": F(1, 2), "G2": F(1, 2)}


def test_children_renounce_predeceased_child_represented_no_rule_2020_geu_42():
    # C1 renounced, C2 died before V leaving G: G represents C2 (Art. 1001). W 1.5, C2's line 1 → W 3/5, G 2/5.
    data = renouncing_family("2024-02-01", renounce=("C1",), ascendants=True)
    data["persons"][2]["died"] = "2020-01-01"  # C2
    data["persons"].append(person("G", "M"))
    data["children"].append(link("C2", "G"))
    assert shares(data) == {"W": F(3, 5), "G": F(2, 5)}


def test_representatives_renounce_beside_the_represented_heirs_spouse():
    # Arts. 1001, 1003(2), 1010: S died before V; S's line is represented by his wife SW and children G1, G2.
    # G1 and G2 renounced V's succession: by Art. 1043 as read in 2020그42 their part goes to SW, the remaining
    # representative. V's estate: W 1.5, D 1, S's line 1 → W 3/7, D 2/7, SW the whole 2/7 of S's line.
    data = family([person("V", "M", "2024-02-01"), person("W", "F"), person("D", "F"),
                   person("S", "M", "2020-01-01"), person("SW", "F"), person("G1", "M", renounced=["V"]),
                   person("G2", "F", renounced=["V"]), person("FA", "M")],
                  ["V=W", "S=SW"], ["V>D", "W>D", "V>S", "W>S", "S>G1", "SW>G1", "S>G2", "SW>G2", "FA>V"])
    assert shares(data) == {"W": F(3, 7), "D": F(2, 7), "SW": F(2, 7)}


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["1965-03-01", "1985-06-01", "1999-01-01", "2024-02-01"]), st.booleans(), st.booleans(),
       st.integers(min_value=1, max_value=4))
def test_property_spouse_takes_all_when_every_child_renounces(died, grandchildren, ascendants, n_children):
    # 2020그42 in every regime from 1960: whatever farther descendants or ascendants exist, the spouse is sole heir.
    persons = [person("V", "M", died), person("W", "F")]
    children = []
    for index in range(n_children):
        persons.append(person(f"C{index}", "M" if index % 2 else "F", renounced=["V"]))
        children += [f"V>C{index}", f"W>C{index}"]
        if grandchildren:
            persons.append(person(f"G{index}", "M"))
            children.append(f"C{index}>G{index}")
    if ascendants:
        persons += [person("FA", "M"), person("MO", "F")]
        children += ["FA>V", "MO>V"]
    assert shares(family(persons, ["V=W"], children)) == {"W": 1}


# --------------------------------------------------------------------------- 2. customary law


def head_family(**overrides) -> dict:
    """V, household head, died 1950; wife W; sons A (1920), B (1925); daughter D."""
    persons = [person("V", "M", "1950-03-01", household_head=True), person("W", "F"),
               person("A", "M", born="1920-01-01"), person("B", "M", born="1925-01-01"), person("D", "F")]
    for item in persons:
        item.update(overrides.get(item["id"], {}))
    return family(persons, ["V=W"], ["V>A", "W>A", "V>B", "W>B", "V>D", "W>D"])


def test_custom_household_head_estate_to_eldest_son_alone():
    # Custom before 1960: a household head's estate passes with the headship to the household-head heir, the
    # legitimate eldest son, alone; younger sons only had a claim to a portion (Supreme Court 1979-12-27, 76그2;
    # 1991-05-24, 90다17729). A (born 1920) = 1; B, D, W nothing.
    result = heirs_from_json(head_family())
    assert result.shares == {"A": 1} and result.regime == REGIME_CUSTOM
    assert any("76그2" in line for line in result.explanation["A"])
    assert any("분재청구권" in note for note in result.notes_in("ko"))


def test_custom_recorded_household_head_heir_is_used():
    # The registry names B as household-head heir (e.g. A was adopted out): B = 1 (76그2).
    assert shares(head_family(B={"household_head_heir_of": ["V"]})) == {"B": 1}


def test_custom_married_eldest_son_predeceased_his_son_succeeds():
    # 90다17729: the eldest son's line comes first: A, married, died 1945 leaving son AS → AS = 1 (not B).
    data = head_family(A={"died": "1945-01-01"})
    data["persons"] += [person("AW", "F"), person("AS", "M")]
    data["marriages"].append({"a": "A", "b": "AW"})
    data["children"] += [link("A", "AS"), link("AW", "AS")]
    assert shares(data) == {"AS": 1}


def test_custom_married_eldest_son_predeceased_without_son_is_refused():
    # 90다17729: a married eldest son who died before without a son excludes the younger sons; the headship
    # goes to a posthumous adoptee or a woman of the house — not decided here.
    data = head_family(A={"died": "1945-01-01"})
    data["persons"].append(person("AW", "F"))
    data["marriages"].append({"a": "A", "b": "AW"})
    err = refusal(data)
    assert err.code == BEFORE_1960 and err.person == "V" and "90다17729" in err.message
    assert "court or registry document" in err.message


def test_custom_unmarried_eldest_son_predeceased_next_son_succeeds():
    # 형망제급: A died unmarried before V; the next son B succeeds to the headship and the estate: B = 1.
    result = heirs_from_json(head_family(A={"died": "1945-01-01"}))
    assert result.shares == {"B": 1}
    assert any("형망제급" in note for note in result.notes)


def test_custom_head_without_son_and_female_head_are_refused():
    # 79다720, 2010다53952: no son → temporary female headship pending a posthumous adoptee: refused.
    data = family([person("V", "M", "1950-01-01", household_head=True), person("D", "F")], [], ["V>D"])
    assert "사후양자" in refusal(data).message
    data = family([person("V", "F", "1950-01-01", household_head=True), person("S", "M")], [], ["V>S"])
    assert "여호주" in refusal(data).message


def test_custom_refusals_name_the_question():
    # Unknown headship; sons without birth order; a renunciation under the custom: each refused, code before_1960.
    err = refusal(head_family(V={"household_head": None}))
    assert err.code == BEFORE_1960 and "household head" in err.message
    undated = head_family()
    del undated["persons"][2]["born"]
    assert "order of birth" in refusal(undated).message
    assert "renounced" in refusal(head_family(B={"renounced": ["V"]})).message


def test_custom_family_member_estate_to_descendants_in_register():
    # 90다15679, 79다1200, 69다1324: a family member's estate to the lineal descendants equally; a daughter not
    # in the register has no right; a child born out of wedlock half. S 1, D 1, X 0.5 (DO out): total 2.5 →
    # S 2/5, D 2/5, X 1/5; the wife W does not inherit beside the descendants.
    data = family([person("V", "M", "1955-05-01", household_head=False), person("W", "F"), person("S", "M"),
                   person("D", "F"), person("DO", "F", left_register="1950-01-01"), person("X", "M")],
                  ["V=W"], ["V>S", "V>D", "V>DO", link("V", "X", out_of_wedlock=True)])
    result = heirs_from_json(data)
    assert result.shares == {"S": F(2, 5), "D": F(2, 5), "X": F(1, 5)}
    assert any("DO" in note and "90다15679" in note for note in result.notes)


def test_custom_family_member_without_descendants_is_refused():
    # 91다41361: who takes without descendants in the register depends on facts the file does not hold.
    data = family([person("V", "M", "1955-05-01", household_head=False), person("W", "F")], ["V=W"])
    assert "91다41361" in refusal(data).message


def test_custom_then_civil_code_resuccession():
    # V, head, died 1950 → A, eldest son, alone (76그2). A died 1985 (former Art. 1009, 1977 text): wife AW 1.5,
    # son B household-head heir 1.5, daughter C married out in 1980 0.25 → total 3.25: AW 6/13, B 6/13, C 1/13.
    data = family([person("V", "M", "1950-03-01", household_head=True), person("A", "M", "1985-01-01"),
                   person("AW", "F"), person("B", "M", household_head_heir_of=["A"]),
                   person("C", "F", left_register="1980-01-01")],
                  ["A=AW"], ["V>A", "A>B", "AW>B", "A>C", "AW>C"])
    result = heirs_from_json(data)
    assert result.shares == {"AW": F(6, 13), "B": F(6, 13), "C": F(1, 13)}
    assert result.regime == REGIME_CUSTOM
    assert [s for s, _ in result.routes["B"][0].successions] == ["V", "A"]


# --------------------------------------------------------------------------- 3. pre-1991 collaterals


def cousins(died: str) -> dict:
    """V; father FA and grandfather GF dead; uncle U (GF's son) and aunt AU dead; their children UC, AC."""
    return family([person("V", "M", died), person("FA", "M", "1950-01-01"), person("GF", "M", "1940-01-01"),
                   person("U", "M", "1960-06-01"), person("AU", "F", "1960-06-01"), person("UC", "M"),
                   person("AC", "M")], [], ["GF>FA", "FA>V", "GF>U", "GF>AU", "U>UC", "AU>AC"])


def test_1985_paternal_cousin_inherits_aunts_son_is_no_blood_relative():
    # Former Art. 768 (1958): an ascendant's brother's descendants are blood relatives, a sister's are not;
    # former Art. 1000(1)(iv): 4th rank. UC (father's brother's son, 4th degree, paternal) = 1; AC nothing.
    result = heirs_from_json(cousins("1985-01-01"))
    assert result.shares == {"UC": 1}
    assert any("AC" in note and "former Art. 768" in note for note in result.notes)


def test_1995_both_cousins_inherit():
    # Art. 768 as amended (1990): siblings' descendants either way; Art. 1000(1)(iv) to the 4th degree;
    # UC and AC both 4th degree, equal (Art. 1009(1)): 1/2 each.
    assert shares(cousins("1995-01-01")) == {"UC": F(1, 2), "AC": F(1, 2)}


def test_1970_cousins_weights_of_the_1958_text():
    # 1960–1978: former Art. 1009(1): a woman 1/2 of a man's share. UC (M) 1, UC2 (F, UC's sister) 0.5 →
    # UC 2/3, UC2 1/3.
    data = cousins("1970-01-01")
    data["persons"].append(person("UC2", "F"))
    data["children"].append(link("U", "UC2"))
    assert shares(data) == {"UC": F(2, 3), "UC2": F(1, 3)}


def test_1985_maternal_line_to_the_fourth_degree_paternal_to_the_eighth():
    # Former Art. 777: maternal relatives to the 4th degree, paternal to the 8th. MC, the mother's brother's
    # son (4th degree, maternal) takes alone: MC = 1. Without MC, MCC (5th, maternal) is no relative and
    # UCC (father's brother's grandson, 5th, paternal) takes: UCC = 1.
    persons = [person("V", "M", "1985-01-01"), person("FA", "M", "1950-01-01"), person("MO", "F", "1950-01-01"),
               person("GF", "M", "1940-01-01"), person("MGF", "M", "1940-01-01"), person("U", "M", "1960-01-01"),
               person("MU", "M", "1960-01-01"), person("UC", "M", "1970-01-01"), person("UCC", "M"),
               person("MC", "M")]
    links = ["FA>V", "MO>V", "GF>FA", "MGF>MO", "GF>U", "MGF>MU", "U>UC", "UC>UCC", "MU>MC"]
    assert shares(family(persons, [], links)) == {"MC": 1}
    persons[-1] = person("MC", "M", "1970-01-01")
    persons.append(person("MCC", "M"))
    assert shares(family(persons, [], links + ["MC>MCC"])) == {"UCC": 1}


def test_1985_brothers_line_through_a_woman_beyond_fourth_degree_is_refused():
    # Father's brother's daughter's son: 5th degree, a brother's descendant (former Art. 768) through a woman;
    # whether paternal (8th) or maternal (4th) under former Art. 777 is unsettled → manual shares.
    persons = [person("V", "M", "1985-01-01"), person("FA", "M", "1950-01-01"), person("GF", "M", "1940-01-01"),
               person("U", "M", "1960-01-01"), person("UD", "F", "1970-01-01"), person("UDS", "M")]
    err = refusal(family(persons, [], ["GF>FA", "FA>V", "GF>U", "U>UD", "UD>UDS"]))
    assert err.code == MANUAL_SHARES_REQUIRED and err.person == "V"


# --------------------------------------------------------------------------- 4. adoption and step relations


def test_full_adoption_ends_birth_family_succession():
    # Art. 908-3(2): C, fully adopted by AF and AM in 2010, is no longer BF's child: BF (died 2015) is inherited
    # by his other child D alone (D = 1). AF (died 2020, AM alive): AM 1.5, C 1 → AM 3/5, C 2/5 (Art. 908-3(1)).
    persons = [person("BF", "M", "2015-01-01"), person("C", "F"), person("D", "M"),
               person("AF", "M", "2020-01-01"), person("AM", "F")]
    links = ["BF>C", "BF>D", link("AF", "C", kind="full_adoption", since="2010-03-01"),
             link("AM", "C", kind="full_adoption", since="2010-03-01")]
    result = heirs_from_json(family(persons, ["AF=AM"], links, decedent="BF"))
    assert result.shares == {"D": 1}
    assert any("908-3(2)" in note for note in result.notes)
    assert shares(family(persons, ["AF=AM"], links, decedent="AF")) == {"AM": F(3, 5), "C": F(2, 5)}


def test_full_adoption_by_step_father_keeps_birth_mother():
    # Art. 908-3(2) proviso: adopted by his mother's husband SF, C stays his birth mother M's child; M died
    # 2020 (SF alive): SF 1.5, C 1 → SF 3/5, C 2/5. His birth father BF (died 2019) no longer: BF's brother? —
    # BF has no one else, only his mother GM: GM = 1.
    persons = [person("M", "F", "2020-01-01"), person("SF", "M"), person("C", "M"),
               person("BF", "M", "2019-01-01"), person("GM", "F")]
    links = ["M>C", "BF>C", "GM>BF", link("SF", "C", kind="full_adoption", since="2012-01-01")]
    marriages = [{"a": "BF", "b": "M", "ended": "2009-01-01"}, "SF=M"]
    assert shares(family(persons, marriages, links, decedent="M")) == {"SF": F(3, 5), "C": F(2, 5)}
    assert shares(family(persons, marriages, links, decedent="BF")) == {"GM": 1}


def test_ordinary_adoption_inherits_from_both_families_until_dissolved():
    # Ordinary adoption keeps the birth family (Arts. 772, 882-2): C inherits from BF (with D: 1/2 each) and
    # from AF (alone: 1). Dissolved (파양) in 2014, before AF's 2015 death: no link (Art. 776) — AF's brother
    # B (3rd rank, Art. 1000(1)(iii)) takes: B = 1.
    persons = [person("BF", "M", "2016-01-01"), person("AF", "M", "2015-01-01"), person("C", "M"), person("D", "F"),
               person("P", "M", "1990-01-01"), person("B", "M")]
    links = ["BF>C", "BF>D", link("AF", "C", kind="adoption", since="1980-01-01"), "P>AF", "P>B"]
    assert shares(family(persons, [], links, decedent="BF")) == {"C": F(1, 2), "D": F(1, 2)}
    assert shares(family(persons, [], links, decedent="AF")) == {"C": 1}
    links[2]["ended"] = "2014-01-01"
    assert shares(family(persons, [], links, decedent="AF")) == {"B": 1}


def test_full_adoption_before_2008_is_refused():
    # Arts. 908-2 ff. (Act No. 7427) in force 2008-01-01: a 친양자 dated 2005 cannot be.
    data = family([person("V", "M", "2015-01-01"), person("C", "M")], [],
                  [link("V", "C", kind="full_adoption", since="2005-01-01")])
    assert refusal(data).code == BAD_VALUE
    data["children"][0].pop("since")
    assert refusal(data).code == MISSING_FIELD


def test_step_mother_relation_before_1991_and_its_end():
    # Former Art. 773: a step-mother and her husband's child were parent and child until 1990-12-31. SM (widow,
    # husband FA dead) died 1985: step-son S and her son B, equal sons (former Art. 1009(1), 1977): 1/2 each.
    # Died 1995: the relation ended on 1991-01-01 (Act No. 4199): B = 1.
    persons = [person("SM", "F", "1985-01-01"), person("FA", "M", "1980-01-01"), person("S", "M"), person("B", "M")]
    links = ["FA>S", "FA>B", "SM>B", link("SM", "S", kind="step_mother")]
    assert shares(family(persons, ["FA=SM"], links, decedent="SM")) == {"S": F(1, 2), "B": F(1, 2)}
    persons[0] = person("SM", "F", "1995-01-01")
    result = heirs_from_json(family(persons, ["FA=SM"], links, decedent="SM"))
    assert result.shares == {"B": 1} and any("1991-01-01" in note for note in result.notes)


def test_step_relation_ended_before_death_gives_nothing():
    # The step relation recorded as ended 1982 (the marriage dissolved): SM died 1985 → B = 1.
    persons = [person("SM", "F", "1985-01-01"), person("S", "M"), person("B", "M")]
    links = ["SM>B", link("SM", "S", kind="step_mother", ended="1982-01-01")]
    assert shares(family(persons, [], links, decedent="SM")) == {"B": 1}


def test_legitimate_mother_and_child_out_of_wedlock_1970():
    # Former Art. 774: the father's wife (적모) and his child born out of wedlock (서자) were parent and child.
    # LM died 1970 (husband dead): X (son) 1, her daughter D 1/2 (former Art. 1009(1), 1958) → X 2/3, D 1/3.
    persons = [person("LM", "F", "1970-01-01"), person("FA", "M", "1965-01-01"), person("X", "M"), person("D", "F")]
    links = ["FA>X", "FA>D", "LM>D", link("LM", "X", kind="legitimate_mother")]
    assert shares(family(persons, ["FA=LM"], links, decedent="LM")) == {"X": F(2, 3), "D": F(1, 3)}


# --------------------------------------------------------------------------- married out, by decedent and date


def test_daughter_divorced_and_returned_before_the_death_is_not_married_out():
    # Former Art. 1009(2) (1977): a woman outside the register 1/4. D left the register 1975 and returned 1980.
    # V died 1985: D in the register: W 1.5, S 1, D 1 → W 3/7, S 2/7, D 2/7.
    # V died 1978 (1958 text): D outside: W 0.5, S 1, D 0.25 → total 1.75: W 2/7, S 4/7, D 1/7.
    def data(died):
        return family([person("V", "M", died), person("W", "F"), person("S", "M"),
                       person("D", "F", left_register="1975-01-01", returned_to_register="1980-01-01")],
                      ["V=W"], ["V>S", "V>D", "W>S", "W>D"])
    result = heirs_from_json(data("1985-01-01"))
    assert result.shares == {"W": F(3, 7), "S": F(2, 7), "D": F(2, 7)}
    assert any("returned" in note for note in result.notes)
    assert shares(data("1978-01-01")) == {"W": F(2, 7), "S": F(4, 7), "D": F(1, 7)}


def test_married_out_named_per_decedent():
    # 'married_out': ["V"] — outside V's register only. V died 1985: W 1.5, S 1, D 0.25 → 3/11... total 2.75:
    # W 6/11, S 4/11, D 1/11.
    data = family([person("V", "M", "1985-01-01"), person("W", "F"), person("S", "M"),
                   person("D", "F", married_out=["V"])], ["V=W"], ["V>S", "V>D", "W>S", "W>D"])
    assert shares(data) == {"W": F(6, 11), "S": F(4, 11), "D": F(1, 11)}
    assert parse_family(data).person("D").married_out_of == frozenset({"V"})


def test_left_register_does_not_apply_to_her_own_descendants():
    # Her child C died 1985 unmarried without issue; M (mother) left her birth register by marrying C's father:
    # for C's succession she is in C's register — FA and M equally (former Art. 1009(1)): 1/2 each.
    data = family([person("C", "M", "1985-01-01"), person("FA", "M"), person("M", "F", left_register="1960-01-01")],
                  ["FA=M"], ["FA>C", "M>C"], decedent="C")
    assert shares(data) == {"FA": F(1, 2), "M": F(1, 2)}


# --------------------------------------------------------------------------- North Korea


def test_heir_in_north_korea_ordinary_share_with_administrator():
    # Act No. 11299 (2012), Art. 13: the share is the ordinary one (Arts. 1000, 1009: W 3/7, N 2/7, S 2/7); the
    # court-appointed administrator holds and receives N's share.
    data = family([person("V", "M", "2015-01-01"), person("W", "F"),
                   person("N", "M", north_korea=True, administrator={"name": "Kim Admin", "reference": "2016느단1"}),
                   person("S", "F")], ["V=W"], ["V>N", "V>S", "W>N", "W>S"])
    result = heirs_from_json(data)
    assert result.shares == {"W": F(3, 7), "N": F(2, 7), "S": F(2, 7)}
    assert result.administrators == {"N": Administrator(name="Kim Admin", reference="2016느단1")}
    assert any("Kim Admin" in line and "Art. 13" in line for line in result.explanation["N"])
    assert result.as_json()["administrators"] == {"N": {"name": "Kim Admin", "reference": "2016느단1"}}
    assert "administrators" not in heirs_from_json(family([person("V", "M", "2015-01-01"), person("S", "F")],
                                                          [], ["V>S"])).as_json()


def test_heir_in_north_korea_without_administrator_waits():
    data = family([person("V", "M", "2015-01-01"), person("N", "M", north_korea=True)], [], ["V>N"])
    result = heirs_from_json(data)
    assert result.shares == {"N": 1} and result.administrators == {"N": None}
    assert any("waits" in line for line in result.explanation["N"])
    data["persons"][1] = person("N", "M", administrator={"name": "Kim"})
    assert refusal(data).code == CONFLICTING_FACTS


# --------------------------------------------------------------------------- the file


def test_round_trip_keeps_every_new_fact():
    data = family([person("V", "M", "1950-01-01", household_head=True, born="1900-01-01"),
                   person("A", "M", born="1925-01-01"),
                   person("D", "F", left_register="1945-01-01", returned_to_register="1948-01-01", married_out=["V"]),
                   person("N", "M", north_korea=True, administrator={"name": "K", "reference": "R"})],
                  [], ["V>A", "V>D", link("V", "N", out_of_wedlock=True)])
    fam = parse_family(data)
    assert parse_family(fam.as_json()) == fam
    assert compute_shares(fam).shares == {"A": 1}


def test_duplicate_keys_are_refused_naming_key_and_place():
    text = ('{"decedent": "V", "persons": [{"id": "V", "sex": "M", "died": "2000-01-01"}, '
            '{"id": "A", "sex": "M", "died": "1990-01-01", "died": "2005-01-01"}], "children": []}')
    with pytest.raises(SuccessionError) as caught:
        loads_family(text)
    assert caught.value.code == DUPLICATE_KEY and caught.value.person == "A"
    assert "'died'" in caught.value.message and "persons[1]" in caught.value.message
    with pytest.raises(SuccessionError) as caught:
        loads_family('{"decedent": "V", "decedent": "W", "persons": []}')
    assert "'decedent'" in caught.value.message and "family file" in caught.value.message
    assert loads_family('{"a": [{"b": 1}]}') == {"a": [{"b": 1}]}
    assert type(loads_family('{"a": {"b": 1}}')["a"]) is dict


def test_heirs_command_reader_refuses_duplicate_keys(tmp_path):
    path = tmp_path / "family.json"
    path.write_text('{"decedent": "V", "persons": [], "persons": []}', encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        read_family(str(path))
    assert caught.value.returncode == 2 and "'persons'" in str(caught.value)


@pytest.mark.parametrize("name,expected", [
    ("2024-children-renounce.json", {"W": 1}),
    ("1950-household-head-then-1985.json", {"AW": F(6, 13), "B": F(6, 13), "C": F(1, 13)}),
    ("2015-north-korea-heir.json", {"W": F(3, 7), "N": F(2, 7), "S": F(2, 7)}),
])
def test_new_examples(name, expected):
    # Worked in docs/succession.md § 6.
    data = loads_family((EXAMPLES / name).read_text(encoding="utf-8"))
    assert heirs_from_json(data).shares == expected


def test_old_examples_unchanged():
    # docs/succession.md § 6, the four earlier examples.
    expected = {"1982-household-head.json": {"W": F(6, 13), "A": F(6, 13), "D": F(1, 13)},
                "2010-representation.json": {"W": F(3, 7), "D": F(2, 7), "SW": F(6, 49), "G1": F(4, 49),
                                             "G2": F(4, 49)},
                "1985-2005-resuccession.json": {"W": F(3, 8), "A": F(3, 8), "BW": F(3, 20), "BC": F(1, 10)},
                "1970-wife-then-1995.json": {"A": F(20, 33), "C": F(8, 33), "D": F(5, 33)}}
    for name, shares_expected in expected.items():
        assert heirs_from_json(json.loads((EXAMPLES / name).read_text())).shares == shares_expected


# --------------------------------------------------------------------------- properties with the new facts

DAY0 = dt.date(1900, 1, 1)
KINDS = ["birth", "birth", "birth", "adoption", "full_adoption", "step_mother", "legitimate_mother"]


@st.composite
def rich_families(draw) -> dict:
    """Small random families using every fact of the extended format; the decedent P0 died 1930–2023."""
    n = draw(st.integers(min_value=2, max_value=8))
    ids = [f"P{i}" for i in range(n)]
    year = draw(st.sampled_from([1930, 1945, 1955, 1965, 1982, 1995, 2010, 2020]))
    first = dt.date(year, 1, 1) + dt.timedelta(days=draw(st.integers(0, 1500)))
    died: list[dt.date | None] = [first]
    for _ in range(1, n):
        died.append(draw(st.one_of(st.none(), st.none(), st.integers(0, 45000).map(
            lambda d: DAY0 + dt.timedelta(days=d)))))
    sexes = [draw(st.sampled_from(["M", "F"])) for _ in ids]
    rank = draw(st.permutations(range(n)))
    links = []
    for i in range(n):
        for j in range(n):
            if i == j or rank[i] >= rank[j] or draw(st.integers(0, 2)) != 0:
                continue
            item: dict = {"parent": ids[i], "child": ids[j]}
            kind = draw(st.sampled_from(KINDS))
            if kind in ("step_mother", "legitimate_mother") and sexes[i] != "F":
                kind = "birth"
            if kind == "full_adoption":
                item["since"] = (dt.date(2008, 1, 1) + dt.timedelta(days=draw(st.integers(0, 5000)))).isoformat()
            elif kind != "birth" and draw(st.booleans()):
                item["since"] = (DAY0 + dt.timedelta(days=draw(st.integers(15000, 40000)))).isoformat()
            if kind != "birth":
                item["kind"] = kind
                if draw(st.integers(0, 3)) == 0:
                    start = dt.date.fromisoformat(item.get("since", "1950-01-01"))
                    item["ended"] = (start + dt.timedelta(days=draw(st.integers(0, 9000)))).isoformat()
            elif draw(st.integers(0, 4)) == 0:
                item["out_of_wedlock"] = True
            links.append(item)
    married: set[int] = set()
    marriages = []
    for i in range(n):
        for j in range(i + 1, n):
            if i in married or j in married or sexes[i] == sexes[j] or draw(st.integers(0, 3)) != 0:
                continue
            married |= {i, j}
            marriages.append({"a": ids[i], "b": ids[j]})
    persons = []
    hh = draw(st.integers(0, n))
    for i, pid in enumerate(ids):
        item = {"id": pid, "sex": sexes[i], "born": (DAY0 + dt.timedelta(days=i * 400)).isoformat()}
        if died[i] is not None:
            item["died"] = max(died[i], DAY0 + dt.timedelta(days=i * 400)).isoformat()
        if i == 0:
            item["household_head"] = draw(st.booleans())
        else:
            fact = draw(st.sampled_from(["", "", "", "renounced", "disqualified"]))
            if fact == "renounced" and (died[i] is None or died[i] > died[0]):
                item["renounced"] = ["P0"]
            elif fact == "disqualified":
                item["disqualified"] = ["P0"]
            survives = "died" not in item or dt.date.fromisoformat(item["died"]) > died[0]
            if i == hh and survives and "renounced" not in item and "disqualified" not in item:
                item["household_head_heir_of"] = ["P0"]
            if draw(st.integers(0, 4)) == 0:
                item["north_korea"] = True
                if draw(st.booleans()):
                    item["administrator"] = {"name": f"Admin of {pid}"}
        if sexes[i] == "F" and draw(st.integers(0, 2)) == 0:
            left = DAY0 + dt.timedelta(days=draw(st.integers(10000, 40000)))
            item["left_register"] = left.isoformat()
            if draw(st.booleans()):
                item["returned_to_register"] = (left + dt.timedelta(days=draw(st.integers(0, 5000)))).isoformat()
        persons.append(item)
    if any(p.get("household_head_heir_of") for p in persons):
        persons[0]["household_head"] = True
    return {"decedent": "P0", "persons": persons, "marriages": marriages, "children": links}


@settings(max_examples=300, deadline=None)
@given(rich_families())
def test_property_invariants_with_every_new_fact(data):
    """Shares sum to 1; holders alive; renouncers never receive; administrators only for North Korean holders."""
    try:
        result = heirs_from_json(data)
    except SuccessionError as exc:
        assert exc.code in {"no_heirs", MANUAL_SHARES_REQUIRED, BEFORE_1960, "two_spouses"}, exc.message
        assert exc.person is not None
        return
    assert sum(result.shares.values()) == 1 and all(share > 0 for share in result.shares.values())
    by_id = {p["id"]: p for p in data["persons"]}
    assert all("died" not in by_id[holder] for holder in result.shares)
    for routes in result.routes.values():
        for route in routes:
            for decedent, recipient in route.successions:
                assert decedent not in by_id[recipient].get("renounced", [])
                assert decedent not in by_id[recipient].get("disqualified", [])
    assert set(result.administrators) == {h for h in result.shares if by_id[h].get("north_korea")}
    assert set(result.explain("ko")) == set(result.shares)
    assert parse_family(parse_family(data).as_json()) == parse_family(data)


def test_property_generator_reaches_customary_law_and_administrators():
    """Guards against a vacuous generator: customary successions and North Korean holders are computed."""
    seen: set[str] = set()

    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    @given(rich_families())
    def collect(data):
        try:
            result = heirs_from_json(data)
        except SuccessionError:
            return
        seen.add(result.regime)
        if result.administrators:
            seen.add("administrators")

    collect()
    assert {REGIME_CUSTOM, "administrators", REGIME_1979}.issubset(seen)
