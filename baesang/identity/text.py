"""Text normalisation for identity resolution: scripts, old character forms, readings.

Sources write the same name or place in Hangul, in Hanja/kanji (traditional Korean
forms, Japanese shinjitai, or CJK compatibility code points) and in Latin letters. This
module brings text to one form before any comparison:

- ``normalise_forms``: NFKC (compatibility ideographs and full-width letters), then the
  old and new character forms of the same character to one form (鉄/鐵, 鉱/鑛/礦,
  尚/尙, 清/淸, 黄/黃 …) — the traditional form, which the Hanja dictionary reads.
- ``hanja_reading``: Hanja/kanji read in Hangul with the ``hanja`` dictionary package
  (Sino-Korean readings, initial-sound rule 두음법칙 applied by the package).
- ``initial_sound_rule``: the 두음법칙 of the Korean orthography (한글 맞춤법 Arts. 10–12)
  applied to the first syllable, so that 리/이, 류/유, 림/임, 로/노 give one key.
- ``romanize_hangul``: Revised Romanization of the syllables, letter by letter (no
  sound-change rules: the result is only reduced to a key).
- ``latin_key``: any romanization (Revised, McCune–Reischauer, passport spellings)
  reduced to one coarse phonetic key.
This module imports nothing from Django.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import hanja

__all__ = [
    "SCRIPT_HANGUL",
    "SCRIPT_HANJA",
    "SCRIPT_KANA",
    "SCRIPT_LATIN",
    "SCRIPT_NONE",
    "hanja_reading",
    "initial_sound_rule",
    "latin_key",
    "normalise_forms",
    "romanize_hangul",
    "script_of",
]

SCRIPT_HANGUL = "hangul"
SCRIPT_HANJA = "hanja"
SCRIPT_KANA = "kana"
SCRIPT_LATIN = "latin"
SCRIPT_NONE = "none"

# Old (traditional / Korean) and new (Japanese shinjitai, simplified) forms of one
# character: each variant on the left is written as the form on the right.
_VARIANT_PAIRS = (
    "鉄鐵 銕鐵 鉱鑛 礦鑛 尚尙 清淸 黄黃 国國 広廣 沢澤 浜濱 塩鹽 県縣 会會 旧舊 号號 "
    "発發 関關 実實 戦戰 恵惠 徳德 円圓 来來 学學 桜櫻 竜龍 斎齋 辺邊 髙高 﨑崎 嶋島 "
    "寿壽 栄榮 真眞 青靑 郷鄕 豊豐 峡峽 鋳鑄 続續 満滿 済濟 営營 渓溪 恒恆 亜亞 悪惡 "
    "圧壓 囲圍 医醫 応應 桧檜 芸藝 験驗 権權 険險 釈釋 従從 縦縱 処處 条條 浄淨 穣穰 "
    "譲讓 醸釀 図圖 数數 声聲 摂攝 専專 浅淺 践踐 銭錢 総總 蔵藏 臓臟 属屬 対對 体體 "
    "台臺 滝瀧 単單 団團 断斷 昼晝 転轉 点點 伝傳 当當 党黨 灯燈 読讀 届屆 弐貳 悩惱 "
    "脳腦 廃廢 売賣 麦麥 抜拔 蛮蠻 秘祕 払拂 仏佛 並竝 変變 弁辯 歩步 宝寶 万萬 訳譯 "
    "予豫 余餘 与與 揺搖 様樣 謡謠 乱亂 覧覽 両兩 猟獵 塁壘 励勵 礼禮 霊靈 齢齡 恋戀 "
    "炉爐 労勞 楼樓 録錄 湾灣 嶌島 舘館 穂穗 緑綠 静靜 晋晉 鎮鎭 巌巖 挿揷 陥陷 剣劍 "
    "検檢 鶏鷄 継繼 経經 軽輕 茎莖 径徑 蛍螢 研硏 姫姬 黒黑 児兒 焼燒 奨奬 称稱 乗乘 "
    "剰剩 畳疊 嬢孃 状狀 壌壤 尽盡 粋粹 酔醉 随隨 髄髓 枢樞 瀬瀨 斉齊 窃竊 繊纖 禅禪 "
    "双雙 荘莊 捜搜 装裝 騒騷 増增 担擔 胆膽 遅遲 痴癡 虫蟲 庁廳 聴聽 勅敕 逓遞 稲稻 "
    "闘鬪 独獨 拝拜 髪髮 姉姊 欧歐 殴毆 穏穩 仮假 価價 画畫 絵繪 拡擴 殻殼 覚覺 楽樂 "
    "渇渴 巻卷 勧勸 歓歡 観觀 気氣 帰歸 偽僞 犠犧 拠據 挙擧 狭狹 暁曉 区區 駆驅 掲揭 "
    "撃擊 倹儉 圏圈 顕顯 厳嚴 砕碎 剤劑 桟棧 惨慘 賛贊 残殘 糸絲 歯齒 辞辭 湿濕 写寫 "
    "収收 渋澁 獣獸 粛肅 叙敍 将將 証證 触觸 寝寢 慎愼 即卽 "
)
_VARIANT_TABLE = str.maketrans({pair[0]: pair[1] for pair in _VARIANT_PAIRS.split()})

_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_JAMO = re.compile(r"[\u1100-\u11ff\u3130-\u318f]")


@lru_cache(maxsize=262144)
def normalise_forms(text: str) -> str:
    """NFKC, then old/new character forms to one form; whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text or "")
    text = text.translate(_VARIANT_TABLE)
    return " ".join(text.split())


def _is_hangul(ch: str) -> bool:
    return _HANGUL_FIRST <= ord(ch) <= _HANGUL_LAST


def _is_han(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or code == 0x3005


def _is_kana(ch: str) -> bool:
    return 0x3040 <= ord(ch) <= 0x30FF


@lru_cache(maxsize=262144)
def script_of(text: str) -> str:
    """The main script of ``text``: the one with most letters (Hangul wins ties)."""
    counts = {SCRIPT_HANGUL: 0, SCRIPT_HANJA: 0, SCRIPT_KANA: 0, SCRIPT_LATIN: 0}
    for ch in text or "":
        if _is_hangul(ch):
            counts[SCRIPT_HANGUL] += 1
        elif _is_kana(ch):
            counts[SCRIPT_KANA] += 1
        elif _is_han(ch):
            counts[SCRIPT_HANJA] += 1
        elif ch.isascii() and ch.isalpha() or unicodedata.category(ch).startswith("L") and ord(ch) < 0x0250:
            counts[SCRIPT_LATIN] += 1
    best = max(counts.values())
    if best == 0:
        return SCRIPT_NONE
    for script in (SCRIPT_HANGUL, SCRIPT_HANJA, SCRIPT_KANA, SCRIPT_LATIN):
        if counts[script] == best:
            return script
    return SCRIPT_NONE  # pragma: no cover


@lru_cache(maxsize=262144)
def hanja_reading(text: str) -> str:
    """Hanja/kanji in ``text`` read in Hangul (other characters kept)."""
    return hanja.translate(normalise_forms(text), "substitution")


# 두음법칙: initial ㄹ becomes ㅇ before ㅣ and the y-vowels, ㄴ before the others;
# initial ㄴ becomes ㅇ before ㅣ and the y-vowels (Korean orthography Arts. 10–12).
_Y_VOWELS = {2, 3, 6, 7, 12, 17, 20}  # ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ (medial indexes)
_CHOSEONG_N, _CHOSEONG_R, _CHOSEONG_NULL = 2, 5, 11


def initial_sound_rule(word: str) -> str:
    """Apply the initial-sound rule to the first syllable of a Hangul word."""
    if not word or not _is_hangul(word[0]):
        return word
    index = ord(word[0]) - _HANGUL_FIRST
    initial, medial, final = index // 588, (index % 588) // 28, index % 28
    if initial == _CHOSEONG_R:
        initial = _CHOSEONG_NULL if medial in _Y_VOWELS else _CHOSEONG_N
    elif initial == _CHOSEONG_N and medial in _Y_VOWELS:
        initial = _CHOSEONG_NULL
    return chr(_HANGUL_FIRST + initial * 588 + medial * 28 + final) + word[1:]


_RR_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_RR_MEDIAL = [
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo",
    "u", "wo", "we", "wi", "yu", "eu", "ui", "i",
]
_RR_FINAL = [
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "p", "l", "l", "p", "l",
    "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t",
]


def romanize_hangul(text: str) -> str:
    """Revised Romanization, syllable by syllable; non-Hangul characters kept."""
    out = []
    for ch in text:
        if _is_hangul(ch):
            index = ord(ch) - _HANGUL_FIRST
            out.append(_RR_INITIAL[index // 588] + _RR_MEDIAL[(index % 588) // 28] + _RR_FINAL[index % 28])
        else:
            out.append(ch)
    return "".join(out)


# Reduction of a romanization to a coarse key. Order matters: digraphs before letters.
_KEY_RULES: list[tuple[str, str]] = [
    (r"[^a-z]", ""),
    (r"ark", "ak"),  # Park → Pak (passport spelling of 박)
    (r"tch", "c"), (r"ch", "c"), (r"j", "c"), (r"sh", "s"),
    (r"ng", "N"),
    (r"kh", "k"), (r"ph", "p"), (r"th", "t"),
    (r"(?<=[kptc])h", ""),  # aspiration marks (McCune–Reischauer k', p', t', ch')
    (r"g", "k"), (r"b", "p"), (r"d", "t"), (r"r", "l"), (r"f", "p"), (r"v", "p"), (r"z", "c"), (r"q", "k"),
    (r"x", "ks"),
    (r"wo", "o"),  # 권 Kwon/Kwŏn, 원 Won/Weon
    (r"eui|ui|ee|ie|yi", "i"),  # 희 Hee/Hui/Hŭi, 이 Yi/Ee
    (r"eo|eu|oo|ou|u", "o"),  # ㅓ ㅗ ㅜ ㅡ are written o/u/eo/eu/oo in one system or another
    (r"wae|wai|ae|ai|oe|oi|we|ay", "e"),
    (r"(.)\1+", r"\1"),
    (r"yi", "i"),
]
_KEY_COMPILED = [(re.compile(p), r) for p, r in _KEY_RULES]


@lru_cache(maxsize=262144)
def latin_key(text: str) -> str:
    """A romanization (any system, any spacing or hyphens) reduced to one coarse key.

    ``latin_key("Young-soo") == latin_key("yeongsu") == latin_key("Yŏngsu")``.
    """
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    for pattern, replacement in _KEY_COMPILED:
        text = pattern.sub(replacement, text)
    return text
