"""Search keys for Korean personal names written in Hangul, Hanja or the Latin alphabet.

A creditor registered as ``박순이`` must be found by ``Park Sun-i``, ``Pak Suni`` (McCune–
Reischauer), ``Bak Suni`` (Revised Romanization), ``PARK SUNI`` and ``朴順伊`` (issue 6 §1).
The approach:

1. Hangul is romanized syllable by syllable with the Revised Romanization of Korean
   (국어의 로마자 표기법, Ministry of Culture and Tourism notice 2000-8, 2014-42): a syllable
   ``U+AC00 + (initial × 21 + medial) × 28 + final`` is split arithmetically and each jamo
   looked up. Personal names are written without sound changes (Art. 3(4)); a surname is
   written in its South Korean form (두음법칙, initial-sound law: 리 → 이, 류 → 유, 라 → 나).
2. That romanization and any Latin spelling typed by a person are reduced to the same loose
   phonetic key: letters only, diacritics and apostrophes dropped (ŏ → o, k' → k), vowel
   spellings merged (eo/ŏ → o, eu/ŭ → u, oo → u, ee → i, ae → e, oe/oi → we, ou → u,
   ``ung`` → ``ong``), plain and aspirated consonants merged (p/b, k/g, t/d, ch/j, sh/s,
   r/l), a silent ``h`` after a vowel dropped (Ahn, Kahng), doubled letters collapsed.
3. Surnames, whose spellings are conventional rather than phonetic (Park, Lee, Rhee, Choi,
   Jung, Yoon …), go through a table of known spellings to the Hangul surname first;
   common surname Hanja (朴 李 金 …) map to their Hangul reading.

A key is ``<surname key>:<given-name key>`` (``bag:suni``). Given names written in Hanja
cannot be read without a dictionary, so they are keyed as written (``bag:順伊``): a Hanja
query finds a person whose Hanja name is stored. The strict key already finds spelling
variants and so also a few different names (순/선 are kept apart, 성/송/승 are not).
Because ㅓ is also written ``u`` (Chul for 철, Duk for 덕), a second, loose key
``~<surname>~<given>`` puts ㅓ ㅗ ㅜ ㅡ in one class; it finds those spellings and also more
different names (순/선/손). :func:`match_rank` tells strict (2) from loose (1) matches so a
search lists strict matches first; staff choose among candidates shown in Hangul.

Use :func:`search_keys_for` when a person's names are saved (store :func:`keys_text` of the
result in a text column), :func:`query_fragments` to search that column with
``contains`` lookups, and :func:`name_matches` to test one person in Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# --- Revised Romanization of Hangul syllables -----------------------------------------------

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
MEDIALS = ("a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
           "yu", "eu", "ui", "i")
# Finals by their representative sound (RR Art. 2, note 2), in Unicode order:
# ㄱ ㄲ ㄳ ㄴ ㄵ ㄶ ㄷ ㄹ ㄺ ㄻ ㄼ ㄽ ㄾ ㄿ ㅀ ㅁ ㅂ ㅄ ㅅ ㅆ ㅇ ㅈ ㅊ ㅋ ㅌ ㅍ ㅎ
FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
          "ng", "t", "t", "k", "t", "p", "t")
_RIEUL_INITIAL, _NIEUN_INITIAL, _IEUNG_INITIAL = 5, 2, 11
_RIEUL_FINAL = 8
_I_OR_Y_MEDIALS = {2, 3, 6, 7, 12, 17, 20}  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ


def is_hangul_syllable(char: str) -> bool:
    return len(char) == 1 and HANGUL_FIRST <= ord(char) <= HANGUL_LAST


def decompose(syllable: str) -> tuple[int, int, int]:
    """The (initial, medial, final) indexes of one Hangul syllable."""
    code = ord(syllable) - HANGUL_FIRST
    return code // (21 * 28), (code // 28) % 21, code % 28


def compose(initial: int, medial: int, final: int = 0) -> str:
    return chr(HANGUL_FIRST + (initial * 21 + medial) * 28 + final)


def romanize(text: str) -> str:
    """Revised Romanization, syllable by syllable, without sound changes; other characters are kept.

    ``ㄹ`` is ``r`` before a vowel and ``l`` at the end of a syllable; ``ㄹㄹ`` is ``ll``.
    """
    out: list[str] = []
    previous_final = -1
    for char in unicodedata.normalize("NFC", text):
        if not is_hangul_syllable(char):
            out.append(char)
            previous_final = -1
            continue
        initial, medial, final = decompose(char)
        initial_text = INITIALS[initial]
        if initial == _RIEUL_INITIAL and previous_final == _RIEUL_FINAL:
            initial_text = "l"
        out.append(initial_text + MEDIALS[medial] + FINALS[final])
        previous_final = final
    return "".join(out)


def initial_sound_law(surname: str) -> str:
    """The South Korean form of a surname (두음법칙): 리 → 이, 류 → 유, 림 → 임, 라 → 나, 로 → 노, 녀 → 여."""
    if not surname or not is_hangul_syllable(surname[0]):
        return surname
    initial, medial, final = decompose(surname[0])
    if initial == _RIEUL_INITIAL:
        initial = _IEUNG_INITIAL if medial in _I_OR_Y_MEDIALS else _NIEUN_INITIAL
    elif initial == _NIEUN_INITIAL and medial in _I_OR_Y_MEDIALS:
        initial = _IEUNG_INITIAL
    return compose(initial, medial, final) + surname[1:]


# --- Surnames ---------------------------------------------------------------------------------

COMPOUND_SURNAMES = ("남궁", "황보", "제갈", "선우", "독고", "사공", "서문", "동방", "망절")

# Spellings of surnames seen in passports, the McCune–Reischauer system and common use
# (National Institute of Korean Language survey of surname romanization, 2009; the
# Ministry of Foreign Affairs passport guidance), letters only, lower case.
SURNAME_SPELLINGS: dict[str, str] = {
    "김": "kim gim ghim kym keem",
    "이": "lee yi rhee i li ri rhie ree leigh rhi yee",
    "박": "park pak bak bahk pahk bag bark parc",
    "최": "choi choe chwe choy chey tsoi",
    "정": "jung jeong chung cheong chong jong joung jeung",
    "강": "kang gang kahng khang",
    "조": "cho jo joe chough",
    "윤": "yoon yun youn yune",
    "장": "jang chang jahng zang chaing",
    "임": "lim im rim yim lym leem",
    "한": "han hahn hann",
    "오": "oh o",
    "서": "seo suh so sur seuh",
    "신": "shin sin shinn synn sheen",
    "권": "kwon gwon kweon kwun",
    "황": "hwang whang hoang hwong",
    "안": "ahn an ahan aan",
    "송": "song soung",
    "유": "yoo yu ryu you rhyu lyu ryoo yue",
    "홍": "hong houng",
    "전": "jeon jun chun chon cheon jeun jhun",
    "고": "ko go koh goh kho",
    "문": "moon mun mune",
    "양": "yang ryang",
    "손": "son sohn shon sone",
    "배": "bae bai pae bay bea",
    "백": "baek paek baik back paik baeg beak",
    "허": "heo huh hur her hoh",
    "남": "nam nahm",
    "노": "noh roh no ro rho nho",
    "하": "ha hah",
    "곽": "kwak gwak kwag kwack",
    "성": "sung seong soung seoung",
    "차": "cha char chah",
    "주": "joo ju chu choo jew",
    "우": "woo wu u",
    "구": "koo ku gu goo",
    "민": "min mihn",
    "진": "jin chin jinn",
    "나": "na ra rha nah",
    "지": "ji chi jee jhi",
    "엄": "eom um uhm oum ohm",
    "채": "chae chai che",
    "원": "won weon one",
    "천": "cheon chun chon",
    "방": "bang pang",
    "공": "kong gong",
    "현": "hyun hyeon hyon",
    "함": "ham hahm",
    "변": "byun byeon pyun pyon byon",
    "염": "yeom yum youm yeum",
    "여": "yeo yo yuh yeoh",
    "추": "choo chu chou",
    "도": "do doh toh to",
    "소": "so soh",
    "석": "seok suk sok seock",
    "선": "sun seon sunn",
    "설": "seol sul sol",
    "마": "ma mah",
    "길": "gil kil",
    "연": "yeon yeun",
    "위": "wi wee we",
    "표": "pyo pyoh",
    "명": "myung myeong myoung",
    "기": "ki gi key kee",
    "반": "ban pan",
    "왕": "wang",
    "금": "keum kum geum kuem",
    "옥": "ok ock ohk",
    "육": "yuk yook yug",
    "인": "in yin",
    "맹": "maeng meng",
    "제": "je jae che",
    "모": "mo moh",
    "탁": "tak tahk",
    "국": "kook guk kuk",
    "어": "eo uh",
    "은": "eun un",
    "편": "pyeon pyun",
    "용": "yong yeong",
    "예": "ye yea",
    "경": "kyung gyeong kyeong",
    "봉": "bong pong",
    "심": "shim sim seem",
    "목": "mok mock",
    "남궁": "namgung namkung namkoong namgoong",
    "황보": "hwangbo hwangpo whangbo",
    "제갈": "jegal chegal jekal",
    "선우": "sunwoo seonu seonwoo sunwu",
    "독고": "dokgo tokko dokko",
    "사공": "sagong sakong",
    "서문": "seomun suhmoon seomoon",
}

# Hanja of common surnames and their Hangul reading (South Korean form).
SURNAME_HANJA: dict[str, str] = {
    "金": "김", "李": "이", "朴": "박", "崔": "최", "鄭": "정", "丁": "정", "程": "정", "姜": "강", "康": "강",
    "江": "강", "趙": "조", "曺": "조", "曹": "조", "尹": "윤", "張": "장", "蔣": "장", "章": "장", "林": "임",
    "任": "임", "韓": "한", "吳": "오", "呉": "오", "徐": "서", "申": "신", "辛": "신", "愼": "신", "權": "권",
    "黃": "황", "安": "안", "宋": "송", "柳": "유", "劉": "유", "兪": "유", "庾": "유", "洪": "홍", "全": "전",
    "田": "전", "錢": "전", "高": "고", "文": "문", "梁": "양", "楊": "양", "孫": "손", "裵": "배", "裴": "배",
    "白": "백", "許": "허", "南": "남", "盧": "노", "魯": "노", "河": "하", "郭": "곽", "成": "성", "車": "차",
    "朱": "주", "周": "주", "禹": "우", "具": "구", "丘": "구", "閔": "민", "陳": "진", "秦": "진", "羅": "나",
    "池": "지", "嚴": "엄", "蔡": "채", "元": "원", "千": "천", "方": "방", "孔": "공", "玄": "현", "咸": "함",
    "卞": "변", "邊": "변", "廉": "염", "呂": "여", "余": "여", "秋": "추", "都": "도", "蘇": "소", "石": "석",
    "宣": "선", "薛": "설", "馬": "마", "吉": "길", "延": "연", "魏": "위", "表": "표", "明": "명", "奇": "기",
    "潘": "반", "王": "왕", "琴": "금", "玉": "옥", "陸": "육", "印": "인", "孟": "맹", "諸": "제", "牟": "모",
    "卓": "탁", "鞠": "국", "魚": "어", "殷": "은", "片": "편", "龍": "용", "芮": "예", "慶": "경", "奉": "봉",
    "睦": "목", "韋": "위", "沈": "심",
    "南宮": "남궁", "皇甫": "황보", "諸葛": "제갈", "鮮于": "선우", "獨孤": "독고", "司空": "사공", "西門": "서문",
}
COMPOUND_SURNAME_HANJA = tuple(h for h in SURNAME_HANJA if len(h) == 2)


def _letters(text: str) -> str:
    """Lower-case a–z only: diacritics (ŏ ŭ é), apostrophes, hyphens and spaces dropped."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed.lower() if "a" <= ch <= "z")


_VOWELS = re.compile("oung|eui|eo|eu|ae|oe|oi|ui|ee|oo|ou")
_VOWEL_MAP = {"oung": "ong", "eui": "i", "eo": "o", "eu": "u", "ae": "e", "oe": "we", "oi": "we", "ui": "i",
              "ee": "i", "oo": "u", "ou": "u"}
_CONSONANTS = re.compile("tch|ch|sh|ph|[pkcqtfvzrx]")
_CONSONANT_MAP = {"tch": "j", "ch": "j", "sh": "s", "ph": "b", "p": "b", "k": "g", "c": "g", "q": "g", "t": "d",
                  "f": "b", "v": "b", "z": "j", "r": "l", "x": "s"}
_SILENT_H = re.compile(r"(?<=[aeiou])h(?![aeiouwy])")
_DOUBLE = re.compile(r"(.)\1+")


def phonetic_key(text: str) -> str:
    """The loose phonetic key of a romanized (or typed) Korean name part: ``Sun-i`` → ``suni``."""
    key = _letters(text)
    key = _VOWELS.sub(lambda m: _VOWEL_MAP[m.group(0)], key)
    key = key.replace("wu", "u")  # 우 Woo/U, 현우 Hyun-woo/Hyeonu
    key = key.replace("ung", "ong")  # 정 Jung/Jeong, 성 Sung/Seong, 영 Young/Yeong, 경 Kyung/Gyeong
    key = re.sub(r"(?<=[bcdfghjklmnpqrstvxz])yun", "yon", key)  # 현 Hyun/Hyeon, 변 Byun/Byeon
    key = _CONSONANTS.sub(lambda m: _CONSONANT_MAP[m.group(0)], key)
    key = _SILENT_H.sub("", key)
    return _DOUBLE.sub(r"\1", key)


def surname_key(hangul_surname: str) -> str:
    """The key of a Hangul surname: its South Korean form, romanized, reduced."""
    return phonetic_key(romanize(initial_sound_law(hangul_surname)))


_SPELLING_TO_SURNAME: dict[str, str] = {}
for _hangul, _spellings in SURNAME_SPELLINGS.items():
    for _spelling in (*_spellings.split(), _letters(romanize(initial_sound_law(_hangul)))):
        _SPELLING_TO_SURNAME.setdefault(_spelling, _hangul)


def latin_surname(token: str) -> str | None:
    """The Hangul surname that a Latin spelling stands for (``Rhee`` → ``이``), if known."""
    return _SPELLING_TO_SURNAME.get(_letters(token))


# --- Parsing names into (surname, given name) ------------------------------------------------

_TOKEN_SPLIT = re.compile(r"[\s,;/·・]+")


def _is_hanja(char: str) -> bool:
    return unicodedata.name(char, "").startswith("CJK ") and not is_hangul_syllable(char)


def _hangul_splits(name: str) -> list[tuple[str, str]]:
    words = name.split()
    if len(words) > 1:
        return [(words[0], "".join(words[1:]))]
    word = words[0] if words else ""
    splits: list[tuple[str, str]] = []
    if len(word) >= 3 and word[:2] in COMPOUND_SURNAMES:
        splits.append((word[:2], word[2:]))
    if word:
        splits.append((word[0], word[1:]))
    return splits


def _given_key(given: str) -> str:
    """Hangul given names are romanized and reduced; Hanja is kept as written; Latin is reduced."""
    given = unicodedata.normalize("NFKC", "".join(given.split()))
    if given and all(_is_hanja(ch) for ch in given):
        return given
    return phonetic_key(romanize(given))


def _surname_key_of(surname: str) -> str:
    surname = unicodedata.normalize("NFKC", surname.strip())
    if surname in SURNAME_HANJA:
        return surname_key(SURNAME_HANJA[surname])
    if surname and all(is_hangul_syllable(ch) for ch in surname):
        return surname_key(surname)
    if surname and all(_is_hanja(ch) for ch in surname):
        return surname  # a surname Hanja outside the table is keyed as written
    hangul = latin_surname(surname)
    return surname_key(hangul) if hangul else phonetic_key(surname)


def _script(text: str) -> str:
    for ch in text:
        if is_hangul_syllable(ch):
            return "hangul"
        if _is_hanja(ch):
            return "hanja"
    return "latin"


def _hanja_splits(name: str) -> list[tuple[str, str]]:
    words = name.split()
    if len(words) > 1:
        return [(words[0], "".join(words[1:]))]
    word = words[0] if words else ""
    splits: list[tuple[str, str]] = []
    if len(word) >= 3 and word[:2] in COMPOUND_SURNAME_HANJA:
        splits.append((word[:2], word[2:]))
    if word:
        splits.append((word[0], word[1:]))
    return splits


def _latin_splits(name: str) -> list[tuple[str, str]]:
    """Surname first (``Park Sun-i``, ``Park, Suni``) or last (``Suni Park``) when it is a known surname."""
    if "," in name:
        surname, _, given = name.partition(",")
        return [(surname, given)]
    tokens = [t for t in _TOKEN_SPLIT.split(name) if _letters(t)]
    if not tokens:
        return []
    if len(tokens) == 1:
        token = _letters(tokens[0])
        splits = []
        for length in range(min(len(token) - 2, 8), 0, -1):  # Parksuni → Park + suni
            if token[:length] in _SPELLING_TO_SURNAME:
                splits.append((token[:length], token[length:]))
        return splits
    splits = [(tokens[0], "".join(tokens[1:]))]
    if latin_surname(tokens[-1]) is not None:
        splits.append((tokens[-1], "".join(tokens[:-1])))
    return splits


def _splits(name: str) -> list[tuple[str, str]]:
    name = unicodedata.normalize("NFKC", name).strip()
    script = _script(name)
    if script == "hangul":
        if name and _is_hanja(name[0]):  # 朴순이: Hanja surname, Hangul given name
            return _hanja_splits(name)
        return _hangul_splits(name)
    if script == "hanja":
        return _hanja_splits(name)
    return _latin_splits(name)


def name_keys(name: str) -> set[str]:
    """The strict keys of one written form of a name (Hangul, Hanja, Latin, or Hanja surname + Hangul)."""
    keys = set()
    for surname, given in _splits(name):
        surname_part, given_part = _surname_key_of(surname), _given_key(given)
        if surname_part and given_part:
            keys.add(f"{surname_part}:{given_part}")
    return keys


def _loose(part: str) -> str:
    """The back vowels ㅓ ㅗ ㅜ ㅡ in one class: ``Sang-chul``/``Sangcheol``, ``Soon-duk``/``Sundeok``."""
    return part.replace("u", "o")


def loose_keys(strict: Iterable[str]) -> set[str]:
    """``bag:suni`` → ``~bag~soni``; Hanja given names have no loose key."""
    keys = set()
    for key in strict:
        surname, _, given = key.partition(":")
        if given.isascii() and surname.isascii():
            keys.add(f"~{_loose(surname)}~{_loose(given)}")
    return keys


def _forms(value: str) -> list[str]:
    """A stored field may hold several forms separated by ``;`` or new lines (aliases, old spellings)."""
    return [part.strip() for part in re.split(r"[;\n]", value or "") if part.strip()]


def search_keys_for(*, hangul: str, hanja: str = "", roman: str = "") -> list[str]:
    """All search keys of a person from every stored form of their name (strict and loose), sorted."""
    keys: set[str] = set()
    for value in (hangul, hanja, roman):
        for form in _forms(value):
            keys |= name_keys(form)
    return sorted(keys | loose_keys(keys))


def keys_text(keys: Iterable[str]) -> str:
    """Keys as one text value ``|bag:suni|~bag~soni|`` to store in a column searched with ``contains``."""
    unique = sorted(set(keys))
    return "|" + "|".join(unique) + "|" if unique else ""


def _strict_fragments(query: str) -> set[str]:
    fragments = {f"|{key}|" for key in name_keys(query)}
    words = [w for w in _TOKEN_SPLIT.split(unicodedata.normalize("NFKC", query).strip()) if w]
    if len(words) == 1:
        word = words[0]
        script = _script(word)
        is_surname = (
            word in SURNAME_HANJA or word in SURNAME_SPELLINGS
            or (script == "latin" and latin_surname(word) is not None)
        )
        if is_surname:
            fragments.add(f"|{_surname_key_of(word)}:")
        if script == "latin" and not is_surname and _letters(word):
            fragments.add(f":{phonetic_key(word)}|")
        if script == "hangul" and len(word) <= 2:
            fragments.add(f":{_given_key(word)}|")
    return fragments


def _loose_fragments(strict: set[str]) -> set[str]:
    loose = set()
    for fragment in strict:
        if fragment.startswith("|") and fragment.endswith("|"):
            loose |= {f"|{key}|" for key in loose_keys([fragment.strip("|")])}
        elif fragment.startswith(":") and fragment[1:-1].isascii():  # a lone given name
            loose.add(f"~{_loose(fragment[1:])}")
    return loose


def query_fragments(query: str, *, loose: bool = True) -> list[str]:
    """Substrings to look for in :func:`keys_text`; any one found is a match.

    A full name gives ``|surname:given|``; a lone surname (``Park``, ``박``, ``朴``) gives
    ``|surname:`` (every person of that surname); a lone given name (``Suni``, ``순이``)
    gives ``:given|``. With ``loose`` (the default) the loose forms ``|~surname~given|`` and
    ``~given|`` are added, which also find ``Sang-chul`` for 상철 — and 선이 for 순이.
    """
    strict = _strict_fragments(query)
    return sorted(strict | _loose_fragments(strict)) if loose else sorted(strict)


def match_rank(query: str, keys: Iterable[str]) -> int:
    """2 when ``query`` matches ``keys`` strictly, 1 when only loosely, 0 when not: for ordering results."""
    text = keys_text(keys)
    if not text:
        return 0
    strict = _strict_fragments(query)
    if any(fragment in text for fragment in strict):
        return 2
    if any(fragment in text for fragment in _loose_fragments(strict)):
        return 1
    return 0


def name_matches(query: str, keys: Iterable[str]) -> bool:
    """Whether ``query`` (as a person types it) finds the person whose keys are ``keys`` (strictly or loosely)."""
    return match_rank(query, keys) > 0


def romanize_name(hangul: str) -> str:
    """``박순이`` → ``Bak Suni``: the Revised Romanization of a name, surname first (initial-sound law applied)."""
    splits = _hangul_splits(unicodedata.normalize("NFC", hangul).strip())
    if not splits:
        return ""
    surname, given = splits[0]
    parts = [romanize(initial_sound_law(surname)).capitalize(), romanize(given).capitalize()]
    return " ".join(p for p in parts if p)
