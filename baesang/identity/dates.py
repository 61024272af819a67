"""Birth dates as the sources write them: solar or lunar, partial, or by Japanese era.

Rules implemented here:
- Formats: ``YYYY-MM-DD``, ``YYYY-MM``, ``YYYY`` (also with ``.`` or ``/``), and Japanese
  era dates ``明治``/``大正``/``昭和`` + year (``元年`` is year 1) [+ month [+ day]], in Arabic,
  full-width or kanji numerals (明治 1868, 大正 1912, 昭和 1926: year N is base + N − 1).
- Calendar: ``solar``, ``lunar`` or empty (unknown). Lunar dates are converted with the
  ``korean-lunar-calendar`` package (KARI tables). A lunar date without a leap-month
  mark is read as the ordinary month; a day 30 in a 29-day lunar month, as written in
  real records, is read as the month's last day. A date with an empty calendar whose
  day does not exist in the solar calendar (``1921-02-30``) is read as lunar, and so
  is one marked solar by mistake: only the lunar reading exists.
- Comparison values (see ``model``): the date as written, the date with day and month
  swapped, and the solar day it denotes (for a lunar or unknown calendar, the solar
  equivalent of the lunar reading as well), so that a lunar record and a solar record
  of one birth agree. Partial dates compare at their precision.
An unreadable date raises ``DateError``. This module imports nothing from Django.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from korean_lunar_calendar import KoreanLunarCalendar

__all__ = [
    "CALENDAR_LUNAR",
    "CALENDAR_SOLAR",
    "CALENDAR_UNKNOWN",
    "ERAS",
    "BirthDate",
    "DateError",
    "lunar_to_solar",
    "parse_birth_date",
    "parse_calendar",
]

CALENDAR_SOLAR = "solar"
CALENDAR_LUNAR = "lunar"
CALENDAR_UNKNOWN = ""

ERAS = {"明治": 1868, "大正": 1912, "昭和": 1926, "메이지": 1868, "다이쇼": 1912, "쇼와": 1926,
        "meiji": 1868, "taisho": 1912, "taishō": 1912, "showa": 1926, "shōwa": 1926}

_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


class DateError(ValueError):
    """A birth date that cannot be read at all."""


@dataclass(frozen=True)
class BirthDate:
    """A birth date as written (year, month, day; month/day may be unknown)."""

    year: int
    month: int | None
    day: int | None
    calendar: str  # solar, lunar or "" (unknown) as read

    @property
    def precision(self) -> int:
        """3 for a full date, 2 for year and month, 1 for the year only."""
        return 1 if self.month is None else 2 if self.day is None else 3

    @property
    def written(self) -> str:
        """The date as written, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def swapped(self) -> str:
        """The full date with day and month swapped, where that is a possible date; else ""."""
        if self.precision < 3 or self.day is None or self.day > 12 or self.day == self.month:
            return ""
        return f"{self.year:04d}-{self.day:02d}-{self.month:02d}"

    def solar_dates(self) -> tuple[str, str]:
        """The solar day(s) this date can denote: (as solar, as lunar); "" where not possible."""
        if self.precision < 3 or self.month is None or self.day is None:
            return "", ""
        as_solar = ""
        if self.calendar != CALENDAR_LUNAR and _valid_solar(self.year, self.month, self.day):
            as_solar = self.written
        as_lunar = ""
        if self.calendar != CALENDAR_SOLAR:
            converted = lunar_to_solar(self.year, self.month, self.day)
            as_lunar = converted.isoformat() if converted else ""
        return as_solar, as_lunar

    def leap_month_date(self) -> str:
        """The solar day of the lunar reading in the leap month of the same number, where that
        year has one: records rarely mark the leap month (윤달), so both are possible."""
        if self.precision < 3 or self.calendar == CALENDAR_SOLAR or self.month is None or self.day is None:
            return ""
        found = _lunar_month(self.year, self.month, True)
        if found is None or found[0] == (_lunar_month(self.year, self.month, False) or (None,))[0]:
            return ""
        first, length = found
        return (first + timedelta(days=min(self.day, length) - 1)).isoformat()


def _valid_solar(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


_CALENDAR = KoreanLunarCalendar()  # its constructor converts today's date: make one


@cache
def _lunar_month(year: int, month: int, leap: bool) -> tuple[date, int] | None:
    """Solar date of the 1st day of a lunar month and the month's length (29 or 30); None if no such month.

    The package counts days from its base year on every call (slow), so each month is
    asked for once and kept.
    """
    calendar = _CALENDAR
    if not calendar.setLunarDate(year, month, 1, leap):
        return None
    first = date(calendar.solarYear, calendar.solarMonth, calendar.solarDay)
    if leap and calendar.lunarMonth != month:  # pragma: no cover - defensive
        return None
    length = 30 if calendar.setLunarDate(year, month, 30, leap) else 29
    return first, length


def lunar_to_solar(year: int, month: int, day: int, leap: bool = False) -> date | None:
    """The solar date of a Korean lunar date; a day 30 in a 29-day month is its last day."""
    for leap_month in (leap, not leap):
        found = _lunar_month(year, month, leap_month)
        if found is None:
            continue
        first, length = found
        if day <= length or day == 30:
            return first + timedelta(days=min(day, length) - 1)
    return None


def parse_calendar(text: str | None) -> str:
    """``solar``, ``lunar`` or ""; Korean and Hanja words accepted (양력/음력, 陽曆/陰曆)."""
    value = (text or "").strip().lower()
    if value in {"", "unknown", "?"}:
        return CALENDAR_UNKNOWN
    if value in {"solar", "s", "양력", "陽曆", "陽暦", "gregorian"}:
        return CALENDAR_SOLAR
    if value in {"lunar", "l", "음력", "陰曆", "陰暦"}:
        return CALENDAR_LUNAR
    raise DateError(f"unknown calendar {text!r} (solar, lunar or empty)")


def _number(text: str) -> int:
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    if text == "元":
        return 1
    value = 0
    current = 0
    for ch in text:
        if ch == "十":
            value += (current or 1) * 10
            current = 0
        elif ch in _KANJI_DIGITS:
            current = current * 10 + _KANJI_DIGITS[ch]
        else:
            raise DateError(f"not a number: {text!r}")
    return value + current


_ISO = re.compile(r"^(\d{4})(?:[-./](\d{1,2})(?:[-./](\d{1,2}))?)?$")
_NUM = r"([0-9０-９〇零一二三四五六七八九十元]+)"
_ERA = re.compile(
    r"^(?P<era>明治|大正|昭和|메이지|다이쇼|쇼와|meiji|taish[oō]|sh[oō]wa)\s*" + _NUM + r"\s*(?:年|년|\.|-|/|\s)?\s*"
    r"(?:" + _NUM + r"\s*(?:月|월|\.|-|/|\s)?\s*(?:" + _NUM + r"\s*(?:日|일)?)?)?$",
    re.IGNORECASE,
)


def parse_birth_date(text: str | None, calendar: str | None = "") -> BirthDate | None:
    """Read a birth date; ``None`` when empty. Raises ``DateError`` if it cannot be read."""
    raw = unicodedata.normalize("NFKC", text or "").strip()
    if not raw:
        return None
    cal = parse_calendar(calendar)
    match = _ISO.match(raw)
    if match:
        year = int(match.group(1))
        month = int(match.group(2)) if match.group(2) else None
        day = int(match.group(3)) if match.group(3) else None
    else:
        era_match = _ERA.match(raw.replace("年", "年 "))
        if not era_match:
            raise DateError(f"cannot read date {text!r}")
        era = era_match.group("era").lower()
        base = ERAS.get(era) or ERAS[era_match.group("era")]
        year = base + _number(era_match.group(2)) - 1
        month = _number(era_match.group(3)) if era_match.group(3) else None
        day = _number(era_match.group(4)) if era_match.group(4) else None
    if not 1800 <= year <= 2100:
        raise DateError(f"year {year} out of range in {text!r}")
    if month is not None and not 1 <= month <= 12:
        raise DateError(f"month {month} out of range in {text!r}")
    if day is not None:
        if month is None or not 1 <= day <= 31:
            raise DateError(f"day {day} out of range in {text!r}")
        if day > 30 and not _valid_solar(year, month, day):
            raise DateError(f"{raw} exists in neither calendar")
        if not _valid_solar(year, month, day):
            # 1921-02-30 with no calendar (or marked solar by mistake): only a lunar reading exists.
            cal = CALENDAR_LUNAR
    return BirthDate(year, month, day, cal)
