"""The model's pure parts: clustering without conflicts, dominance of link pairs, settings."""

from baesang.identity.model import (
    BIRTH_DATE_M,
    COMPARISON_NAMES,
    Pair,
    consistent_pairs,
    dominant_pairs,
    model_settings,
)
from baesang.identity.records import PersonRecord, features_of


def _features(**records):
    return {rid: features_of(PersonRecord(id=rid, name="김정웅", **fields)) for rid, fields in records.items()}


def test_a_record_without_date_does_not_join_two_namesakes():
    # A and B: one name, full dates that no calendar, swap or slip explains; C has no date.
    features = _features(A={"birth_date": "1921-03-05"}, B={"birth_date": "1923-11-20"}, C={})
    pairs = [Pair("A", "C", 0.99, 10.0), Pair("B", "C", 0.98, 9.0), Pair("A", "B", 0.5, 1.0)]
    kept = consistent_pairs(pairs, features)
    assert [(p.left_id, p.right_id) for p in kept] == [("A", "C")]


def test_lunar_and_solar_dates_of_one_birth_do_not_conflict():
    # Lunar 1921-01-01 is solar 1921-02-08 (KARI tables).
    features = _features(A={"birth_date": "1921-01-01", "birth_calendar": "lunar"},
                         B={"birth_date": "1921-02-08", "birth_calendar": "solar"}, C={})
    pairs = [Pair("A", "C", 0.99, 10.0), Pair("B", "C", 0.98, 9.0)]
    assert len(consistent_pairs(pairs, features)) == 2


def test_different_sex_is_a_conflict():
    features = _features(A={"sex": "M"}, B={"sex": "F"}, C={})
    pairs = [Pair("A", "C", 0.99, 10.0), Pair("B", "C", 0.98, 9.0)]
    assert len(consistent_pairs(pairs, features)) == 1


def test_dominant_pairs_drop_a_far_weaker_candidate():
    pairs = [Pair("L1", "R1", 0.999, 20.0), Pair("L2", "R1", 0.9, 8.0), Pair("L3", "R1", 0.99, 17.0)]
    kept = dominant_pairs(pairs, margin=6.0)
    assert {(p.left_id, p.right_id) for p in kept} == {("L1", "R1"), ("L3", "R1")}


def test_settings_have_every_field_and_birth_date_m_adds_up():
    settings = model_settings("dedupe_only")
    names = [c.create_output_column_name() for c in settings.comparisons]
    assert tuple(names) == COMPARISON_NAMES
    assert abs(sum(BIRTH_DATE_M) - 1.0) < 1e-9
