"""Gazetteers: hometowns (Korea's provinces and counties, 1914–1945 and today) and the
Japanese employers of the forced-labour cases, read from the CSV files in ``data/``.

Places: the 13 provinces (도) and the counties (군), cities (부) and islands of the
administrative division of 1914 (Government-General Ordinance 111 of 1913, in force
1914-03-01) to 1945, with their Hanja and today's names. A hometown written in Hangul,
Hanja (with old character forms) or Latin letters, old or new name, resolves to the
province and county of the period; the county key is ``province/county``. Hanja place
names are read by their conventional reading (金堤 → 김제, not 금제), which the table
holds, not the dictionary's first reading.

Employers: each company (Korean, Japanese and English names) and its works, mines and
yards; an employer or worksite resolves to ``company`` and ``company/site``.

Text that names no known place or employer keeps a key of its own normalised text,
so that two records that write the same unknown name still agree.
This module imports nothing from Django.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from baesang.identity.text import latin_key, normalise_forms, romanize_hangul

__all__ = ["DATA_DIR", "EmployerMatch", "PlaceMatch", "resolve_employer", "resolve_place"]

DATA_DIR = Path(__file__).resolve().parent / "data"

_HANGUL_SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시", "직할시", "시", "군", "부", "구", "도")
_HANJA_SUFFIXES = ("郡", "府", "島", "道", "市", "邑", "面")
_LATIN_SUFFIXES = re.compile(r"[- ]?(gun|si|shi|bu|fu|gu|do|to|ku|county|city|prefecture)$")


@dataclass(frozen=True)
class PlaceMatch:
    province: str  # province of 1914–1945 (Hangul), or ""
    county: str  # "province/county" or "" ; "?text" for an unknown place


@dataclass(frozen=True)
class EmployerMatch:
    company: str  # company key, "" or "?text" for an unknown employer
    site: str  # "company/site" or ""


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines))


def _hangul_stem(name: str) -> str:
    name = name.strip()
    for suffix in _HANGUL_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _hanja_stem(name: str) -> str:
    name = normalise_forms(name)
    if name and name[-1] in _HANJA_SUFFIXES and len(name) > 2:
        return name[:-1]
    return name


@dataclass
class _PlaceIndex:
    province_by_alias: dict[str, str]  # CJK aliases, exact text
    province_by_latin: dict[str, str]  # latin_key of Latin aliases
    counties_by_stem: dict[str, set[tuple[str, str]]]  # Hangul or Hanja stem → (province, county)
    counties_by_latin: dict[str, set[tuple[str, str]]]  # coarse romanization key
    counties_by_roman: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # exact Revised spelling


@cache
def _places() -> _PlaceIndex:
    index = _PlaceIndex({}, {}, {}, {})
    for row in _read_csv("provinces.csv"):
        key = row["key"]
        names = [key, row["hanja"], *[a for a in row["aliases"].split("|") if a]]
        for alias in names:
            alias = normalise_forms(alias)
            if re.search(r"[A-Za-z]", alias):
                index.province_by_latin[latin_key(alias)] = key
            else:
                index.province_by_alias[alias.replace(" ", "")] = key
    for row in _read_csv("counties.csv"):
        entry = (row["province"], f"{row['province']}/{row['county_hangul']}")
        stems = {_hangul_stem(row["county_hangul"]), _hanja_stem(row["county_hanja"])}
        stems.add(normalise_forms(row["county_hanja"]))
        for today in (t for t in row["today"].split("|") if t):
            if re.search(r"[A-Za-z]", today):
                index.counties_by_latin.setdefault(latin_key(today), set()).add(entry)
            else:
                stem = _hangul_stem(today.split()[-1])
                stems.add(stem)
                index.counties_by_latin.setdefault(latin_key(romanize_hangul(stem)), set()).add(entry)
        for stem in stems:
            index.counties_by_stem.setdefault(stem, set()).add(entry)
        roman = romanize_hangul(_hangul_stem(row["county_hangul"]))
        index.counties_by_latin.setdefault(latin_key(roman), set()).add(entry)
        index.counties_by_roman.setdefault(roman, set()).add(entry)
    return index


@cache
def _sorted_keys(table: str) -> tuple[str, ...]:
    return tuple(sorted(getattr(_places(), table), key=len, reverse=True))


def _pick(candidates: set[tuple[str, str]], province: str) -> tuple[str, str] | None:
    if province:
        within = {c for c in candidates if c[0] == province}
        if within:
            candidates = within
    if len(candidates) == 1:
        return next(iter(candidates))
    if len({c[0] for c in candidates}) == 1:  # 광주부 and 광주군 of one province: the city
        return min(candidates, key=lambda c: (not c[1].endswith("부"), c[1]))
    return None


@lru_cache(maxsize=65536)
def resolve_place(text: str | None) -> PlaceMatch:
    """Province and county (of 1914–1945) named by a hometown as written."""
    text = normalise_forms(text or "")
    if not text:
        return PlaceMatch("", "")
    index = _places()
    compact = text.replace(" ", "").replace(",", "")
    province = ""
    # Province: the longest alias found in the text.
    for alias in _sorted_keys("province_by_alias"):
        if len(alias) >= 2 and alias in compact:
            province = index.province_by_alias[alias]
            compact = compact.replace(alias, " ", 1)
            break
    is_latin = bool(re.search(r"[A-Za-z]", text)) and not re.search(r"[\u3400-\u9fff\uac00-\ud7a3]", text)
    county: tuple[str, str] | None = None
    if is_latin:
        tokens = [t for t in re.split(r"[,/]+|\s{1,}", text) if t]
        keys = [latin_key(_LATIN_SUFFIXES.sub("", t.lower())) for t in tokens]
        whole = latin_key(text)
        if not province:
            for alias_key in _sorted_keys("province_by_latin"):
                if len(alias_key) >= 4 and alias_key in whole:
                    province = index.province_by_latin[alias_key]
                    break
        romans = [re.sub(r"[^a-z]", "", _LATIN_SUFFIXES.sub("", t.lower())) for t in tokens]
        for roman in romans:  # the exact Revised spelling first (Geochang 거창, not Gochang 고창)
            if roman in index.counties_by_roman:
                county = _pick(index.counties_by_roman[roman], province)
                if county:
                    break
        for key in keys if county is None else []:
            if key in index.counties_by_latin:
                county = _pick(index.counties_by_latin[key], province)
                if county:
                    break
    else:
        pieces = [p for p in re.split(r"\s+", text) if p]
        for piece in pieces:  # a token that is a county name with its suffix
            for stem in (_hangul_stem(piece), _hanja_stem(piece)):
                if stem in index.counties_by_stem and stem not in index.province_by_alias:
                    county = _pick(index.counties_by_stem[stem], province)
                    if county:
                        break
            if county:
                break
        for haystack in (compact, text.replace(" ", "")):
            if county is not None:
                break
            for stem in _sorted_keys("counties_by_stem"):  # the longest county name inside
                if len(stem) >= 2 and stem in haystack:
                    county = _pick(index.counties_by_stem[stem], province)
                    if county:
                        break
    if county and province and county[0] != province:
        county = None  # a county of another province: keep the province the text names
    if county:
        return PlaceMatch(county[0], county[1])
    if province:
        return PlaceMatch(province, "")
    return PlaceMatch("", "?" + text.replace(" ", "").lower())


@cache
def _employers() -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """(CJK aliases, Latin aliases), each (alias, company, site), longest first."""
    cjk: list[tuple[str, str, str]] = []
    latin: list[tuple[str, str, str]] = []
    for row in _read_csv("employers.csv"):
        site = f"{row['company']}/{row['site']}" if row["site"] else ""
        for name in (n for n in row["names"].split("|") if n):
            name = normalise_forms(name)
            if re.search(r"[A-Za-z]", name) and not re.search(r"[\u3400-\u9fff\uac00-\ud7a3]", name):
                latin.append((name.lower(), row["company"], site))
            else:
                cjk.append((name.replace(" ", ""), row["company"], site))
    cjk.sort(key=lambda t: len(t[0]), reverse=True)
    latin.sort(key=lambda t: len(t[0]), reverse=True)
    return cjk, latin


@lru_cache(maxsize=65536)
def resolve_employer(employer: str | None, worksite: str | None = "") -> EmployerMatch:
    """Company and site named by an employer and worksite as written."""
    text = normalise_forms(f"{employer or ''} {worksite or ''}")
    if not text:
        return EmployerMatch("", "")
    cjk, latin = _employers()
    compact = text.replace(" ", "")
    lowered = " " + re.sub(r"[^a-z0-9]+", " ", text.lower()) + " "
    hits: list[tuple[str, str]] = []
    for alias, company, site in cjk:
        if alias in compact:
            hits.append((company, site))
            compact = compact.replace(alias, " ")
    for alias, company, site in latin:
        spaced = " " + re.sub(r"[^a-z0-9]+", " ", alias) + " "
        if spaced in lowered:
            hits.append((company, site))
            lowered = lowered.replace(spaced, " ")
    if not hits:
        return EmployerMatch("?" + text.replace(" ", "").lower(), "")
    companies = [c for c, s in hits if not s]
    sites = [(c, s) for c, s in hits if s]
    company = companies[0] if companies else sites[0][0]
    site = next((s for c, s in sites if c == company), "")
    return EmployerMatch(company, site)
