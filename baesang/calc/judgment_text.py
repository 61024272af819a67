"""The reader of Korean civil judgment texts: who is owed what, read from the court's own words.

A civil judgment's operative part (주문) fixes, for each creditor, the principal in won and
the delay interest in segments (start, end or "until paid" 다 갚는 날까지, annual rate);
those are what the foundation pays in the debtor's place (Civil Code Art. 469), so they are
read here from the text instead of being retyped. The rules of the wording it reads:

- Header: the court (``대 법 원``, ``서울고등법원``, spaced letters allowed), the case number
  after ``사 건`` (not those of ``원심판결``/``제1심판결`` lines), the plaintiffs (``원 고``, with
  role suffixes such as ``원고, 피상고인``; one name, a numbered list with address and
  counsel lines under it, ``망 김갑동의 소송수계인 김을순`` — an heir who took over the suit,
  Civil Procedure Act Art. 233 — or ``별지 원고 목록 기재와 같다``) and the defendants (피고,
  the debtors; representative lines such as ``대표이사 …`` ignored).
- Operative part: from ``주 문`` to ``청구취지``/``항소취지``/``이유``/an attached list/the end.
  Only a sentence that ends ``…지급하라`` orders payment; dismissals, costs, provisional
  execution, cancellations and ``…다음과 같이 변경한다`` make none (their sub-items are read
  as sentences of their own).
- An order sentence: recipients (``원고에게``, ``원고들에게 각``, ``원고 X, Y에게 각``, ``원고 1
  내지 3에게 각``, ``망 X의 소송수계인 원고 Y에게``, ``별지 목록 기재 각 원고에게 같은 목록
  '인용금액'란 기재 각 돈`` with the ``[별지]`` table), amounts (``금 100,000,000원``), then
  ``및 위 각 돈에 대하여`` / ``및 이에 대하여`` and the segments: ``START부터 END까지는 연 R%의,
  그 다음 날부터 다 갚는 날까지는 연 R%의 각 비율로 계산한 돈`` (any number; ``그 다음 날`` is
  the day after the previous end), rates ``연 12.5%``, ``연 100분의 20``, ``연 2할``/``5푼``, a
  start date per creditor, the older ``…의 비율에 의한 금원``; ``…을 지급하고, 원고 …에게 …`` read
  as clauses of their own.
- Nothing is guessed: a payment sentence that cannot be read whole (an end date written as
  an event such as ``소장 부본 송달일``, several creditors with one amount and no ``각``, a
  number not in the header …) gives no order at all but an :class:`Unparsed` entry with a
  reason and a code; the review screen shows it for a person to enter.

API (pure; this module imports nothing from Django)::

    reading = parse_judgment(text)          # -> JudgmentReading; raises JudgmentReadError
    reading.orders[0].creditor, .principal, .segments   # segments: interest.Segment
    reading.text[slice(*reading.orders[0].span)]        # the sentence it was read from
    reading.unparsed, reading.plaintiffs, reading.debtors, reading.case_number, reading.court
    result_to_json_dict(reading)            # the JSON of `baesang judgment parse --json`
    order_to_interest(reading.orders[0])    # -> interest.JudgmentOrder for amount_due()

:func:`baesang.calc.judgment_file.read_judgment_file` turns a file's bytes (text or PDF) into
the text. Errors: :class:`EmptyJudgment`, :class:`UnreadableJudgment`, :class:`NoOperativePart`
(all :class:`JudgmentReadError`, with ``code`` one of the constants below); reasons of
unparsed sentences are the ``UNPARSED_*`` codes.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from baesang.calc.interest import InterestError, JudgmentOrder, Segment, rate_text

__all__ = [
    "EMPTY",
    "NO_OPERATIVE_PART",
    "PDF_WITHOUT_TEXT",
    "UNREADABLE",
    "UNSUPPORTED_KIND",
    "EmptyJudgment",
    "JudgmentReadError",
    "JudgmentReading",
    "NoOperativePart",
    "ParsedOrder",
    "Plaintiff",
    "Unparsed",
    "UnreadableJudgment",
    "order_to_interest",
    "parse_judgment",
    "result_to_json_dict",
]

# Error codes of a text or file that cannot be read at all (the command exits 2).
EMPTY = "judgment_empty"
UNREADABLE = "judgment_unreadable"
PDF_WITHOUT_TEXT = "judgment_pdf_without_text"
UNSUPPORTED_KIND = "judgment_unsupported_kind"
NO_OPERATIVE_PART = "judgment_no_operative_part"

# Codes of a payment sentence that could not be read whole (an entry of ``unparsed``).
UNPARSED_RECIPIENT = "recipient"
UNPARSED_AMBIGUOUS = "ambiguous_recipients"
UNPARSED_PLAINTIFF_UNKNOWN = "plaintiff_unknown"
UNPARSED_AMOUNT = "amount"
UNPARSED_DATE = "date"
UNPARSED_RATE = "rate"
UNPARSED_SEGMENTS = "segments"
UNPARSED_INTEREST_SCOPE = "interest_scope"
UNPARSED_ATTACHMENT = "attachment"
UNPARSED_WORDING = "wording"
UNPARSED_SENTENCE_END = "sentence_end"


class JudgmentReadError(ValueError):
    """The judgment cannot be read at all; ``code`` is one of the module's error codes."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


class EmptyJudgment(JudgmentReadError):
    """The file or text is empty."""


class UnreadableJudgment(JudgmentReadError):
    """The file is not a text or text-layer PDF the reader can read (kind, encoding, scan)."""


class NoOperativePart(JudgmentReadError):
    """The text has no operative part (주문): it is not a judgment, or not all of one."""


@dataclass(frozen=True, slots=True)
class Plaintiff:
    """A plaintiff of the header (or of the attached list): ``number`` in a numbered list,
    ``name`` the creditor, ``deceased`` the plaintiff whose suit ``name`` took over (망 …)."""

    number: int | None
    name: str
    deceased: str | None = None


@dataclass(frozen=True, slots=True)
class ParsedOrder:
    """One creditor's payment order: principal in whole won and the interest segments
    (empty when the judgment orders no interest). ``sentence`` is the operative sentence
    it was read from (``span`` its offsets in :attr:`JudgmentReading.text`); ``deceased`` the
    plaintiff whose suit the creditor took over."""

    creditor: str
    principal: int
    segments: tuple[Segment, ...]
    deceased: str | None = None
    sentence: str = ""
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A payment sentence of the operative part that could not be read whole."""

    sentence: str
    reason: str
    code: str
    span: tuple[int, int] = (0, 0)


@dataclass(frozen=True, slots=True)
class JudgmentReading:
    """What the reader found. ``orders`` in the text's order (an attached list in its own).
    ``text`` is the text as read (Unicode NFKC, newlines ``\\n``, page numbers removed); the
    ``span`` of an order or unparsed sentence and ``operative_span`` are offsets into it, for
    showing what was read beside the judgment."""

    case_number: str | None
    court: str | None
    debtors: tuple[str, ...]
    joint: bool
    orders: tuple[ParsedOrder, ...]
    unparsed: tuple[Unparsed, ...]
    plaintiffs: tuple[Plaintiff, ...] = ()
    operative_text: str = ""
    text: str = ""
    operative_span: tuple[int, int] = (0, 0)


# ---------------------------------------------------------------------------------------
# Text helpers

_SPACE = re.compile(r"\s+")
_QUOTES = re.compile(r"[\s'\"‘’“”「」『』`]+")
_BRACKETS = re.compile(r"[【】\[\]<>〈〉《》:：]")
_PARENS = re.compile(r"\([^()]*\)")
_PARENS_NOT_FORM = re.compile(r"\s*\((?!(?:주|유|합|사|재)\))[^()]*\)")  # keeps (주), a company's form
_ITEM_LETTERS = "가나다라마바사아자차카타파하"
_ITEM_MARKER = re.compile(
    rf"\s*(?:\(?(?:\d{{1,2}}|[{_ITEM_LETTERS}])\)|(?:\d{{1,2}}|[{_ITEM_LETTERS}])\.(?=\s|\S))\s*"
)
_PAGE_NUMBER = re.compile(r"^[ \t]*(?:[-–—][ \t]*\d{1,4}[ \t]*[-–—]|\d{1,4}[ \t]*/[ \t]*\d{1,4})[ \t]*$", re.M)


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    return _PAGE_NUMBER.sub("", text.replace("\f", "\n"))


def _compact(text: str) -> str:
    return _QUOTES.sub("", text)


def _label(line: str) -> str:
    return _BRACKETS.sub("", _compact(line))


def _spaced(word: str) -> str:
    return r"\s*".join(re.escape(ch) for ch in word)


# ---------------------------------------------------------------------------------------
# Header

_ROLE = r"(?:부대)?(?:피)?(?:상고|항소|항고|재항고|재심|부대항소)인"
_PARTY_LABEL = re.compile(
    rf"^\s*[【\[]?\s*(?P<role>{_spaced('원고')}|{_spaced('피고')})(?P<plural>\s*들)?\s*[】\]]?"
    rf"(?P<suffix>(?:\s*\([^)]*\))?(?:\s*[,，]\s*{_ROLE}(?:\s*겸\s*{_ROLE})*)*(?:\s*\([^)]*\))?)"
    r"(?:\s+|$)(?P<rest>.*)$"
)
_CASE_LABEL = re.compile(rf"^\s*[【\[]?\s*{_spaced('사건')}\s*[】\]]?\s*:?(?:\s+|$)(?P<rest>.*)$")
_CASE_NUMBER = re.compile(r"\d{2,4}\s*[가-힣]{1,3}\s*\d{1,8}")
_OTHER_LABEL_WORDS = ("원심판결", "제1심판결", "제2심판결", "환송판결", "변론종결", "판결선고", "원고보조참가인",
                      "피고보조참가인", "독립당사자참가인", "선정자", "환송전원심판결", "가처분결정", "재심대상판결")
_OTHER_LABEL = re.compile(r"^\s*[【\[]?\s*(?:" + "|".join(_spaced(word) for word in _OTHER_LABEL_WORDS) + ")")
_IGNORED_PARTY_LINES = re.compile(
    r"^(?:소송대리인|소송복대리인|법무법인|법률사무소|변호사|담당변호사|대표이사|대표자|대표집행임원|공동대표이사|대표취체역|"
    r"주소|송달장소|등록기준지|최후주소|소송수계인들?소송대리인|지배인|법정대리인|특별대리인|원고들?소송대리인|"
    r"피고들?소송대리인|위원고|위피고)"
)
_NUMBERED = re.compile(r"^\s*(\d{1,3})\s*(?:[.)]\s*|\s+)(\D.*)$")
_SUCCESSOR = re.compile(r"^(?:원고)?망(?P<deceased>.+?)의(?:소송수계인|소송승계인)(?:원고)?(?P<heir>.+)$")
_DECEASED_ONLY = re.compile(r"^(?:원고)?망.+?의(?:소송수계인|소송승계인)(?:들)?(?:원고)?$")
_ATTACHMENT_REF = re.compile(r"^별지(?:\d+)?(?:원고)?(?:들)?목록(?:의)?기재(?:와|과)?(?:같다|같음|같습니다)?")
_COURT = re.compile(r"^(대법원|[가-힣]{1,8}(?:고등|지방|가정|행정|회생|특허)법원(?:[가-힣]{1,6}지원)?)")
_NAME = re.compile(r"^[가-힣A-Za-z·]{1,30}$")


def _party_name(text: str, *, company: bool) -> str:
    if company:
        return _SPACE.sub(" ", _PARENS_NOT_FORM.sub(" ", text)).strip(" ,")
    text = _PARENS.sub(" ", text).strip(" ,")
    return _SPACE.split(text)[0] if text else ""


def _plaintiff_of(text: str, number: int | None) -> Plaintiff | None:
    compact = _PARENS.sub("", _compact(text))
    if _DECEASED_ONLY.match(compact):
        return None  # "망 X의 소송수계인" with the heirs on lines of their own: not read, never guessed
    match = _SUCCESSOR.match(compact)
    if match:
        heir = _PARENS.sub("", match.group("heir")).strip(",")
        return Plaintiff(number, heir, match.group("deceased")) if _NAME.match(heir) else None
    name = _party_name(text, company=False)
    if name.startswith("원고") and len(name) > 2:
        name = name[2:]
    return Plaintiff(number, name) if _NAME.match(name) else None


@dataclass(slots=True)
class _Header:
    court: str | None = None
    case_number: str | None = None
    plaintiffs: list[Plaintiff] = field(default_factory=list)
    plaintiffs_in_attachment: bool = False
    debtors: list[str] = field(default_factory=list)


def _read_header(lines: list[str]) -> _Header:
    header = _Header()
    section: str | None = None  # "plaintiff", "defendant", "case" or None
    numbered = False
    taken = False  # a non-numbered party section already has its name
    for line in lines:
        if not line.strip():
            continue
        if header.court is None and header.case_number is None and not header.plaintiffs:
            court = _COURT.match(_label(line))
            if court:
                header.court = court.group(1)
                continue
        case = _CASE_LABEL.match(line)
        if case and header.case_number is None:
            section = "case"
            found = _CASE_NUMBER.search(case.group("rest"))
            if found:
                header.case_number = _SPACE.sub("", found.group(0))
                section = None
            continue
        if section == "case":
            found = _CASE_NUMBER.search(line)
            if found:
                header.case_number = _SPACE.sub("", found.group(0))
                section = None
                continue
        if _OTHER_LABEL.match(line):
            section = None
            continue
        party = _PARTY_LABEL.match(line)
        rest: str
        if party and not _IGNORED_PARTY_LINES.match(_compact(party.group("rest"))):
            section = "plaintiff" if _compact(party.group("role")) == "원고" else "defendant"
            numbered, taken = False, False
            rest = party.group("rest").strip()
            if not rest:
                continue
        elif section in ("plaintiff", "defendant"):
            rest = line.strip()
        else:
            continue
        compact_rest = _compact(rest)
        if _IGNORED_PARTY_LINES.match(compact_rest):
            continue
        entry = _NUMBERED.match(rest)
        if entry:
            numbered = True
            number, text = int(entry.group(1)), entry.group(2)
            if section == "plaintiff":
                plaintiff = _plaintiff_of(text, number)
                if plaintiff:
                    header.plaintiffs.append(plaintiff)
            else:
                name = _party_name(text, company=True)
                if name:
                    header.debtors.append(name)
            continue
        if numbered or taken:
            continue  # an address or another line under a named party
        taken = True
        if section == "plaintiff":
            if _ATTACHMENT_REF.match(compact_rest):
                header.plaintiffs_in_attachment = True
                continue
            plaintiff = _plaintiff_of(rest, None)
            if plaintiff:
                header.plaintiffs.append(plaintiff)
        else:
            name = _party_name(rest, company=True)
            if name:
                header.debtors.append(name)
    return header


# ---------------------------------------------------------------------------------------
# Operative part and attachment

_OPERATIVE_LABEL = re.compile(r"^\s*(?:[【\[<〈]\s*주\s*문\s*[】\]>〉]|주\s*문)\s*:?\s*(?P<rest>.*)$")
_OPERATIVE_END = re.compile(
    r"^(?:(?:청구|항소|상고|부대항소|항고|재심)취지.{0,20}|청구취지및(?:부대)?항소취지.{0,10}|이유|판결이유|"
    r"재판장.*|대법관.*|판사.*)$"
)
_ATTACHMENT_HEADING = re.compile(r"^별지(?:\d+)?(?:[가-힣]{0,10}(?:목록|표))?$")
_TABLE_ROW = re.compile(
    r"^\s*(\d{1,4})\s*[.)]?\s+(?P<name>.+?)(?:\s+(?:금\s*)?(?P<amount>\d{1,3}(?:,\d{3})+|\d+)\s*원?)?\s*$"
)


def _operative_bounds(lines: list[str]) -> tuple[int, int, int]:
    """The index of the 주문 line, of the line that ends the operative part, and the column
    where the operative text starts on the 주문 line (past its end when nothing follows there)."""
    for index, line in enumerate(lines):
        match = _OPERATIVE_LABEL.match(line)
        if not match:
            continue
        rest = match.group("rest").strip()
        bracketed = line.strip()[:1] in "【[<〈"
        if rest and not bracketed:
            continue  # "주문과 같이 …": a sentence, not the label
        end = len(lines)
        previous = rest
        for later in range(index + 1, len(lines)):
            label = _label(lines[later])
            if not label:
                continue
            # an attached list's heading only after a finished sentence: a wrapped line "별지 목록" is not one
            if _OPERATIVE_END.match(label) or (_ATTACHMENT_HEADING.match(label) and previous.rstrip().endswith(".")):
                end = later
                break
            previous = lines[later]
        return index, end, match.start("rest") if rest else len(line) + 1
    raise NoOperativePart(
        NO_OPERATIVE_PART,
        "the text has no operative part (주문): no line reads '주 문'; give the whole judgment",
    )


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    plaintiff: Plaintiff
    amount: int | None
    text: str


def _read_attachments(lines: list[str], start: int) -> list[list[_Row]]:
    blocks: list[list[_Row]] = []
    current: list[_Row] | None = None
    for line in lines[start:]:
        label = _label(line)
        if label and _ATTACHMENT_HEADING.match(label):
            current = []
            blocks.append(current)
            continue
        if current is None:
            continue
        match = _TABLE_ROW.match(line)
        if not match:
            continue
        plaintiff = _plaintiff_of(match.group("name"), int(match.group(1)))
        if plaintiff is None:
            continue
        amount = match.group("amount")
        current.append(_Row(int(match.group(1)), plaintiff, int(amount.replace(",", "")) if amount else None,
                            line.strip()))
    return [block for block in blocks if block]


_SENTENCE = re.compile(r"[다라]\s*\.|[다라](?=\s*\n\s*(?:\(?\d{1,2}[.)]|[" + _ITEM_LETTERS + r"][.)])\s)")


def _sentences(text: str) -> list[tuple[str, int, int]]:
    """The sentences of the operative part, item markers and surplus spaces removed, each with
    the offsets of its words in ``text``."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE.finditer(text):
        bounds.append((start, match.end()))
        start = match.end()
    bounds.append((start, len(text)))
    out = []
    for start, end in bounds:
        while start < end:
            marker = _ITEM_MARKER.match(text, start, end)
            if marker and marker.end() > start:
                start = marker.end()
            elif text[start].isspace():
                start += 1
            else:
                break
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((_SPACE.sub(" ", text[start:end]), start, end))
    return out


# ---------------------------------------------------------------------------------------
# Order sentences (read on the text without spaces)

_DATE = r"(\d{4})(?:\.(\d{1,2})\.(\d{1,2})\.?|년(\d{1,2})월(\d{1,2})일)"
_RECIPIENT_START = r"(?=원고|망|별지|선정자)"
_SUBJECT = re.compile(r"(?:은|는)(?P<joint>공동하여|연대하여|합동하여|각자)?" + _RECIPIENT_START)
_WHO_TABLE = re.compile(r"별지(?:\d+)?(?:원고)?(?:들)?목록(?:의)?(?:기재)?(?:의)?(?:각)?원고(?:들)?에게(?P<each>각)?")
_TABLE_AMOUNTS = re.compile(r"같은목록(?:의)?인용금액(?:란|난)?(?:에)?기재(?:의)?각(?:돈|금원|금액)")
_WHO_ALL = re.compile(r"원고(?P<plural>들)?에게(?P<each>각)?")
_WHO_NUMBERS = re.compile(r"원고(?P<numbers>\d+(?:(?:내지|,|및|~)\d+)*)에게(?P<each>각)?")
_WHO_NAMES = re.compile(r"(?P<lead>망[^\d,]+?의(?:소송수계인|소송승계인))?(?:원고)?(?P<names>[^\d]+?)에게(?P<each>각)?")
_AMOUNT = re.compile(r"(?:각)?(?:금)?(?P<amount>\d{1,3}(?:,\d{3})+|\d+)원(?:씩)?")
_NEXT_GROUP = re.compile(r"(?:,|및)" + _RECIPIENT_START)
_INTEREST_INTRO = re.compile(r"(?:및|과)(?P<ref>(?:위|그)?(?:각)?(?:돈|금원|금액)|(?:각)?이)?에대(?:하여|한)")
_PARTIAL_INTEREST = re.compile(r"(?:및|과)(?:위|그|각|이)*(?:돈|금원|금액)?(?:중|가운데)")
_NO_INTEREST_TAIL = re.compile(r"(?:을|를)지급하라\.?$")
_TAIL = re.compile(
    r"(?:각)?비율(?:로|에의한|에따른|에의하여)(?:계산한|계산된|산정한)?(?:각)?(?:돈|금원|금액|지연손해금)(?:을|를)지급하라\.?$"
)
_START = re.compile(r"(?:각)?(?:(?P<next>그다음날)|" + _DATE + r")부터")
_END = re.compile(r"(?:각)?(?:(?P<paid>다갚는날|다갚을때|완제일|완제시)|" + _DATE + r")까지(?:는|의)?")
_RATE = re.compile(
    r"(?:(?:각)?(?:민법|상법|소송촉진등에관한특례법)(?:이|에서|에)?(?:정한|정하는|소정의|따른|의))?(?:각)?연"
    r"(?:(?P<percent>\d+(?:\.\d+)?)(?:%|퍼센트|프로)|(?:100|백)분의(?P<hundredth>\d+(?:\.\d+)?)"
    r"|(?P<hal>\d+)할(?:(?P<hal_pun>\d)푼)?(?:(?P<hal_ri>\d)리)?|(?P<pun>\d)푼(?:(?P<pun_ri>\d)리)?)(?:의)?"
)
_COMMA = re.compile(r",")
_END_WORDING = re.compile(r"지급하라\.?$")
_PAY_AND = re.compile(r"(?<=을|를)지급하고,?" + _RECIPIENT_START)


class _Unreadable(Exception):
    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _date(match: re.Match, offset: int) -> date:
    year = int(match.group(offset))
    month = match.group(offset + 1) or match.group(offset + 3)
    day = match.group(offset + 2) or match.group(offset + 4)
    try:
        return date(year, int(month), int(day))
    except ValueError:
        raise _Unreadable(UNPARSED_DATE, f"'{match.group(0)}' is not a calendar date") from None


def _rate(match: re.Match) -> Decimal:
    if match.group("percent") is not None:
        value = Decimal(match.group("percent"))
    elif match.group("hundredth") is not None:
        value = Decimal(match.group("hundredth"))
    elif match.group("hal") is not None:  # 할 = 10 %, 푼 = 1 %, 리 = 0.1 %
        value = (Decimal(match.group("hal")) * 10 + Decimal(match.group("hal_pun") or 0)
                 + Decimal(match.group("hal_ri") or 0) / 10)
    else:
        value = Decimal(match.group("pun")) + Decimal(match.group("pun_ri") or 0) / 10
    if not Decimal(0) < value <= Decimal(100):
        raise _Unreadable(UNPARSED_RATE, f"'{match.group(0)}' is not an annual rate between 0 and 100 %")
    return Decimal(rate_text(value))


@dataclass(slots=True)
class _RawSegment:
    start: date | str | None  # a date, "next" (그 다음 날), None (given per creditor)
    end: date | None
    rate: Decimal


@dataclass(slots=True)
class _Fragment:
    """Interest wording after one recipient: a start only (``start``) or whole segments."""

    start: date | None = None
    segments: list[_RawSegment] = field(default_factory=list)
    plural: bool = True


@dataclass(slots=True)
class _Group:
    creditors: list[Plaintiff]
    amounts: list[int]
    fragment: _Fragment | None = None


class _OrderSentence:
    """Reads one payment sentence; raises :class:`_Unreadable` with the reason."""

    def __init__(self, text: str, plaintiffs: list[Plaintiff], table: list[_Row] | None) -> None:
        self.s = _compact(text)
        self.pos = 0
        self.plaintiffs = plaintiffs
        self.table = table
        self.joint = False

    def _at(self) -> str:
        rest = self.s[self.pos:self.pos + 24]
        return f"at '{rest}…'" if rest else "at the end"

    def _match(self, pattern: re.Pattern) -> re.Match | None:
        match = pattern.match(self.s, self.pos)
        if match:
            self.pos = match.end()
        return match

    def read(self) -> list[ParsedOrder]:
        if not _END_WORDING.search(self.s):
            raise _Unreadable(UNPARSED_SENTENCE_END, "the order does not end with '지급하라'; its end was not found")
        subject = _SUBJECT.search(self.s)
        if not subject:
            raise _Unreadable(UNPARSED_RECIPIENT, "no recipient (원고 …에게) follows the debtor's name")
        self.joint = subject.group("joint") in ("공동하여", "연대하여", "합동하여")
        # "…을 지급하고, 원고 을에게 …을 지급하라": clauses of their own, each read as a sentence
        clauses = _PAY_AND.split(self.s[subject.end():])
        orders: list[ParsedOrder] = []
        for number, clause in enumerate(clauses, 1):
            self.s = clause if number == len(clauses) else clause + "지급하라"
            self.pos = 0
            orders += self._clause()
        return orders

    def _clause(self) -> list[ParsedOrder]:
        groups: list[_Group] = []
        final: _Fragment | None = None
        while True:
            group = self._group()
            groups.append(group)
            if self._match(_NEXT_GROUP):
                continue
            if self._match(_PARTIAL_INTEREST):
                raise _Unreadable(UNPARSED_INTEREST_SCOPE, "interest runs on a part of the amount (그 중 …)")
            intro = self._match(_INTEREST_INTRO)
            if intro:
                fragment = self._fragment(plural=intro.group("ref") is not None and "각" in intro.group("ref"))
                group.fragment = fragment
                if self._match(_NEXT_GROUP):
                    continue
                if self._match(_TAIL):
                    if not fragment.segments:
                        raise _Unreadable(UNPARSED_SEGMENTS, f"no interest rate {self._at()}")
                    final = fragment
                    break
                raise _Unreadable(UNPARSED_WORDING, f"unexpected wording in the interest terms {self._at()}")
            if self._match(_NO_INTEREST_TAIL):
                break
            raise _Unreadable(UNPARSED_WORDING, f"unexpected wording after the amount {self._at()}")
        return self._orders(groups, final)

    def _group(self) -> _Group:
        if self._match(_WHO_TABLE):
            if self.table is None:
                raise _Unreadable(UNPARSED_ATTACHMENT, "the attached list (별지) of plaintiffs was not found")
            creditors = [row.plaintiff for row in self.table]
            if self._match(_TABLE_AMOUNTS):
                missing = [row.number for row in self.table if not row.amount]
                if missing:
                    raise _Unreadable(UNPARSED_ATTACHMENT, f"the attached list gives no amount in row(s) {missing}")
                return _Group(creditors, [row.amount or 0 for row in self.table])
            return self._amounts(creditors, each=True)
        match = self._match(_WHO_ALL)
        if match:
            if match.group("plural"):
                if not match.group("each"):
                    raise _Unreadable(UNPARSED_AMBIGUOUS, "'원고들에게' without '각': one sum for several plaintiffs")
                if not self.plaintiffs:
                    raise _Unreadable(UNPARSED_PLAINTIFF_UNKNOWN, "'원고들' but the header names no plaintiffs")
                return self._amounts(list(self.plaintiffs), each=True)
            if len(self.plaintiffs) != 1:
                raise _Unreadable(UNPARSED_PLAINTIFF_UNKNOWN,
                                  f"'원고에게' but the header names {len(self.plaintiffs)} plaintiffs, not one")
            return self._amounts(list(self.plaintiffs), each=bool(match.group("each")))
        match = self._match(_WHO_NUMBERS)
        if match:
            return self._amounts(self._numbered(match.group("numbers")), each=bool(match.group("each")))
        match = self._match(_WHO_NAMES)
        if match and (match.group("lead") or match.group(0).startswith("원고")):
            lead = match.group("lead")
            creditors = self._named(match.group("names"), lead)
            return self._amounts(creditors, each=bool(match.group("each")))
        raise _Unreadable(UNPARSED_RECIPIENT, f"no recipient could be read {self._at()}")

    def _numbered(self, text: str) -> list[Plaintiff]:
        numbers: list[int] = []
        for part in re.split(r",|및", text):
            bounds = re.split(r"내지|~", part)
            low, high = int(bounds[0]), int(bounds[-1])
            if high < low or high - low > 10000:
                raise _Unreadable(UNPARSED_RECIPIENT, f"'원고 {part}' is not a range of plaintiffs")
            numbers.extend(range(low, high + 1))
        by_number = {p.number: p for p in self.plaintiffs if p.number is not None}
        missing = [n for n in numbers if n not in by_number]
        if missing:
            shown = ", ".join(str(n) for n in missing[:10]) + (" …" if len(missing) > 10 else "")
            raise _Unreadable(UNPARSED_PLAINTIFF_UNKNOWN, f"plaintiff number(s) {shown} are not in the header's list")
        return [by_number[n] for n in numbers]

    def _named(self, text: str, lead: str | None) -> list[Plaintiff]:
        creditors: list[Plaintiff] = []
        for part in text.split(","):
            piece = _PARENS.sub("", part)
            if lead and not creditors:
                piece = lead + piece
            if not piece.startswith("망") and piece.startswith("원고"):
                piece = piece[2:]
            successor = _SUCCESSOR.match(piece)
            if successor:
                name, deceased = successor.group("heir"), successor.group("deceased")
            else:
                name, deceased = piece, None
            if name.startswith("원고"):
                name = name[2:]
            if not _NAME.match(name) or (deceased is not None and not _NAME.match(deceased)):
                raise _Unreadable(UNPARSED_RECIPIENT, f"'{part}' is not read as a plaintiff's name")
            creditors.append(Plaintiff(None, name, deceased))
        if lead and len(creditors) > 1:
            # 망 X의 소송수계인 원고 A, B에게: all heirs of X
            deceased = creditors[0].deceased
            creditors = [Plaintiff(None, c.name, c.deceased or deceased) for c in creditors]
        return creditors

    def _amounts(self, creditors: list[Plaintiff], *, each: bool) -> _Group:
        match = self._match(_AMOUNT)
        if not match:
            raise _Unreadable(UNPARSED_AMOUNT, f"no amount in won could be read {self._at()}")
        amount = int(match.group("amount").replace(",", ""))
        if amount <= 0:
            raise _Unreadable(UNPARSED_AMOUNT, f"the amount '{match.group(0)}' is not positive")
        if len(creditors) > 1 and not each and not match.group(0).startswith("각"):
            raise _Unreadable(UNPARSED_AMBIGUOUS, "one amount for several creditors without '각' (each)")
        return _Group(creditors, [amount] * len(creditors))

    def _fragment(self, *, plural: bool) -> _Fragment:
        fragment = _Fragment(plural=plural)
        first = True
        while True:
            start_match = self._match(_START)
            start: date | str | None
            if start_match:
                start = "next" if start_match.group("next") else _date(start_match, 2)
            elif first:
                start = None
            else:
                break
            end_match = self._match(_END)
            if not end_match and start is None:
                raise _Unreadable(UNPARSED_DATE, f"no start date of the interest (…부터) could be read {self._at()}")
            if not end_match:
                if first and isinstance(start, date) and (self._next_group_ahead() or self._match_peek(_START)):
                    fragment.start = start
                    return fragment
                raise _Unreadable(UNPARSED_SEGMENTS,
                                  f"no end of the interest period (…까지) could be read {self._at()}")
            end = None if end_match.group("paid") else _date(end_match, 2)
            rate_match = self._match(_RATE)
            if not rate_match:
                raise _Unreadable(UNPARSED_RATE, f"no annual rate (연 …%) could be read {self._at()}")
            fragment.segments.append(_RawSegment(start, end, _rate(rate_match)))
            first = False
            if self._comma_then_start():
                continue
            if self._match_peek(_START):
                continue
            break
        return fragment

    def _next_group_ahead(self) -> bool:
        return _NEXT_GROUP.match(self.s, self.pos) is not None

    def _match_peek(self, pattern: re.Pattern) -> bool:
        return pattern.match(self.s, self.pos) is not None

    def _comma_then_start(self) -> bool:
        if self.s.startswith(",", self.pos) and _START.match(self.s, self.pos + 1):
            self.pos += 1
            return True
        return False

    def _orders(self, groups: list[_Group], final: _Fragment | None) -> list[ParsedOrder]:
        orders: list[ParsedOrder] = []
        final_owner = next((g for g in reversed(groups) if g.fragment is final), None) if final else None
        for group in groups:
            raw = self._raw_segments(group, final, final_owner)
            segments = _materialize(raw) if raw else ()
            for creditor, amount in zip(group.creditors, group.amounts, strict=True):
                orders.append(ParsedOrder(creditor.name, amount, segments, creditor.deceased))
        return orders

    def _raw_segments(self, group: _Group, final: _Fragment | None, owner: _Group | None) -> list[_RawSegment]:
        fragment = group.fragment
        if fragment is not None and fragment.segments:
            if fragment.segments[0].start is None:
                raise _Unreadable(UNPARSED_SEGMENTS, "the interest has no start date (…부터)")
            return fragment.segments
        if fragment is not None:  # a start of its own, terms shared with the last creditor's
            if final is None:
                raise _Unreadable(UNPARSED_SEGMENTS, "a start date without the interest terms that follow it")
            return [_RawSegment(fragment.start, final.segments[0].end, final.segments[0].rate),
                    *final.segments[1:]]
        if final is None:
            return []
        if group is not owner and not final.plural:
            raise _Unreadable(UNPARSED_INTEREST_SCOPE, "'및 이에 대하여' follows the last amount only; "
                              "the interest of the earlier amounts is unclear")
        if final.segments[0].start is None:
            raise _Unreadable(UNPARSED_SEGMENTS, "the interest has no start date (…부터)")
        return final.segments


def _materialize(raw: list[_RawSegment]) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    for number, item in enumerate(raw, 1):
        start = item.start
        if start == "next":
            previous = segments[-1] if segments else None
            if previous is None or previous.end is None:
                raise _Unreadable(UNPARSED_SEGMENTS, f"segment {number}: '그 다음 날' follows no end date")
            start = previous.end + timedelta(days=1)
        if not isinstance(start, date):
            raise _Unreadable(UNPARSED_SEGMENTS, f"segment {number} has no start date")
        if segments and segments[-1].end is None:
            raise _Unreadable(UNPARSED_SEGMENTS, f"segment {number} follows a segment that runs until paid")
        if item.end is not None and item.end < start:
            raise _Unreadable(UNPARSED_SEGMENTS, f"segment {number} ends on {item.end} before it starts on {start}")
        segments.append(Segment(start, item.end, item.rate))
    try:  # the engine's own rules (no gap, no overlap, rates in range): what it cannot compute is not an order
        JudgmentOrder(1, tuple(segments)).validate()
    except InterestError as exc:
        raise _Unreadable(UNPARSED_SEGMENTS, f"the interest segments as written break a rule: {exc.message}") from None
    return tuple(segments)


# ---------------------------------------------------------------------------------------
# The reader


def parse_judgment(text: str) -> JudgmentReading:
    """Read a judgment's text. Raises :class:`EmptyJudgment` for an empty text and
    :class:`NoOperativePart` without 주문; every other difficulty is an ``unparsed`` entry."""
    if not text or not text.strip():
        raise EmptyJudgment(EMPTY, "the judgment text is empty")
    lines = _normalize(text).split("\n")
    begin, end, column = _operative_bounds(lines)
    header = _read_header(lines[:begin])
    blocks = _read_attachments(lines, end)
    table = next((block for block in blocks if any(row.amount for row in block)), blocks[0] if blocks else None)
    plaintiffs = list(header.plaintiffs)
    if header.plaintiffs_in_attachment and not plaintiffs and blocks:
        plaintiffs = [row.plaintiff for row in blocks[0]]
    normalized = "\n".join(lines)
    offset = sum(len(line) + 1 for line in lines[:begin]) + column
    operative = normalized[offset:max(offset, sum(len(line) + 1 for line in lines[:end]) - 1)].rstrip()
    heirs = {p.name: p.deceased for p in plaintiffs if p.deceased}  # the header says whose suit an heir took over
    orders: list[ParsedOrder] = []
    unparsed: list[Unparsed] = []
    joint = False
    for sentence, start, stop in _sentences(operative):
        span = (offset + start, offset + stop)
        if "지급하라" not in _compact(sentence):
            continue
        reader = _OrderSentence(sentence, plaintiffs, table)
        try:
            found = reader.read()
        except _Unreadable as exc:
            unparsed.append(Unparsed(sentence, exc.reason, exc.code, span))
            continue
        except (ValueError, ArithmeticError, OverflowError) as exc:  # a number beyond range
            unparsed.append(Unparsed(sentence, f"a number could not be read ({exc})", UNPARSED_WORDING, span))
            continue
        joint = joint or reader.joint
        orders.extend(ParsedOrder(o.creditor, o.principal, o.segments, o.deceased or heirs.get(o.creditor), sentence,
                                  span) for o in found)
    return JudgmentReading(
        case_number=header.case_number, court=header.court, debtors=tuple(header.debtors), joint=joint,
        orders=tuple(orders), unparsed=tuple(unparsed), plaintiffs=tuple(plaintiffs), operative_text=operative,
        text=normalized, operative_span=(offset, offset + len(operative)),
    )


def _segment_json(segment: Segment) -> dict:
    end = segment.end.isoformat() if segment.end is not None else None
    return {"start": segment.start.isoformat(), "end": end, "rate": rate_text(segment.rate)}


def result_to_json_dict(reading: JudgmentReading) -> dict:
    """The reading as the JSON of ``baesang judgment parse --json`` and ``POST /api/judgments/parse``."""
    return {
        "case_number": reading.case_number,
        "court": reading.court,
        "debtors": list(reading.debtors),
        "joint": reading.joint,
        "orders": [
            {
                "creditor": order.creditor,
                "principal": order.principal,
                "segments": [_segment_json(segment) for segment in order.segments],
            }
            for order in reading.orders
        ],
        "unparsed": [{"sentence": u.sentence, "reason": u.reason, "code": u.code} for u in reading.unparsed],
    }


def order_to_interest(order: ParsedOrder) -> JudgmentOrder:
    """The order as the interest engine's input (:func:`baesang.calc.interest.amount_due`).
    An order without interest has no segment; the engine refuses that (``no_segments``),
    so callers treat it as its principal alone."""
    return JudgmentOrder(principal=order.principal, segments=order.segments)
