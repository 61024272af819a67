"""Name search keys: Hangul, Hanja and romanized forms of a Korean name find the same person.

Names are pseudonymous (common surnames and given-name syllables). Reference
romanizations follow the Revised Romanization (Ministry of Culture and Tourism notice
2000-8) syllable by syllable, and McCune–Reischauer for the older spellings.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from baesang.pii import names
from baesang.pii.names import (
    SURNAME_HANJA,
    SURNAME_SPELLINGS,
    keys_text,
    match_rank,
    name_keys,
    name_matches,
    query_fragments,
    romanize,
    romanize_name,
    search_keys_for,
)

ISSUE_EXAMPLES = ["박순이", "Park Sun-i", "Pak Suni", "Bak Suni", "PARK SUNI"]


@pytest.mark.parametrize("query", ISSUE_EXAMPLES)
@pytest.mark.parametrize("stored", ISSUE_EXAMPLES)
def test_the_issue_examples_all_match_each_other(query, stored):
    keys = search_keys_for(hangul=stored) if names._script(stored) == "hangul" else search_keys_for(
        hangul="", roman=stored)
    assert match_rank(query, keys) == 2  # a strict match, not only a loose one


def test_keys_of_the_issue_example():
    keys = search_keys_for(hangul="박순이", hanja="朴順伊", roman="Park Sun-i")
    assert keys == ["bag:suni", "bag:順伊", "~bag~soni"]
    assert keys_text(keys) == "|bag:suni|bag:順伊|~bag~soni|"
    assert keys_text([]) == ""
    assert query_fragments("Park Sun-i") == ["|bag:suni|", "|~bag~soni|"]
    assert query_fragments("Park Sun-i", loose=False) == ["|bag:suni|"]


# Each row: the Hangul name, then spellings people actually write (passport, MR, informal).
SPELLINGS = [
    ("이영호", ["Lee Young-ho", "Yi Yŏngho", "Rhee Yeong-ho", "I Yeongho", "LEE YOUNGHO", "Youngho Lee"]),
    ("최정훈", ["Choi Jung-hoon", "Ch'oe Chŏnghun", "Choe Jeonghun", "Chwe Jeong-hun"]),
    ("정현우", ["Jeong Hyeonu", "Chung Hyun-woo", "Jung Hyunwoo", "Chŏng Hyŏnu"]),
    ("김대중", ["Kim Dae-jung", "Kim Taejung", "Gim Daejung", "Kim Dae Jung"]),
    ("윤봉길", ["Yun Bong-gil", "Yoon Bong-kil", "Youn Bongkil"]),
    ("안중근", ["Ahn Jung-geun", "An Chunggŭn", "An Junggeun"]),
    ("유관순", ["Yu Gwan-sun", "Ryu Kwan-soon", "Yoo Kwansun", "Ryu Gwansun"]),
    ("류관순", ["Yu Gwan-sun", "Ryu Kwan-soon"]),  # 류 is written 유 in the South (두음법칙)
    ("강경숙", ["Kang Kyung-sook", "Kahng Kyungsook", "Gang Gyeongsuk", "Kang Kyŏngsuk"]),
    ("남궁민수", ["Namgung Minsu", "Namkoong Min-soo", "Nam-gung Min-su"]),
    ("황보영자", ["Hwangbo Young-ja", "Whangbo Yeongja"]),
    ("조말순", ["Cho Mal-soon", "Jo Malsun", "Cho Malsun"]),
    ("장복례", ["Jang Bok-rye", "Chang Pok-rye", "Jang Boklye"]),
    ("임금순", ["Lim Keum-soon", "Im Geumsun", "Rim Kŭmsun", "Yim Keum-sun"]),
    ("한옥분", ["Han Ok-bun", "Hahn Okpun"]),
    ("오순덕", ["O Sundeok", "Oh Sun-deok", "Oh Soon-deok", "O Sundŏk"]),
    ("서말자", ["Seo Mal-ja", "Suh Malja", "Sŏ Malcha"]),
    ("신영희", ["Shin Young-hee", "Sin Yeonghui", "Shin Yŏng-hŭi"]),
    ("권태식", ["Kwon Tae-sik", "Gwon Taesik", "Kwŏn T'aesik"]),
    ("황금주", ["Hwang Keum-ju", "Hwang Geumju", "Whang Kumju"]),
    ("송정자", ["Song Jeong-ja", "Song Chŏngja", "Song Jungja"]),
    ("홍길동", ["Hong Gil-dong", "Hong Kil-tong", "Hong Kildong"]),
    ("전봉준", ["Jeon Bong-jun", "Chun Bong-joon", "Chŏn Pongjun"]),
    ("고순남", ["Ko Soon-nam", "Go Sunnam", "Koh Sun-nam"]),
    ("문명숙", ["Moon Myung-sook", "Mun Myeongsuk"]),
    ("양금덕", ["Yang Geum-deok", "Yang Keum-deok", "Yang Kŭmdŏk"]),
    ("손정희", ["Sohn Jung-hee", "Son Jeonghui"]),
    ("배춘자", ["Bae Chun-ja", "Pae Ch'unja"]),
    ("백영순", ["Baek Young-soon", "Paik Yeongsun", "Paek Yŏngsun"]),
    ("허복순", ["Heo Bok-soon", "Huh Boksun", "Hur Pok-sun"]),
    ("노상철", ["Noh Sang-cheol", "Roh Sangcheol", "No Sangch'ŏl"]),
    ("곽순례", ["Kwak Soon-rye", "Gwak Sunrye"]),
    ("성금례", ["Sung Keum-rye", "Seong Geumrye"]),
    ("최희순", ["Choi Hee-soon", "Choe Huisun"]),
    ("선우진", ["Sunwoo Jin", "Seonu Jin"]),
    ("제갈명", ["Jegal Myeong", "Chegal Myung"]),
    ("이춘식", ["Lee Choon-sik", "Yi Ch'unsik", "I Chunsik"]),
    ("김성주", ["Kim Sung-joo", "Kim Seongju", "Gim Sŏngju"]),
]


@pytest.mark.parametrize(("hangul", "spellings"), SPELLINGS, ids=[row[0] for row in SPELLINGS])
def test_spellings_find_the_hangul_name_and_each_other(hangul, spellings):
    keys = search_keys_for(hangul=hangul)
    for spelling in spellings:
        assert name_matches(spelling, keys), (spelling, sorted(name_keys(spelling)), keys)
        assert name_matches(hangul, search_keys_for(hangul="", roman=spelling)), spelling
    for first in spellings:
        for second in spellings:
            assert name_matches(first, search_keys_for(hangul="", roman=second)), (first, second)


@pytest.mark.parametrize(("stored", "query"), [
    ("박순이", "Kim Suni"),  # another surname
    ("박순이", "Park Sunok"),  # another given name
    ("이영호", "Lee Young-hee"),  # 영호 / 영희
    ("김대중", "Kim Dae-ho"),
    ("최정훈", "Choi Jung-min"),
    ("유관순", "Yang Kwan-soon"),
    ("남궁민수", "Nam Minsu"),
])
def test_different_people_do_not_match(stored, query):
    assert not name_matches(query, search_keys_for(hangul=stored))


@pytest.mark.parametrize(("stored", "query"), [
    ("노상철", "Noh Sang-chul"),  # ㅓ written u: 철 Chul
    ("오순덕", "Oh Soon-duk"),  # 덕 Duk
    ("양금덕", "Yang Keum-duk"),
    ("김석범", "Kim Suk-bum"),  # 석 Suk, 범 Bum
    ("박순이", "박선이"),  # the price: 순 and 선 meet in the loose class
])
def test_loose_matches_rank_below_strict_ones(stored, query):
    keys = search_keys_for(hangul=stored)
    assert match_rank(query, keys) == 1
    assert name_matches(query, keys)
    assert not any(fragment in keys_text(keys) for fragment in query_fragments(query, loose=False))


def test_hanja_forms():
    keys = search_keys_for(hangul="박순이", hanja="朴順伊")
    assert name_matches("朴順伊", keys)
    assert name_matches("朴 順伊", keys)
    assert name_matches("朴순이", keys)  # Hanja surname with a Hangul given name
    assert not name_matches("朴順子", keys)
    # Without a stored Hanja form, a Hanja given name cannot be read: no match.
    assert not name_matches("朴順伊", search_keys_for(hangul="박순이"))
    # A surname Hanja in the table reads as its Hangul surname; compound surnames too.
    assert name_matches("南宮민수", search_keys_for(hangul="남궁민수"))
    assert name_keys("李영호") == name_keys("이영호")
    # A compatibility ideograph (U+F9E1) is the same character as 李 (U+674E) after NFC.
    assert name_keys("\uf9e1영호") == name_keys("이영호")


def test_surname_only_and_given_name_only_queries():
    keys = search_keys_for(hangul="박순이")
    assert query_fragments("Park") == ["|bag:"]
    for query in ("Park", "PAK", "박", "朴", "Suni", "순이"):
        assert name_matches(query, keys), query
    assert not name_matches("Kim", keys)
    assert not name_matches("Sunok", keys)


def test_western_order_and_run_together_names():
    keys = search_keys_for(hangul="박순이")
    assert name_matches("Suni Park", keys)
    assert name_matches("Sun-i Pak", keys)
    assert name_matches("Park, Suni", keys)
    assert name_matches("ParkSuni", keys)
    assert name_matches("  park   sun - i ", keys)


def test_aliases_separated_by_semicolons():
    keys = search_keys_for(hangul="김복순; 金子", roman="Kim Bok-soon; Bokshun Kim")
    assert name_matches("Gim Boksun", keys) and name_matches("Kim Bokshun", keys)


def test_empty_and_odd_queries():
    keys = search_keys_for(hangul="박순이")
    for query in ("", "   ", "-", "123", "!!"):
        assert not name_matches(query, keys), query
    assert search_keys_for(hangul="") == []
    assert not name_matches("Park Suni", [])


def test_revised_romanization_of_syllables():
    # RR notice 2000-8: 박 Bak, 순 sun, 이 i, 림 rim, 별 byeol, ㄹㄹ → ll, 희 hui, 꽃 kkot
    assert romanize("박순이") == "baksuni"
    assert romanize("별래") == "byeollae"
    assert romanize("희") == "hui"
    assert romanize("꽃님") == "kkotnim"
    assert romanize("한 Kim") == "han Kim"
    assert romanize_name("박순이") == "Bak Suni"
    assert romanize_name("이영호") == "I Yeongho"  # the RR spelling; passports often use Lee
    assert romanize_name("류관순") == "Yu Gwansun"  # 류 → 유 (initial-sound law)
    assert romanize_name("남궁민수") == "Namgung Minsu"
    assert romanize_name("") == ""


def test_jamo_arithmetic_round_trips_every_syllable():
    for code in range(names.HANGUL_FIRST, names.HANGUL_LAST + 1):
        assert names.compose(*names.decompose(chr(code))) == chr(code)
    assert names.decompose("가") == (0, 0, 0)
    assert names.decompose("힣") == (18, 20, 27)


def test_surname_table_is_consistent_with_romanization():
    # Every listed spelling of a surname, and its RR spelling, leads to that surname's key.
    for hangul, spellings in SURNAME_SPELLINGS.items():
        for spelling in [*spellings.split(), romanize(names.initial_sound_law(hangul))]:
            assert names._surname_key_of(spelling) == names.surname_key(hangul), (hangul, spelling)
    for hanja, hangul in SURNAME_HANJA.items():
        assert names._surname_key_of(hanja) == names.surname_key(hangul)


REAL_SURNAMES = sorted(set(SURNAME_SPELLINGS) | set(SURNAME_HANJA.values()))
syllables = st.integers(names.HANGUL_FIRST, names.HANGUL_LAST).map(chr)
hangul_names = st.tuples(st.sampled_from(REAL_SURNAMES), st.lists(syllables, min_size=1, max_size=3)).map(
    lambda parts: parts[0] + "".join(parts[1]))


@settings(max_examples=300, deadline=None)
@given(hangul_names)
def test_romanizing_then_keying_equals_keying_the_hangul(name):
    romanized = romanize_name(name)
    assert name_keys(name) & name_keys(romanized), (name, romanized)
    assert name_matches(romanized, search_keys_for(hangul=name))
    assert name_matches(name, search_keys_for(hangul="", roman=romanized))


@settings(max_examples=200, deadline=None)
@given(hangul_names, st.sampled_from(["-", " ", "'", ""]), st.booleans())
def test_keys_ignore_case_and_separators_between_syllables(name, separator, upper):
    surname, given_name = names._hangul_splits(name)[-1]
    parts = [romanize(syllable) for syllable in given_name]
    romanized = f"{romanize(names.initial_sound_law(surname))} {separator.join(parts)}"
    if upper:
        romanized = romanized.upper()
    assert name_matches(romanized, search_keys_for(hangul=name)), (name, romanized)
