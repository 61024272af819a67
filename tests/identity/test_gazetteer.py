"""Gazetteers: hometowns of 1914–1945 and today, employers of the forced-labour cases."""

import pytest

from baesang.identity.gazetteer import resolve_employer, resolve_place


@pytest.mark.parametrize(
    "written",
    [
        "全羅北道 金堤郡", "전라북도 김제군", "전북 김제시", "김제시",
        "Gimje, North Jeolla", "Gimje-gun", "전라북도김제군백구면",
    ],
)
def test_gimje_in_every_form(written):
    # 金堤 is read 김제 as a place name, not 금제 (the dictionary's first reading of 金).
    assert resolve_place(written).county == "전라북도/김제군"


def test_same_county_name_in_two_provinces():
    assert resolve_place("慶尙南道 固城郡").county == "경상남도/고성군"
    assert resolve_place("강원도 고성군").county == "강원도/고성군"
    assert resolve_place("고성군").province == ""  # ambiguous without its province


def test_todays_names_resolve_to_the_county_of_the_period():
    assert resolve_place("경상북도 포항시").county == "경상북도/영일군"
    assert resolve_place("평택시").county == "경기도/진위군"
    assert resolve_place("서울특별시").county == "경기도/경성부"


def test_province_only_and_unknown_places():
    assert resolve_place("경남").province == "경상남도"
    assert resolve_place("경남").county == ""
    unknown = resolve_place("어딘가")
    assert unknown.province == "" and unknown.county.startswith("?")
    assert resolve_place("").county == ""


@pytest.mark.parametrize(
    ("employer", "worksite"),
    [
        ("三菱重工業長崎造船所", ""),
        ("미쓰비시중공업", "나가사키조선소"),
        ("Mitsubishi Heavy Industries", "Nagasaki Shipyard"),
        ("三菱重工", "長崎"),
    ],
)
def test_mhi_nagasaki_in_every_language(employer, worksite):
    assert resolve_employer(employer, worksite).site == "mhi/nagasaki"


def test_old_and_new_character_forms_of_employers():
    assert resolve_employer("日本製鐵", "八幡製鐵所").site == resolve_employer("日本製鉄", "八幡製鉄所").site
    assert resolve_employer("三井鑛山", "三池炭鑛").site == "mitsui_mining/miike"
    assert resolve_employer("", "三池炭鉱").company == "mitsui_mining"
    assert resolve_employer("北海道炭礦汽船", "夕張").site == "hokutan/yubari"


def test_employers_named_in_the_cases():
    assert resolve_employer("不二越鋼材工業", "").company == "fujikoshi"
    assert resolve_employer("Fujikoshi", "Toyama").site == "fujikoshi/toyama"
    assert resolve_employer("西松組", "安野").site == "nishimatsu/yasuno"
    assert resolve_employer("新日鐵住金", "").company == "nippon_steel"


def test_unknown_employer_keeps_its_text():
    assert resolve_employer("Unknown Co", "").company == resolve_employer("unknown co", "").company
