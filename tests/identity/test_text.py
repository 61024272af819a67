"""Text normalisation: old character forms, Hanja readings, 두음법칙, romanization keys."""

from baesang.identity.text import (
    SCRIPT_HANGUL,
    SCRIPT_HANJA,
    SCRIPT_LATIN,
    hanja_reading,
    initial_sound_rule,
    latin_key,
    normalise_forms,
    romanize_hangul,
    script_of,
)


def test_old_and_new_character_forms_normalise_to_one_form():
    # The sources write 日本製鐵/日本製鉄, 三井鑛山/三井鉱山, 北海道炭礦/北海道炭鉱, 慶尙/慶尚, 忠淸/忠清, 黃/黄.
    assert normalise_forms("日本製鉄") == normalise_forms("日本製鐵")
    assert normalise_forms("三井鉱山") == normalise_forms("三井鑛山")
    assert normalise_forms("北海道炭鉱") == normalise_forms("北海道炭礦")
    assert normalise_forms("慶尚 忠清 黄") == "慶尙 忠淸 黃"


def test_compatibility_ideographs_and_full_width_letters():
    assert normalise_forms("\uf90a") == "金"  # CJK compatibility ideograph of 金
    assert normalise_forms("ＫＩＭ") == "KIM"


def test_script_of():
    assert script_of("박순이") == SCRIPT_HANGUL
    assert script_of("朴順伊") == SCRIPT_HANJA
    assert script_of("Park Sun-i") == SCRIPT_LATIN


def test_hanja_reading_of_old_forms():
    assert hanja_reading("慶尙") == "경상"
    assert hanja_reading("忠淸") == "충청"
    assert hanja_reading("黃") == "황"


def test_initial_sound_rule():
    # 한글 맞춤법 Arts. 10–12: 리→이, 류→유, 림→임, 로→노, 라→나, 녀→여.
    assert [initial_sound_rule(s) for s in ["리", "류", "림", "로", "라", "녀", "김"]] == [
        "이", "유", "임", "노", "나", "여", "김",
    ]


def test_romanize_hangul_is_revised_romanization_letter_by_letter():
    assert romanize_hangul("박순이") == "baksuni"
    assert romanize_hangul("영수") == "yeongsu"


def test_romanization_systems_reduce_to_one_key():
    # Revised (yeongsu), McCune–Reischauer (yŏngsu), passport (Young-soo).
    assert latin_key("Young-soo") == latin_key("yeongsu") == latin_key("Yŏngsu") == latin_key("YOUNGSOO")
    assert latin_key("Jung-ho") == latin_key("jeongho") == latin_key("Chŏngho")
    assert latin_key("Hee") == latin_key("hui")
    assert latin_key("Park") == latin_key("Pak") == latin_key("Bak")
    assert latin_key("Choi") == latin_key("Choe")
    assert latin_key("Kwon") == latin_key("Gwon")


def test_different_names_keep_different_keys():
    assert latin_key("Young-soo") != latin_key("Chul-ho")
    assert latin_key("Kim") != latin_key("Park")
