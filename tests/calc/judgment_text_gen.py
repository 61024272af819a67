"""A generator of Korean civil judgment texts for the reader's property test and benchmark.

It draws random payment orders (pseudonymous names, amounts, dates, rate schedules) and
renders them into the court's wording with every construct the reader must understand:
spaced labels, role suffixes, a numbered plaintiff list with address and counsel lines, heirs
who took over a suit (망 … 소송수계인), plaintiffs given in an attached list, recipients
(원고에게 / 원고들에게 각 / 원고 X, Y에게 각 / 원고 1 내지 3에게 각 / the attached list's amounts),
one schedule for all or a start date per creditor, any number of segments, the three ways of
writing a date and of writing a rate, the older ``…의 비율에 의한 금원`` wording, orders
without interest, non-paying items (dismissals, costs, 가집행, cancellation, 변경한다 with
sub-items), a claim section after the operative part that must not be read, and line wraps.
``expected`` is what the reader must return, in its JSON form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = "갑을병동순녀자영철수희민숙옥남식호훈미경진현성준혜연주석태"
DEBTORS = ("일본제철 주식회사", "미쓰비시중공업 주식회사", "주식회사 후지코시", "히타치조선 주식회사")
COURTS = (("대법원", "대 법 원"), ("서울고등법원", "서 울 고 등 법 원"), ("광주고등법원", "광주고등법원"),
          ("광주지방법원", "광 주 지 방 법 원"), ("서울중앙지방법원", "서울중앙지방법원"))
CASE_KINDS = ("다", "나", "가합", "가단")


@dataclass(frozen=True)
class GeneratedJudgment:
    text: str
    expected: dict


def won(amount: int, *, prefix: bool, commas: bool = True) -> str:
    digits = f"{amount:,}" if commas else str(amount)
    return f"{'금 ' if prefix else ''}{digits}원"


def date_text(day: date, style: int) -> str:
    if style == 0:
        return f"{day.year}. {day.month}. {day.day}."
    if style == 1:
        return f"{day.year}.{day.month}.{day.day}."
    return f"{day.year}년 {day.month}월 {day.day}일"


def rate_words(rate: Decimal, style: int) -> str:
    text = format(rate.normalize(), "f")
    if style == 1:
        return f"연 100분의 {text}"
    if style == 2 and rate == rate.to_integral_value() and rate < 100:  # 할 = 10 %, 푼 = 1 %
        tens, ones = divmod(int(rate), 10)
        parts = ([f"{tens}할"] if tens else []) + ([f"{ones}푼"] if ones else [])
        return "연 " + " ".join(parts)
    return f"연 {text}%"


def spaced(word: str, draw) -> str:
    return " ".join(word) if draw(st.booleans()) else word


@st.composite
def names(draw, count: int) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        size = draw(st.integers(1, 2))
        name = draw(st.sampled_from(SURNAMES)) + "".join(draw(st.sampled_from(GIVEN)) for _ in range(size))
        if name not in found:
            found.append(name)
    return found


@st.composite
def schedules(draw, first_start: date | None = None) -> list[tuple[date, date | None, Decimal]]:
    """1–4 segments that follow without a gap; the last until paid or (rarely) fixed."""
    start = first_start or draw(st.dates(date(1990, 1, 1), date(2024, 12, 31)))
    count = draw(st.integers(1, 4))
    segments = []
    for index in range(count):
        last = index == count - 1
        until_paid = last and draw(st.integers(0, 5)) > 0
        end = None if until_paid else start + timedelta(days=draw(st.integers(0, 2000)))
        rate = draw(st.sampled_from([Decimal(v) for v in ("5", "6", "12", "15", "20", "12.5", "0.5", "18.25", "25")]))
        segments.append((start, end, rate))
        if end is None:
            break
        start = end + timedelta(days=1)
    return segments


def schedule_json(segments) -> list[dict]:
    return [{"start": s.isoformat(), "end": e.isoformat() if e else None, "rate": format(r.normalize(), "f")}
            for s, e, r in segments]


@st.composite
def schedule_words(draw, segments, *, with_first_start: bool = True, old: bool = False) -> str:
    parts = []
    for index, (start, end, rate) in enumerate(segments):
        if index == 0:
            begin = f"{date_text(start, draw(st.integers(0, 2)))}부터 " if with_first_start else "각 "
        elif draw(st.integers(0, 3)):
            begin = "그 다음 날부터 "
        else:
            begin = f"{date_text(start, draw(st.integers(0, 2)))}부터 "
        topic = "는" if len(segments) > 1 else ""
        finish = f"다 갚는 날까지{topic} " if end is None else f"{date_text(end, draw(st.integers(0, 2)))}까지{topic} "
        last = index == len(segments) - 1
        of = "의" if last or draw(st.booleans()) else ""
        parts.append(begin + finish + rate_words(rate, draw(st.integers(0, 2))) + of)
    tail = " 각" if len(segments) > 1 else ""
    ending = "비율에 의한 금원을 지급하라." if old else "비율로 계산한 돈을 지급하라."
    return ", ".join(parts) + f"{tail} {ending}"


def plaintiff_words(name: str, deceased: str | None) -> str:
    return f"망 {deceased}의 소송수계인 {name}" if deceased else name


@st.composite
def judgments(draw) -> GeneratedJudgment:
    count = draw(st.integers(1, 7))
    all_names = draw(names(count * 2))
    plaintiffs = []  # (number, name, deceased)
    for number in range(1, count + 1):
        heir = draw(st.integers(0, 3)) == 0
        plaintiffs.append((number, all_names[number - 1], all_names[count + number - 1] if heir else None))
    header_style = draw(st.sampled_from(["numbered", "attachment"] if count > 1 else ["single", "numbered"]))
    joint = draw(st.booleans())
    debtors = list(draw(st.lists(st.sampled_from(DEBTORS), min_size=2 if joint else 1, max_size=2, unique=True)))
    joint = joint and len(debtors) > 1
    court, court_words = draw(st.sampled_from(COURTS))
    case_number = f"{draw(st.integers(2010, 2024))}{draw(st.sampled_from(CASE_KINDS))}{draw(st.integers(1, 999999))}"

    lines = [court_words, f"제{draw(st.integers(1, 20))}민사부", "판 결", "",
             f"{spaced('사건', draw)}    {case_number} 손해배상(기)"]
    role = draw(st.sampled_from(["원 고", "원고, 피항소인", "원고, 피상고인", "원고(선정당사자)"]))
    if header_style == "single":
        number, name, deceased = plaintiffs[0]
        lines += [f"{role}    {plaintiff_words(name, deceased)}", "        서울 종로구 세종대로 1"]
    elif header_style == "numbered":
        for number, name, deceased in plaintiffs:
            head = f"{role}    " if number == 1 else "        "
            lines += [f"{head}{number}. {plaintiff_words(name, deceased)}", "           광주 동구 금남로 3"]
        lines.append("        원고들 소송대리인 변호사 정대리")
    else:
        lines.append(f"{role}    별지 원고 목록 기재와 같다.")
    defendant_role = draw(st.sampled_from(["피 고", "피고, 항소인", "피고, 상고인"]))
    if len(debtors) == 1:
        lines += [f"{defendant_role}    {debtors[0]}", "        일본국 도쿄도", "        대표이사 가나다"]
    else:
        for number, debtor in enumerate(debtors, 1):
            head = f"{defendant_role}    " if number == 1 else "        "
            lines += [f"{head}{number}. {debtor}", "           일본국 도쿄도", "           대표이사 라마바"]
    lines += ["        피고들 소송대리인 법무법인 사아",
              "제1심판결    광주지방법원 2013. 11. 1. 선고 2012가합5678 판결",
              f"{spaced('변론종결', draw)}    2015. 5. 12.", f"{spaced('판결선고', draw)}    2015. 6. 24.", ""]

    # Which plaintiffs win, and the sentences that order payment.
    winners = [p for p in plaintiffs if draw(st.integers(0, 4))] or [plaintiffs[0]]
    no_order = draw(st.integers(0, 15)) == 0
    subject = "피고들은 공동하여" if joint else ("피고들은 각자" if len(debtors) > 1 else "피고는")
    sentences: list[str] = []
    expected_orders: list[dict] = []
    table_rows: list[str] = []
    table_amounts: dict[int, int] = {}
    if not no_order:
        use_table = header_style == "attachment" and draw(st.booleans())
        if use_table:
            segments = draw(schedules())
            for number, name, deceased in plaintiffs:
                if (number, name, deceased) in winners:
                    table_amounts[number] = draw(st.integers(1, 10**10))
            numbers = [n for n, _, _ in winners]
            # the attached list names the winners only (the losers are not in it in this variant)
            sentence = (f"{subject} 별지 목록 기재 각 원고에게 같은 목록 '인용금액'란 기재 각 돈 및 위 각 돈에 대하여 "
                        + draw(schedule_words(segments)))
            sentences.append(sentence)
            for number in numbers:
                _, name, _ = plaintiffs[number - 1]
                expected_orders.append({"creditor": name, "principal": table_amounts[number],
                                        "segments": schedule_json(segments)})
        else:
            split = draw(st.integers(1, len(winners))) if len(winners) > 1 and draw(st.booleans()) else len(winners)
            for chunk in (winners[:split], winners[split:]):
                if chunk:
                    sentence, orders = draw(order_sentence(subject, chunk, plaintiffs, header_style))
                    sentences.append(sentence)
                    expected_orders += orders
            if len(sentences) == 2 and draw(st.booleans()):  # "…을 지급하고, 원고 …에게 …을 지급하라."
                first, second = sentences
                sentences = [first.removesuffix("지급하라.") + "지급하고, " + second.removeprefix(subject + " ")]
    if header_style == "attachment":
        for number, name, deceased in plaintiffs:
            amount = table_amounts.get(number)
            if table_amounts and amount is None:
                continue
            cell = f"    {won(amount, prefix=False)}" if amount else ""
            table_rows.append(f"{number}    {plaintiff_words(name, deceased)}{cell}")

    lines.append(draw(st.sampled_from(["주 문", "주       문", "주문", "【주문】"])))
    lines += operative_items(draw, sentences, all_won=len(winners) == len(plaintiffs))
    lines.append("")
    after = draw(st.sampled_from(["청구취지 및 항소취지", "청 구 취 지", "이 유", ""]))
    if after:
        lines += [after, "피고는 원고들에게 각 999,999,999원 및 이에 대하여 2010. 1. 1.부터 다 갚는 날까지 연 20%의 "
                         "비율로 계산한 돈을 지급하라.", ""]
    if table_rows:
        lines += ["[별지]", "원고 목록", "번호    원고    인용금액", *table_rows]
    expected = {"case_number": case_number, "court": court, "debtors": debtors, "joint": joint and bool(sentences),
                "orders": expected_orders, "unparsed": []}
    return GeneratedJudgment("\n".join(lines) + "\n", expected)


@st.composite
def order_sentence(draw, subject: str, chunk, plaintiffs, header_style: str):
    """One payment sentence for the plaintiffs of ``chunk`` (in order), and its expected orders."""
    mode = draw(st.sampled_from(["shared", "shared", "per_start", "per_schedule", "none", "old"]))
    numbered = header_style in ("numbered", "attachment")
    # groups of consecutive plaintiffs that receive the same amount
    groups: list[list] = []
    index = 0
    while index < len(chunk):
        size = 1 if mode in ("per_start", "per_schedule", "old") else draw(st.integers(1, len(chunk) - index))
        groups.append(chunk[index:index + size])
        index += size
    amounts = [draw(st.integers(1, 10**10)) for _ in groups]
    whole = len(chunk) == len(plaintiffs)

    def recipient(group) -> str:
        names_only = list(group)
        if len(plaintiffs) == 1 and header_style == "single" and draw(st.booleans()):
            return "원고에게"
        if whole and len(groups) == 1 and len(plaintiffs) > 1 and draw(st.booleans()):
            return "원고들에게 각"
        numbers = [n for n, _, _ in group]
        if numbered and draw(st.booleans()):
            if len(numbers) == 1:
                return f"원고 {numbers[0]}에게"
            if numbers == list(range(numbers[0], numbers[-1] + 1)) and draw(st.booleans()):
                return f"원고 {numbers[0]} 내지 {numbers[-1]}에게 각"
            return "원고 " + ", ".join(str(n) for n in numbers) + "에게 각"
        if len(names_only) == 1 and names_only[0][2] and draw(st.booleans()):
            _, name, deceased = names_only[0]
            return f"망 {deceased}의 소송수계인 원고 {name}에게"
        words = ", ".join(plaintiff_words(name, deceased) for _, name, deceased in names_only)
        return f"원고 {words}에게" + (" 각" if len(names_only) > 1 else "")

    prefix = draw(st.booleans())
    commas = draw(st.integers(0, 5)) > 0
    clauses = [f"{recipient(group)} {won(amount, prefix=prefix, commas=commas)}"
               for group, amount in zip(groups, amounts, strict=True)]
    orders: list[dict] = []
    if mode == "none":
        sentence = f"{subject} " + ", ".join(clauses) + "을 지급하라."
        for group, amount in zip(groups, amounts, strict=True):
            orders += [{"creditor": name, "principal": amount, "segments": []} for _, name, _ in group]
        return sentence, orders
    if mode in ("shared", "old"):
        segments = draw(schedules())
        several = len(chunk) > 1
        if mode == "old":
            intro = "및 위 각 금원에 대한" if several else "및 이에 대한"
        else:
            intro = draw(st.sampled_from(["및 위 각 돈에 대하여", "및 각 이에 대하여"])) if several else (
                draw(st.sampled_from(["및 이에 대하여", "및 이에 대한"])))
        sentence = (f"{subject} " + ", ".join(clauses) + f" {intro} "
                    + draw(schedule_words(segments, old=mode == "old")))
        for group, amount in zip(groups, amounts, strict=True):
            orders += [{"creditor": name, "principal": amount, "segments": schedule_json(segments)}
                       for _, name, _ in group]
        return sentence, orders
    if mode == "per_start":
        rate = draw(st.sampled_from([Decimal("20"), Decimal("15"), Decimal("12"), Decimal("5")]))
        starts = [draw(st.dates(date(1995, 1, 1), date(2024, 12, 31))) for _ in groups]
        parts = [f"{clause} 및 이에 대하여 {date_text(start, draw(st.integers(0, 2)))}부터"
                 for clause, start in zip(clauses, starts, strict=True)]
        several = len(groups) > 1
        sentence = (f"{subject} " + ", ".join(parts)
                    + f" {'각 ' if several else ''}다 갚는 날까지 {rate_words(rate, draw(st.integers(0, 2)))}의 "
                      "비율로 계산한 돈을 지급하라.")
        for group, amount, start in zip(groups, amounts, starts, strict=True):
            orders += [{"creditor": name, "principal": amount, "segments": schedule_json([(start, None, rate)])}
                       for _, name, _ in group]
        return sentence, orders
    # per_schedule: each creditor with a schedule of its own
    pieces = []
    for group, amount, clause in zip(groups, amounts, clauses, strict=True):
        segments = draw(schedules())
        words = draw(schedule_words(segments))
        words = words[: words.rindex("의") + 1] if "의" in words else words  # cut "… 비율로 계산한 돈을 지급하라."
        words = words.removesuffix(" 각")
        pieces.append(f"{clause} 및 이에 대하여 {words}")
        orders += [{"creditor": name, "principal": amount, "segments": schedule_json(segments)}
                   for _, name, _ in group]
    sentence = f"{subject} " + ", ".join(pieces) + " 각 비율로 계산한 돈을 지급하라."
    return sentence, orders


def wrap(draw, sentence: str) -> str:
    """Line breaks as a PDF's layout leaves them: at some spaces, sometimes inside a word, now
    and then with a page number between."""
    out = []
    for position, char in enumerate(sentence):
        if char == " " and draw(st.integers(0, 9)) == 0:
            # a page break of a printed judgment leaves its page number on a line of its own
            out.append(f"\n- {draw(st.integers(1, 40))} -\n  " if draw(st.integers(0, 9)) == 0 else "\n  ")
            continue
        if 0 < position < len(sentence) - 2 and char != " " and draw(st.integers(0, 80)) == 0:
            out.append("\n")
        out.append(char)
    return "".join(out)


def operative_items(draw, sentences: list[str], *, all_won: bool) -> list[str]:
    style = draw(st.sampled_from(["plain", "change", "cancel", "unnumbered"]))
    rest_dismissed = [] if all_won else ["원고들의 나머지 청구를 기각한다."]
    costs = draw(st.sampled_from(["소송비용은 피고가 부담한다.", "소송비용은 피고의 부담으로 한다.",
                                  "소송비용 중 1/2은 원고들이, 나머지는 피고가 각 부담한다."]))
    if not sentences:
        dismissal = draw(st.sampled_from(["상고를 기각한다.", "피고의 항소를 기각한다.", "원고의 청구를 기각한다."]))
        return [f"1. {dismissal}", f"2. {costs}"]
    wrapped = [wrap(draw, sentence) for sentence in sentences]
    if style == "change":
        items = ["1. 제1심판결을 다음과 같이 변경한다."]
        letters = "가나다라마바"
        subs = [*wrapped, *rest_dismissed]
        items += [f"  {letters[i]}. {text}" for i, text in enumerate(subs)]
        return [*items, f"2. {costs}", "3. 제1항 가.호는 가집행할 수 있다."]
    if style == "cancel":
        items = ["1. 제1심판결 중 아래에서 지급을 명하는 돈에 해당하는 원고 패소 부분을 취소한다."]
        items += [f"{i}. {text}" for i, text in enumerate(wrapped, 2)]
        number = len(items) + 1
        return [*items, f"{number}. 피고의 항소를 기각한다.", f"{number + 1}. {costs}"]
    if style == "unnumbered":
        return [*wrapped, *rest_dismissed, costs, "제1항은 가집행할 수 있다."]
    items = [f"{i}. {text}" for i, text in enumerate([*wrapped, *rest_dismissed, costs], 1)]
    return [*items, f"{len(items) + 1}. 제1항은 가집행할 수 있다."]
