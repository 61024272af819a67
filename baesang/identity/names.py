"""Personal names of victims: split, read and reduced to comparison keys.

A name arrives in Hangul (박순이), Hanja/kanji (朴順伊), or Latin letters in either
order and any romanization (``Park Sun-i``, ``PAK SUNI``, ``Young Soo Kim``). Rules:

- Split into surname and given name. Korean surnames are one syllable except a short
  list of two-syllable ones (남궁, 제갈, 황보, 선우, 독고, 서문, 사공, 동방 …).
- A surname's key is its Hangul form after the initial-sound rule (두음법칙), so that
  李/리/이/Lee/Yi/Rhee, 柳/류/유/Ryu/Yoo and 林/림/임/Lim/Im each give one key; Hanja
  surnames read by their conventional surname reading (金 → 김, not 금).
- A given name's key is its romanization reduced by ``text.latin_key`` (Revised,
  McCune–Reischauer and passport spellings give one key).
- Japanese-style names (창씨명, forced on Koreans by the 1939 Ordinance amending the
  Korean Civil Matters Order, in force 1940): a two-character kanji surname that is not
  a Korean double surname (金本, 新井, 松本 …), or a known Japanese-style surname in
  Latin letters or kana. Its surname says nothing about the Korean surname, so its
  surname key is empty: the surname neither matches nor vetoes. The given name may be
  the kept Korean one, read by its Hanja (金本正雄 → 정웅, as for 김정웅).
This module imports nothing from Django.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from baesang.identity.text import (
    SCRIPT_HANGUL,
    SCRIPT_HANJA,
    SCRIPT_KANA,
    SCRIPT_LATIN,
    hanja_reading,
    initial_sound_rule,
    latin_key,
    normalise_forms,
    romanize_hangul,
    script_of,
)

__all__ = [
    "ParsedName", "given_key", "is_japanese_style_surname", "other_split", "parse_name", "split_name", "surname_key",
]

KOREAN_DOUBLE_SURNAMES = {"남궁", "제갈", "황보", "선우", "독고", "서문", "사공", "동방", "망절", "어금"}
KOREAN_DOUBLE_SURNAMES_HANJA = {"南宮", "諸葛", "皇甫", "鮮于", "獨孤", "西門", "司空", "東方"}

# Surnames whose Hanja reading as a surname differs from the dictionary's first reading.
_SURNAME_HANJA_READINGS = {"金": "김", "李": "이", "柳": "유", "林": "임", "盧": "노", "羅": "나", "梁": "양",
                           "呂": "여", "龍": "용", "廉": "염", "陸": "육", "劉": "유", "兪": "유", "樂": "악",
                           "卜": "복", "車": "차", "宋": "송", "沈": "심", "朴": "박", "吳": "오", "石": "석"}

# Romanized surnames (Revised, McCune–Reischauer, passport spellings) → Hangul.
_SURNAME_ROMAN = """
김 kim gim kimm | 이 lee yi rhee rhie li ri ee i lie yee rie | 박 park pak bak bahk paek_ | 최 choi choe chwe choy
정 jung jeong chung chong cheong jong joung jeung | 강 kang gang kahng | 조 cho jo joe chough | 윤 yoon yun youn
장 jang chang jhang | 임 lim im rim yim | 한 han hahn | 오 oh o | 서 seo suh so seoh | 신 shin sin shinn
권 kwon gwon kwun kweon | 황 hwang whang | 안 ahn an ann | 송 song soung | 유 yoo yu ryu you yoo ryoo rew lyu yuh
홍 hong houng | 전 jeon jun chun chon jon cheon | 고 ko koh go goh | 문 moon mun mun | 양 yang ryang
손 son sohn shon | 배 bae pae bai | 백 baek paek baik back paik | 허 heo hur huh ho heoh | 남 nam nahm
노 noh roh no ro nho | 하 ha hah | 곽 kwak gwak kwack | 성 sung seong song_ | 차 cha char
주 joo ju chu choo_ | 우 woo u wu | 구 koo ku gu goo | 민 min | 나 na ra rah nah | 진 jin chin
지 ji chi jee | 엄 eom um uhm ohm | 채 chae chai | 원 won weon | 천 cheon chun_ | 방 bang pang
공 kong gong | 현 hyun hyeon hyon | 함 ham hahm | 변 byun byeon pyon byon | 염 yeom yum yeum yom
여 yeo yoh yo_ | 추 chu_ choo | 도 do doh to | 소 so_ soh | 석 seok suk sok | 선 sun seon son_
설 seol sul sol | 마 ma | 길 gil kil | 연 yeon yon youn_ | 위 wi wee | 표 pyo pyoh | 명 myung myeong myong
기 ki gi kee | 반 ban pan | 왕 wang | 금 geum kum keum | 옥 ok ock | 육 yuk yook ryuk | 인 in
맹 maeng meng | 제 je che jae | 모 mo mo | 탁 tak tahk | 국 guk kook kuk | 남궁 namgung namkung
제갈 jegal chegal | 황보 hwangbo hwangpo | 선우 sunwoo seonu sonu | 독고 dokgo tokko | 사공 sagong sakong
"""
SURNAME_ROMANIZATIONS: dict[str, str] = {}
for _group in _SURNAME_ROMAN.replace("\n", "|").split("|"):
    if not _group.strip():
        continue
    _hangul, *_spellings = _group.split()
    for _spelling in _spellings:
        if not _spelling.endswith("_"):  # a trailing _ marks a spelling kept by another surname
            SURNAME_ROMANIZATIONS.setdefault(_spelling, _hangul)

# Japanese-style surnames (창씨명) seen in the rosters, in Latin letters; kanji ones are
# recognised by their form (two characters, not a Korean double surname).
JAPANESE_STYLE_SURNAMES_LATIN = {
    "kanemoto", "kaneyama", "kanemura", "kaneda", "kanekawa", "kanemitsu", "kanehara", "kaneshiro",
    "arai", "matsumoto", "iwamoto", "miyamoto", "yasumoto", "kunimoto", "yamamoto", "yasuda", "kimura",
    "oyama", "takayama", "hirayama", "aoki", "nishihara", "yoshida", "kawamoto", "takeda", "okamoto",
    "tokuyama", "morimoto", "harada", "shimizu", "kiyohara", "hayashi", "nakamura", "tanaka", "yamada",
    "matsuyama", "kawamura", "hiramatsu", "takemoto", "kuniyoshi", "tamura", "kaneko", "iwata",
    "takamura", "nagayama", "ohara", "kinoshita", "yamaguchi", "inoue", "kanai", "yamashita", "hoshino",
}


# Endings of Japanese surnames in Latin letters (Kanemoto, Kaneyama, Arai, Matsuda …), for
# surnames in neither list above; Korean surnames are one or two syllables and never end so.
_JAPANESE_SURNAME_LATIN = re.compile(
    r"^[a-z]{2,}(moto|yama|mura|kawa|gawa|hara|bara|shita|zawa|sawa|saki|zaki|oka|shima|jima|mori|guchi|bayashi"
    r"|hashi|uchi|[aeiou][dt]a|[aeiou]no)$"
)
# Second characters of two-character Japanese-style surnames (金本, 金山, 金田, 新井 …): a
# three-character kanji name with one of these second is read 2 + 1 (金山勇).
_JAPANESE_SECOND_CHARACTERS = set("本山田村川井島野岡谷澤宮藤森")


@dataclass(frozen=True)
class ParsedName:
    """A name split and reduced: the fields the comparison model reads."""

    surname: str  # as written
    given: str  # as written
    surname_key: str  # Hangul after 두음법칙, or "" (unknown or Japanese-style)
    given_key: str  # reduced romanization, or ""
    given_hangul: str  # Hangul reading of the given name where known, or ""
    japanese_style: bool
    # The other reading of a romanized name whose two ends are both surnames
    # ("Jong Hak Koo": 정학구 or 구종학), or "" when the order is clear.
    surname_alt_key: str = ""
    given_alt_key: str = ""


def _tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[\s,·・]+", text) if t]


@lru_cache(maxsize=262144)
def is_japanese_style_surname(surname: str) -> bool:
    """Whether ``surname`` (as written) is a Japanese-style surname (창씨)."""
    surname = normalise_forms(surname)
    script = script_of(surname)
    if script == SCRIPT_HANJA:
        return len(surname) >= 2 and surname not in KOREAN_DOUBLE_SURNAMES_HANJA
    if script == SCRIPT_KANA:
        return True
    if script == SCRIPT_HANGUL:  # 가네모토: a Japanese surname written in Hangul
        return len(surname) >= 3 or (len(surname) == 2 and surname not in KOREAN_DOUBLE_SURNAMES)
    if script == SCRIPT_LATIN:
        token = surname.lower().replace("-", "")
        if token in JAPANESE_STYLE_SURNAMES_LATIN:
            return True
        return token not in SURNAME_ROMANIZATIONS and bool(_JAPANESE_SURNAME_LATIN.search(token))
    return False


def _split_cjk(text: str, script: str) -> tuple[str, str]:
    parts = _tokens(text)
    if len(parts) >= 2:
        return parts[0], "".join(parts[1:])
    word = parts[0] if parts else ""
    if len(word) <= 1:
        return word, ""
    doubles = KOREAN_DOUBLE_SURNAMES if script == SCRIPT_HANGUL else KOREAN_DOUBLE_SURNAMES_HANJA
    if word[:2] in doubles and len(word) >= 3:
        return word[:2], word[2:]
    if script == SCRIPT_HANJA and len(word) >= 4:
        return word[:2], word[2:]  # 金本正雄: a Japanese-style surname of two characters
    if script == SCRIPT_HANJA and len(word) == 3 and word[1] in _JAPANESE_SECOND_CHARACTERS:
        return word[:2], word[2:]  # 金山勇
    return word[:1], word[1:]


def _is_known_latin_surname(token: str) -> bool:
    token = token.lower().replace("-", "")
    return token in SURNAME_ROMANIZATIONS or is_japanese_style_surname(token)


def _split_latin(text: str) -> tuple[str, str]:
    if "," in text:  # "Kim, Young Soo"
        head, _, tail = text.partition(",")
        return head.strip(), tail.strip()
    parts = _tokens(text)
    if len(parts) == 1:
        return parts[0], ""
    first_known, last_known = _is_known_latin_surname(parts[0]), _is_known_latin_surname(parts[-1])
    if last_known and not first_known:
        return parts[-1], " ".join(parts[:-1])
    if first_known and not last_known:
        return parts[0], " ".join(parts[1:])
    # Both or neither known: an all-capital token is the surname (``Young-soo KIM``), else Korean order.
    if parts[-1].isupper() and not parts[0].isupper():
        return parts[-1], " ".join(parts[:-1])
    return parts[0], " ".join(parts[1:])


@lru_cache(maxsize=262144)
def other_split(text: str) -> tuple[str, str] | None:
    """For a romanized name whose first and last words are both surnames, the split in the
    order ``split_name`` did not choose; None when the order is clear."""
    text = normalise_forms(text)
    if script_of(text) != SCRIPT_LATIN or "," in text:
        return None
    parts = _tokens(text)
    if len(parts) < 2 or not (_is_known_latin_surname(parts[0]) and _is_known_latin_surname(parts[-1])):
        return None
    chosen = split_name(text)
    if chosen[0] == parts[0]:
        return parts[-1], " ".join(parts[:-1])
    return parts[0], " ".join(parts[1:])


@lru_cache(maxsize=262144)
def split_name(text: str) -> tuple[str, str]:
    """Surname and given name of ``text``, as written (any script, either order for Latin)."""
    text = normalise_forms(text)
    script = script_of(text)
    if script in (SCRIPT_HANGUL, SCRIPT_HANJA, SCRIPT_KANA):
        return _split_cjk(text, script)
    if script == SCRIPT_LATIN:
        return _split_latin(text)
    return "", ""


@lru_cache(maxsize=262144)
def surname_key(surname: str) -> str:
    """The comparison key of a surname: Hangul after 두음법칙; "" if unknown or Japanese-style."""
    surname = normalise_forms(surname).replace(" ", "")
    if not surname or is_japanese_style_surname(surname):
        return ""
    script = script_of(surname)
    if script == SCRIPT_HANGUL:
        return initial_sound_rule(surname)
    if script == SCRIPT_HANJA:
        if surname in _SURNAME_HANJA_READINGS:
            return initial_sound_rule(_SURNAME_HANJA_READINGS[surname])
        return initial_sound_rule(hanja_reading(surname))
    if script == SCRIPT_LATIN:
        token = surname.lower().replace("-", "")
        if token in SURNAME_ROMANIZATIONS:
            return initial_sound_rule(SURNAME_ROMANIZATIONS[token])
        return "~" + latin_key(token)  # an unknown romanized surname still compares with itself
    return ""


@lru_cache(maxsize=262144)
def given_hangul(given: str) -> str:
    """The Hangul reading of a given name written in Hangul or Hanja; "" otherwise."""
    given = normalise_forms(given).replace(" ", "")
    script = script_of(given)
    if script == SCRIPT_HANGUL:
        return given
    if script == SCRIPT_HANJA:
        return hanja_reading(given)
    return ""


@lru_cache(maxsize=262144)
def given_key(given: str) -> str:
    """The comparison key of a given name in any script: its reduced romanization."""
    given = normalise_forms(given)
    script = script_of(given)
    if script in (SCRIPT_HANGUL, SCRIPT_HANJA):
        return latin_key(romanize_hangul(given_hangul(given)))
    if script == SCRIPT_LATIN:
        return latin_key(given)
    return ""


@lru_cache(maxsize=262144)
def parse_name(name: str, reading: str = "") -> ParsedName:
    """Split and reduce a name; ``reading`` (the name in another script) fills gaps.

    The Hangul or Hanja form is preferred over a romanization for the keys, since it
    reads the same way in every record.
    """
    candidates = [n for n in (name, reading) if n and script_of(normalise_forms(n)) != "none"]
    if not candidates:
        return ParsedName("", "", "", "", "", False)

    def rank(text: str) -> int:
        return {SCRIPT_HANGUL: 0, SCRIPT_HANJA: 1, SCRIPT_LATIN: 2}.get(script_of(normalise_forms(text)), 3)

    best = min(candidates, key=rank)
    # A kana reading beside a Korean name is a reading, not a Japanese-style name.
    japanese = is_japanese_style_surname(split_name(best)[0]) or any(
        is_japanese_style_surname(split_name(n)[0]) for n in candidates if rank(n) < 3
    )
    surname, given = split_name(best)
    s_key = "" if japanese else surname_key(surname)
    g_key = given_key(given)
    if not s_key and not japanese:
        for other in candidates:
            s_key = surname_key(split_name(other)[0])
            if s_key:
                break
    if not g_key:
        for other in candidates:
            g_key = given_key(split_name(other)[1])
            if g_key:
                break
    g_hangul = ""
    for other in candidates:
        g_hangul = given_hangul(split_name(other)[1])
        if g_hangul:
            break
    s_alt, g_alt = "", ""
    alternative = other_split(best)
    if alternative and not japanese:
        s_alt, g_alt = surname_key(alternative[0]), given_key(alternative[1])
    return ParsedName(surname, given, s_key, g_key, g_hangul, japanese, s_alt, g_alt)
