"""Names: splitting in any script and order, surname readings, Japanese-style names."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from baesang.identity.names import (
    is_japanese_style_surname,
    parse_name,
    split_name,
    surname_key,
)


@pytest.mark.parametrize(
    ("name", "surname", "given"),
    [
        ("박순이", "박", "순이"),
        ("朴順伊", "朴", "順伊"),
        ("남궁민수", "남궁", "민수"),
        ("金本正雄", "金本", "正雄"),
        ("Park Sun-i", "Park", "Sun-i"),
        ("PAK SUNI", "PAK", "SUNI"),
        ("Young Soo Kim", "Kim", "Young Soo"),
        ("KIM YOUNGSOO", "KIM", "YOUNGSOO"),
        ("Kim, Young Soo", "Kim", "Young Soo"),
        ("Young-soo KIM", "KIM", "Young-soo"),
    ],
)
def test_split_name(name, surname, given):
    assert split_name(name) == (surname, given)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("李", "이"), ("이", "이"), ("리", "이"), ("Lee", "이"), ("Yi", "이"), ("Rhee", "이"),
        ("柳", "유"), ("류", "유"), ("유", "유"), ("Ryu", "유"), ("Yoo", "유"),
        ("林", "임"), ("Lim", "임"), ("金", "김"), ("Kim", "김"), ("Gim", "김"),
        ("朴", "박"), ("Park", "박"), ("Pak", "박"), ("Bak", "박"),
        ("崔", "최"), ("Choi", "최"), ("Choe", "최"), ("Hong", "홍"),
    ],
)
def test_surname_key_by_conventional_reading(written, key):
    assert surname_key(written) == key


def test_japanese_style_surnames_are_recognised():
    assert is_japanese_style_surname("金本")
    assert is_japanese_style_surname("新井")
    assert is_japanese_style_surname("Kanemoto")
    assert not is_japanese_style_surname("金")
    assert not is_japanese_style_surname("南宮")  # a Korean double surname
    assert not is_japanese_style_surname("Kim")


def test_japanese_style_name_neither_matches_nor_vetoes_on_surname():
    # 金本正雄 for someone born 김정웅: no surname key, the given name read 정웅.
    japanese = parse_name("金本正雄")
    korean = parse_name("김정웅")
    assert japanese.japanese_style and japanese.surname_key == ""
    assert japanese.given_hangul == "정웅"
    assert japanese.given_key == korean.given_key


@pytest.mark.parametrize(
    "spelling", ["박순이", "朴順伊", "Park Sun-i", "PAK SUNI", "Sun-i Park", "Bak Suni"],
)
def test_one_person_in_every_script_gives_one_key(spelling):
    parsed = parse_name(spelling)
    assert (parsed.surname_key, parsed.given_key) == ("박", parse_name("박순이").given_key)


def test_reading_fills_a_missing_hangul_given_name():
    parsed = parse_name("Park Sun-i", "박순이")
    assert parsed.given_hangul == "순이"


@given(st.text(max_size=12))
def test_parse_name_never_fails(text):
    parse_name(text)


def test_romanized_name_with_surnames_at_both_ends_keeps_the_other_order():
    from baesang.identity.names import other_split

    # "Jong Hak Koo": 정학구 (Korean order) or 구종학 (given name first).
    parsed = parse_name("Jong Hak Koo")
    assert (parsed.surname_key, parsed.surname_alt_key) == ("정", "구")
    assert parsed.given_alt_key == parse_name("구종학").given_key
    assert other_split("Kim Young Soo") is None


@pytest.mark.parametrize(
    ("name", "reading"),
    [("가네모토 마사오", ""), ("金山勇", ""), ("Masao Kanazawa", ""), ("KANEMOTO MASAO", "")],
)
def test_japanese_style_names_in_any_script(name, reading):
    parsed = parse_name(name, reading)
    assert parsed.japanese_style and parsed.surname_key == ""


def test_a_kana_reading_beside_a_korean_name_is_not_a_japanese_style_name():
    parsed = parse_name("김정웅", "キム ジョンウン")
    assert not parsed.japanese_style and parsed.surname_key == "김"


def test_korean_given_names_in_latin_are_not_taken_for_japanese_surnames():
    assert not is_japanese_style_surname("Suni")
    assert not is_japanese_style_surname("Yongmi")
    assert is_japanese_style_surname("Matsuda")
