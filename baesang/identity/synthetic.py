"""Synthetic person records with known truth, for the tests and the benchmark.

Invented people only — never real persons' data. Each generated person has a surname
drawn by the frequency of Korean surnames (Statistics Korea census shares, rounded),
a two-syllable given name with its Hanja, sex, a birth date that is lunar for some,
a hometown county of 1914–1945 and an employer of the forced-labour cases. Each
record of a person writes these the way a source would: Hangul or Hanja, romanized
(Revised, McCune–Reischauer or a passport spelling, either order), a Japanese-style
name (창씨명) with the kept given name, lunar or solar numbers with or without the
calendar, a Japanese era date, a partial date, an old or new place name, the
employer in Korean, Japanese (old or new character forms) or English, and with
typing slips. Namesakes — other people with the same name born in the same county
around the same years — make the task hard, as in the real registers.
This module imports nothing from Django.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from baesang.identity.dates import _lunar_month
from baesang.identity.gazetteer import _read_csv
from baesang.identity.names import SURNAME_ROMANIZATIONS
from baesang.identity.records import COLUMNS, PersonRecord
from baesang.identity.text import romanize_hangul

__all__ = ["Person", "Truth", "dedupe_set", "link_set", "true_pairs", "write_csv"]

# (Hangul, Hanja, share in per mille of the population)
SURNAMES = [
    ("김", "金", 215), ("이", "李", 147), ("박", "朴", 84), ("최", "崔", 47), ("정", "鄭", 44), ("강", "姜", 23),
    ("조", "趙", 21), ("윤", "尹", 21), ("장", "張", 20), ("임", "林", 17), ("한", "韓", 15), ("오", "吳", 15),
    ("서", "徐", 15), ("신", "申", 15), ("권", "權", 14), ("황", "黃", 14), ("안", "安", 14), ("송", "宋", 13),
    ("류", "柳", 13), ("전", "全", 11), ("홍", "洪", 11), ("고", "高", 9), ("문", "文", 9), ("양", "梁", 9),
    ("손", "孫", 9), ("배", "裵", 8), ("백", "白", 8), ("허", "許", 6), ("남", "南", 6), ("노", "盧", 4),
    ("하", "河", 4), ("곽", "郭", 4), ("성", "成", 4), ("차", "車", 4), ("주", "朱", 4), ("우", "禹", 4),
    ("구", "具", 4), ("민", "閔", 3), ("나", "羅", 3), ("진", "陳", 3), ("지", "池", 3), ("엄", "嚴", 3),
    ("채", "蔡", 2), ("원", "元", 2), ("천", "千", 2), ("방", "方", 2), ("공", "孔", 2), ("현", "玄", 2),
    ("함", "咸", 2), ("변", "卞", 2), ("염", "廉", 1), ("여", "呂", 1), ("추", "秋", 1), ("도", "都", 1),
    ("석", "石", 1), ("설", "薛", 1), ("길", "吉", 1), ("표", "表", 1), ("남궁", "南宮", 1), ("황보", "皇甫", 1),
]

# Syllables of given names of the 1910s–1920s with a Hanja for each.
GIVEN_SYLLABLES = [
    ("영", "英"), ("수", "洙"), ("철", "哲"), ("호", "浩"), ("정", "正"), ("웅", "雄"), ("순", "順"), ("이", "伊"),
    ("자", "子"), ("숙", "淑"), ("희", "姬"), ("옥", "玉"), ("동", "東"), ("석", "錫"), ("광", "光"), ("명", "明"),
    ("성", "成"), ("민", "敏"), ("준", "俊"), ("길", "吉"), ("용", "龍"), ("상", "相"), ("진", "鎭"), ("기", "基"),
    ("재", "在"), ("현", "賢"), ("태", "泰"), ("덕", "德"), ("복", "福"), ("만", "萬"), ("봉", "鳳"), ("병", "炳"),
    ("춘", "春"), ("금", "今"), ("분", "粉"), ("말", "末"), ("남", "南"), ("원", "元"), ("학", "學"), ("종", "鍾"),
    ("국", "國"), ("인", "仁"), ("문", "文"), ("경", "京"), ("갑", "甲"), ("삼", "三"), ("일", "一"), ("대", "大"),
    ("천", "千"), ("식", "植"), ("환", "煥"), ("규", "奎"), ("한", "漢"), ("윤", "允"), ("화", "花"), ("선", "善"),
]

_JAPANESE_SURNAMES = {"金": ["金本", "金山", "金田", "金村", "金井"], "李": ["宮本", "國本", "李家", "岩本"],
                      "朴": ["新井", "朴山", "木村"], "崔": ["佳山", "富山"], "鄭": ["松本", "東原"]}
_JAPANESE_DEFAULT = ["大山", "松山", "平山", "高山", "安田", "吉田", "西原", "青木", "岩村"]
_ROMAN_SURNAME: dict[str, list[str]] = {}
for _spelling, _hangul in SURNAME_ROMANIZATIONS.items():
    _ROMAN_SURNAME.setdefault(_hangul, []).append(_spelling)
_ERAS = [(1926, "昭和"), (1912, "大正"), (1868, "明治")]


@dataclass(frozen=True)
class Person:
    """The truth about an invented person."""

    person_id: int
    surname: str
    surname_hanja: str
    given: str
    given_hanja: str
    sex: str
    birth: date  # the solar day of birth
    lunar: tuple[int, int, int] | None  # the lunar numbers, for a person whose family kept the lunar date
    county_hangul: str
    county_hanja: str
    province_hangul: str
    province_hanja: str
    today: str
    company_names: tuple[str, ...]
    site_names: tuple[str, ...]


@dataclass(frozen=True)
class Truth:
    records: list[PersonRecord]
    person_of: dict[str, int]  # record id → person id


def _lunar_of(day: date) -> tuple[int, int, int]:
    """Lunar numbers of a solar day (the leap-month mark dropped, as most records do)."""
    for year in (day.year, day.year - 1):
        for month in range(12, 0, -1):
            for leap in (True, False):
                found = _lunar_month(year, month, leap)
                if found and found[0] <= day < found[0] + timedelta(days=found[1]):
                    return year, month, (day - found[0]).days + 1
    raise ValueError(f"no lunar date for {day}")  # pragma: no cover


def _people(rng: random.Random, count: int, start_id: int = 0) -> list[Person]:
    counties = _read_csv("counties.csv")
    provinces = {row["key"]: row["hanja"] for row in _read_csv("provinces.csv")}
    employers = _read_csv("employers.csv")
    companies = {row["company"]: row["names"].split("|") for row in employers if not row["site"]}
    sites = [row for row in employers if row["site"]]
    weights = [s[2] for s in SURNAMES]
    people: list[Person] = []
    while len(people) < count:
        county = rng.choice(counties[:140]) if rng.random() < 0.85 else rng.choice(counties)
        site = rng.choice(sites)
        surname, surname_hanja, _ = rng.choices(SURNAMES, weights)[0]
        syllables = rng.sample(GIVEN_SYLLABLES, 2)
        sex = "F" if rng.random() < 0.2 else "M"
        birth = date(rng.randint(1915, 1931), rng.randint(1, 12), rng.randint(1, 28))
        base = Person(
            person_id=start_id + len(people),
            surname=surname,
            surname_hanja=surname_hanja,
            given="".join(s[0] for s in syllables),
            given_hanja="".join(s[1] for s in syllables),
            sex=sex,
            birth=birth,
            lunar=_lunar_of(birth) if rng.random() < 0.4 else None,
            county_hangul=county["county_hangul"],
            county_hanja=county["county_hanja"],
            province_hangul=county["province"],
            province_hanja=provinces[county["province"]],
            today=(county["today"].split("|")[0] or county["county_hangul"]),
            company_names=tuple(companies[site["company"]]),
            site_names=tuple(site["names"].split("|")),
        )
        people.append(base)
        if rng.random() < 0.12 and len(people) < count:  # a namesake from the same county
            other_birth = date(birth.year + rng.randint(-2, 2), rng.randint(1, 12), rng.randint(1, 28))
            people.append(
                replace(
                    base,
                    person_id=start_id + len(people),
                    birth=other_birth,
                    lunar=_lunar_of(other_birth) if rng.random() < 0.4 else None,
                    sex=base.sex,
                    site_names=tuple(rng.choice(sites)["names"].split("|")) if rng.random() < 0.5 else base.site_names,
                )
            )
    return people


def _mr(roman: str) -> str:
    """A McCune–Reischauer-like spelling of a Revised romanization."""
    out = roman.replace("eo", "ŏ").replace("eu", "ŭ")
    if out[:1] in "gdbj":
        out = {"g": "k", "d": "t", "b": "p", "j": "ch"}[out[0]] + out[1:]
    return out


def _passport(roman: str) -> str:
    return roman.replace("eo", "u" if roman.endswith("eong") else "o").replace("u", "oo", 1) if "eo" in roman else (
        roman.replace("i", "ee") if roman.endswith("i") and len(roman) > 2 else roman
    )


def _romanized_name(rng: random.Random, person: Person) -> str:
    spellings = _ROMAN_SURNAME.get(person.surname.replace("류", "유"), [romanize_hangul(person.surname)])
    surname = rng.choice(spellings).capitalize()
    parts = [romanize_hangul(s) for s in person.given]
    style = rng.random()
    if style < 0.4:
        parts = parts
    elif style < 0.7:
        parts = [_mr(p) for p in parts]
    else:
        parts = [_passport(p) for p in parts]
    joiner = rng.choice(["-", "", " "])
    given = joiner.join(parts)
    given = given[:1].upper() + given[1:] if joiner != " " else " ".join(p.capitalize() for p in parts)
    form = rng.random()
    if form < 0.4:
        return f"{surname} {given}"
    if form < 0.7:
        return f"{surname.upper()} {given.upper()}"
    return f"{given} {surname}"


def _slip(rng: random.Random, text: str) -> str:
    """One typing slip in a Hangul given name: a syllable replaced by a similar one."""
    if len(text) < 2:
        return text
    position = rng.randrange(1, len(text))
    code = ord(text[position]) - 0xAC00
    if not 0 <= code < 11172:
        return text
    initial, medial, final = code // 588, (code % 588) // 28, code % 28
    which = rng.random()
    if which < 0.5:
        final = rng.choice([0, 4, 8, 16, 21])
    else:
        medial = (medial + rng.choice([-1, 1])) % 21
    return text[:position] + chr(0xAC00 + initial * 588 + medial * 28 + final) + text[position + 1:]


def _era(year: int, month: int | None, day: int | None) -> str:
    for base, name in _ERAS:
        if year >= base:
            number = year - base + 1
            text = f"{name}{'元' if number == 1 else number}年"
            if month:
                text += f"{month}月"
                if day:
                    text += f"{day}日"
            return text
    return str(year)  # pragma: no cover


def _record(rng: random.Random, person: Person, record_id: str, style: str) -> PersonRecord:
    """One record of ``person`` as a source of ``style`` (register, roster or intake) writes it."""
    name_form = rng.random()
    reading = ""
    if style == "roster":
        if name_form < 0.45:
            japanese = rng.choice(_JAPANESE_SURNAMES.get(person.surname_hanja, _JAPANESE_DEFAULT))
            name = japanese + person.given_hanja
        elif name_form < 0.85:
            name = person.surname_hanja + person.given_hanja
        else:
            name = _romanized_name(rng, person)
    else:
        if name_form < 0.6:
            name = person.surname + person.given
            if rng.random() < 0.3:
                reading = person.surname_hanja + person.given_hanja
        elif name_form < 0.75:
            name = person.surname_hanja + person.given_hanja
        else:
            name = _romanized_name(rng, person)
            if rng.random() < 0.3:
                reading = person.surname + person.given
    if rng.random() < 0.06 and name == person.surname + person.given:
        name = person.surname + _slip(rng, person.given)

    # Birth date
    birth_date, calendar = "", ""
    roll = rng.random()
    if roll < 0.05:
        birth_date = ""
    elif roll < 0.13:
        birth_date = str(person.birth.year if not person.lunar else person.lunar[0])
    elif roll < 0.18:
        y, m = (person.lunar[0], person.lunar[1]) if person.lunar else (person.birth.year, person.birth.month)
        birth_date = f"{y:04d}-{m:02d}"
    else:
        use_lunar = person.lunar is not None and rng.random() < 0.7
        y, m, d = person.lunar if use_lunar else (person.birth.year, person.birth.month, person.birth.day)
        calendar = ("lunar" if use_lunar else "solar") if rng.random() < 0.6 else ""
        if style == "roster" and rng.random() < 0.5:
            birth_date = _era(y, m, d)
        else:
            if rng.random() < 0.03 and d <= 12:
                m, d = d, m  # day and month swapped
            birth_date = f"{y:04d}-{m:02d}-{d:02d}"
            if rng.random() < 0.03 and 1 <= d <= 27 and d % 10 != 9:
                birth_date = birth_date[:-1] + str(int(birth_date[-1]) + 1)  # a one-digit slip

    # Hometown
    roll = rng.random()
    if roll < 0.1:
        hometown = ""
    elif roll < 0.35:
        hometown = f"{person.province_hanja} {person.county_hanja}"
    elif roll < 0.6:
        hometown = f"{person.province_hangul} {person.county_hangul}"
    elif roll < 0.75:
        hometown = person.today
    elif roll < 0.85:
        hometown = person.province_hangul if rng.random() < 0.5 else person.province_hanja
    else:
        stem = person.county_hangul[:-1]
        hometown = romanize_hangul(stem).capitalize() + rng.choice(["", "-gun", " County"])

    # Employer
    roll = rng.random()
    if roll < 0.1:
        employer, worksite = "", ""
    else:
        korean = [n for n in person.company_names if any("\uac00" <= ch <= "\ud7a3" for ch in n)]
        kanji = [n for n in person.company_names if any("\u4e00" <= ch <= "\u9fff" for ch in n)]
        latin = [n for n in person.company_names if n.isascii()]
        site_korean = [n for n in person.site_names if any("\uac00" <= ch <= "\ud7a3" for ch in n)]
        site_kanji = [n for n in person.site_names if any("\u4e00" <= ch <= "\u9fff" for ch in n)]
        site_latin = [n for n in person.site_names if n.isascii()]
        if style == "roster" or roll < 0.35:
            employer, worksite = rng.choice(kanji), rng.choice(site_kanji + [""])
            if rng.random() < 0.5:
                employer = employer.replace("鐵", "鉄").replace("鑛", "鉱").replace("廣", "広")
        elif roll < 0.75:
            employer, worksite = rng.choice(korean), rng.choice(site_korean + [""])
        else:
            employer, worksite = rng.choice(latin), rng.choice(site_latin + [""])
    sex = person.sex if rng.random() < 0.85 else ""
    return PersonRecord(
        id=record_id, name=name, name_reading=reading, birth_date=birth_date, birth_calendar=calendar, sex=sex,
        hometown=hometown, employer=employer, worksite=worksite,
    )


def dedupe_set(count: int = 3400, seed: int = 1) -> Truth:
    """About ``count`` intake records, a third of them repeats of another record's person."""
    rng = random.Random(seed)
    people = _people(rng, int(count / 1.45), 0)
    records: list[PersonRecord] = []
    person_of: dict[str, int] = {}
    for person in people:
        copies = rng.choices([1, 2, 3], [0.65, 0.25, 0.10])[0]
        for _ in range(copies):
            record_id = f"D{len(records) + 1:07d}"
            records.append(_record(rng, person, record_id, rng.choice(["register", "intake"])))
            person_of[record_id] = person.person_id
    rng.shuffle(records)
    return Truth(records[:count], {r.id: person_of[r.id] for r in records[:count]})


def link_set(left_count: int = 3200, right_count: int = 2000, seed: int = 2) -> tuple[Truth, Truth]:
    """A register (left) and a roster (right); about half of the roster is in the register."""
    rng = random.Random(seed)
    shared = int(right_count * 0.55)
    people = _people(rng, left_count + right_count - shared, 0)
    left_people = people[:left_count]
    right_people = people[:shared] + people[left_count:]
    left = [_record(rng, p, f"R{i + 1:07d}", "register") for i, p in enumerate(left_people)]
    right = [_record(rng, p, f"J{i + 1:07d}", "roster") for i, p in enumerate(right_people)]
    return (
        Truth(left, {r.id: p.person_id for r, p in zip(left, left_people, strict=True)}),
        Truth(right, {r.id: p.person_id for r, p in zip(right, right_people, strict=True)}),
    )


def true_pairs(left: Truth, right: Truth | None = None) -> set[tuple[str, str]]:
    """The pairs of records that are one person (for dedupe, ordered ids)."""
    pairs: set[tuple[str, str]] = set()
    if right is None:
        by_person: dict[int, list[str]] = {}
        for record_id, person in left.person_of.items():
            by_person.setdefault(person, []).append(record_id)
        for ids in by_person.values():
            ids.sort()
            pairs.update((a, b) for i, a in enumerate(ids) for b in ids[i + 1:])
        return pairs
    right_by_person: dict[int, list[str]] = {}
    for record_id, person in right.person_of.items():
        right_by_person.setdefault(person, []).append(record_id)
    for record_id, person in left.person_of.items():
        pairs.update((record_id, other) for other in right_by_person.get(person, []))
    return pairs


def write_csv(records: list[PersonRecord], path: str | Path) -> None:
    """Write records in the file format of ``baesang match``."""
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for record in records:
            writer.writerow([getattr(record, column) for column in COLUMNS])
