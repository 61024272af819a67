"""The judgment reader: every construct of the wording, the file kinds, and the round trip of
generated judgments (names below are invented)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from judgment_text_gen import judgments
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from baesang.calc import judgment_text as jt
from baesang.calc.interest import Segment, amount_due
from baesang.calc.judgment_file import read_judgment_file
from baesang.calc.judgment_text import (
    EmptyJudgment,
    JudgmentReadError,
    NoOperativePart,
    UnreadableJudgment,
    order_to_interest,
    parse_judgment,
    result_to_json_dict,
)

HEADER = """서 울 고 등 법 원
제 5 민 사 부
판 결
사 건 2023나2011111 손해배상(기)
원고, 피항소인 1. 김갑동
       서울 종로구 세종대로 1
    2. 박을순
       부산 중구 중앙대로 2
    3. 최병철
       광주 동구 금남로 3
    4. 망 정말순의 소송수계인 정하나
       광주 북구 용봉로 4
    원고들 소송대리인 변호사 윤대리
피고, 항소인 미쓰비시중공업 주식회사
       일본국 도쿄도 미나토구
       대표이사 가나다
       소송대리인 법무법인 라마
제1심판결 광주지방법원 2019. 1. 18. 선고 2018가합59999 판결
변 론 종 결 2023. 11. 1.
판 결 선 고 2023. 12. 21.
"""

SINGLE = """대 법 원
제 2 부
판 결
사      건    2013다61381 손해배상(기)
원고, 피상고인    김갑동
                  서울 종로구 세종대로 1
                  소송대리인 변호사 윤대리
피고, 상고인      일본제철 주식회사
                  일본국 도쿄도 지요다구
                  대표이사 사아자
원 심 판 결       서울고등법원 2013. 7. 10. 선고 2012나44947 판결
판 결 선 고       2018. 10. 30.
"""


def read(operative: str, header: str = HEADER, after: str = "") -> jt.JudgmentReading:
    return parse_judgment(f"{header}\n주       문\n{operative}\n{after}")


def orders(reading: jt.JudgmentReading) -> list[tuple]:
    return [(o.creditor, o.principal, [(s.start, s.end, str(s.rate)) for s in o.segments]) for o in reading.orders]


UNTIL_PAID_20_FROM_2015 = [(date(2015, 5, 13), date(2015, 6, 24), "5"), (date(2015, 6, 25), None, "20")]


# --- the public example ---------------------------------------------------------

def test_public_example_three_orders_two_segments():
    reading = read(
        "1. 피고는 원고 김갑동, 박을순에게 각 120,000,000원, 원고 최병철에게 100,000,000원 및 위 각 돈에 대하여 "
        "2015. 5. 13.부터 2015. 6. 24.까지는 연 5%의, 그 다음 날부터 다 갚는 날까지는 연 20%의 각 비율로 계산한 돈을 "
        "지급하라.\n2. 소송비용은 피고가 부담한다.")
    assert orders(reading) == [("김갑동", 120_000_000, UNTIL_PAID_20_FROM_2015),
                               ("박을순", 120_000_000, UNTIL_PAID_20_FROM_2015),
                               ("최병철", 100_000_000, UNTIL_PAID_20_FROM_2015)]
    assert reading.unparsed == () and reading.joint is False
    assert result_to_json_dict(reading)["orders"][2] == {
        "creditor": "최병철", "principal": 100000000,
        "segments": [{"start": "2015-05-13", "end": "2015-06-24", "rate": "5"},
                     {"start": "2015-06-25", "end": None, "rate": "20"}]}


# --- the header ---------------------------------------------------------------------------

def test_header_court_case_number_parties():
    reading = read("1. 피고의 항소를 기각한다.")
    assert reading.court == "서울고등법원"
    assert reading.case_number == "2023나2011111"  # not the first-instance number 2018가합59999
    assert reading.debtors == ("미쓰비시중공업 주식회사",)  # address, 대표이사 and counsel lines ignored
    assert [(p.number, p.name, p.deceased) for p in reading.plaintiffs] == [
        (1, "김갑동", None), (2, "박을순", None), (3, "최병철", None), (4, "정하나", "정말순")]


def test_header_single_plaintiff_spaced_labels_supreme_court():
    reading = read("1. 상고를 기각한다.\n2. 상고비용은 피고가 부담한다.", header=SINGLE)
    assert (reading.court, reading.case_number, reading.debtors) == ("대법원", "2013다61381", ("일본제철 주식회사",))
    assert [p.name for p in reading.plaintiffs] == ["김갑동"]
    assert reading.orders == () and reading.unparsed == ()  # an appeal dismissed: no order, a valid result


def test_header_several_defendants_numbered_and_a_district_court_branch():
    header = """광주지방법원 순천지원
판 결
사건 2019가합51234 손해배상(기)
원고 이갑순
피 고 1. 주식회사 후지코시
        일본국 도야마현
        대표이사 차카타
     2. 히타치조선 주식회사
        일본국 오사카부
"""
    reading = read("1. 피고들은 공동하여 원고에게 10,000,000원 및 이에 대하여 2019. 3. 1.부터 다 갚는 날까지 연 "
                   "12%의 비율로 계산한 돈을 지급하라.", header=header)
    assert reading.court == "광주지방법원순천지원" and reading.case_number == "2019가합51234"
    assert reading.debtors == ("주식회사 후지코시", "히타치조선 주식회사")
    assert reading.joint is True
    assert orders(reading) == [("이갑순", 10_000_000, [(date(2019, 3, 1), None, "12")])]


# --- who ------------------------------------------------------------------------------------

def test_only_plaintiff_and_older_wording():
    reading = read("1. 피고는 원고에게 금 100,000,000원 및 이에 대한 2013. 6. 19.부터 다 갚는 날까지 연 2할의 비율에 "
                   "의한 금원을 지급하라.", header=SINGLE)
    assert orders(reading) == [("김갑동", 100_000_000, [(date(2013, 6, 19), None, "20")])]


def test_each_plaintiff_and_numbers_with_range():
    reading = read("1. 피고는 원고 1 내지 3에게 각 80,000,000원, 원고 4에게 40,000,000원 및 위 각 돈에 대하여 2018. "
                   "11. 30.부터 다 갚는 날까지 연 12%의 비율로 계산한 돈을 지급하라.")
    assert [(o.creditor, o.principal, o.deceased) for o in reading.orders] == [
        ("김갑동", 80_000_000, None), ("박을순", 80_000_000, None), ("최병철", 80_000_000, None),
        ("정하나", 40_000_000, "정말순")]
    reading = read("1. 피고는 원고들에게 각 1,000원씩을 지급하라.")
    assert [o.creditor for o in reading.orders] == ["김갑동", "박을순", "최병철", "정하나"]
    assert all(o.segments == () for o in reading.orders)  # no interest ordered


def test_heir_who_took_over_the_suit_is_the_creditor():
    reading = read("1. 피고는 망 정말순의 소송수계인 원고 정하나에게 30,000,000원, 망 정말순의 소송수계인 원고 "
                   "정두리, 정세리에게 각 15,000,000원 및 위 각 돈에 대하여 2014. 2. 5.부터 다 갚는 날까지 연 20%의 "
                   "비율로 계산한 돈을 지급하라.")
    assert [(o.creditor, o.principal, o.deceased) for o in reading.orders] == [
        ("정하나", 30_000_000, "정말순"), ("정두리", 15_000_000, "정말순"), ("정세리", 15_000_000, "정말순")]


def test_attached_list_of_plaintiffs_and_amounts():
    header = """광주고등법원
판 결
사 건 2023나21000 손해배상(기)
원 고 별지 원고 목록 기재와 같다.
피 고 주식회사 후지코시
"""
    attachment = """이 유
생략

[별지]
원고 목록
순번  원고                         인용금액
1     오갑동                       100,000,000원
2     망 오을순의 소송수계인 오병철   50,000,000
3     홍정희                       금 70,000,000원
"""
    reading = read("1. 피고는 별지 목록 기재 각 원고에게 같은 목록 ‘인용금액’란 기재 각 돈 및 위 각 돈에 대하여 "
                   "2023. 12. 28.부터 다 갚는 날까지 연 12%의 비율로 계산한 돈을 "
                   "지급하라.", header=header, after=attachment)
    assert orders(reading) == [("오갑동", 100_000_000, [(date(2023, 12, 28), None, "12")]),
                               ("오병철", 50_000_000, [(date(2023, 12, 28), None, "12")]),
                               ("홍정희", 70_000_000, [(date(2023, 12, 28), None, "12")])]
    assert reading.orders[1].deceased == "오을순"
    # the header's "별지 원고 목록" gives the numbered plaintiffs too
    reading = read("1. 피고는 원고 2, 3에게 각 5,000원을 지급하라.", header=header, after=attachment)
    assert [o.creditor for o in reading.orders] == ["오병철", "홍정희"]


# --- dates, rates, segments --------------------------------------------------------------

@pytest.mark.parametrize("written", ["2015. 5. 13.", "2015.5.13.", "2015년 5월 13일", "2015. 05. 13."])
def test_date_styles(written):
    reading = read(f"피고는 원고 김갑동에게 1,000원 및 이에 대하여 {written}부터 다 갚는 날까지 연 5%의 비율로 "
                   f"계산한 돈을 지급하라.")
    assert reading.orders[0].segments == (Segment(date(2015, 5, 13), None, Decimal("5")),)


@pytest.mark.parametrize(("written", "rate"), [("연 5%", "5"), ("연 12.5%", "12.5"), ("연 100분의 20", "20"),
                                               ("연 100분의 15.50", "15.5"), ("연 5푼", "5"), ("연 2할 5푼", "25"),
                                               ("연 20.0%", "20")])
def test_rate_styles(written, rate):
    reading = read(f"피고는 원고 김갑동에게 1,000원 및 이에 대하여 2015. 5. 13.부터 다 갚는 날까지 {written}의 비율로 "
                   "계산한 돈을 지급하라.")
    assert result_to_json_dict(reading)["orders"][0]["segments"][0]["rate"] == rate


def test_four_segments_next_day_rate_without_of_and_explicit_start():
    # 그 다음 날 = the day after the previous segment's end; 2016 is a leap year (2016-02-29 → 03-01)
    reading = read("피고는 원고 박을순에게 50,000,000원 및 이에 대하여 2015. 10. 1.부터 2016. 2. 29.까지는 연 5%, 그 "
                   "다음 날부터 2019. 5. 31.까지는 연 15%, 2019. 6. 1.부터 2020. 12. 31.까지는 연 12%의, 그 다음 "
                   "날부터 다 갚는 날까지는 연 100분의 12의 각 비율로 계산한 돈을 지급하라.")
    assert orders(reading) == [("박을순", 50_000_000, [
        (date(2015, 10, 1), date(2016, 2, 29), "5"), (date(2016, 3, 1), date(2019, 5, 31), "15"),
        (date(2019, 6, 1), date(2020, 12, 31), "12"), (date(2021, 1, 1), None, "12")])]


def test_start_date_per_creditor():
    reading = read("1. 피고는 원고 김갑동에게 80,000,000원 및 이에 대하여 2013. 7. 31.부터, 원고 박을순에게 "
                   "70,000,000원 및 이에 대하여 2014. 2. 5.부터 각 다 갚는 날까지 연 20%의 비율로 계산한 돈을 "
                   "지급하라.")
    assert orders(reading) == [("김갑동", 80_000_000, [(date(2013, 7, 31), None, "20")]),
                               ("박을순", 70_000_000, [(date(2014, 2, 5), None, "20")])]


def test_pay_and_then_another_clause():
    reading = read("피고는 원고 김갑동에게 10,000,000원을 지급하고, 원고 박을순에게 5,000,000원 및 이에 대하여 "
                   "2020. 1. 1.부터 다 갚는 날까지 연 12%의 비율로 계산한 돈을 지급하라.")
    assert orders(reading) == [("김갑동", 10_000_000, []), ("박을순", 5_000_000, [(date(2020, 1, 1), None, "12")])]


def test_schedule_per_creditor():
    reading = read("피고는 원고 김갑동에게 1,000원 및 이에 대하여 2013. 7. 31.부터 다 갚는 날까지 연 20%의, 원고 "
                   "박을순에게 2,000원 및 이에 대하여 2014. 2. 5.부터 2014. 3. 1.까지는 연 5%의, 그 다음 날부터 다 "
                   "갚는 날까지는 연 15%의 각 비율로 계산한 돈을 지급하라.")
    assert orders(reading) == [("김갑동", 1_000, [(date(2013, 7, 31), None, "20")]),
                               ("박을순", 2_000, [(date(2014, 2, 5), date(2014, 3, 1), "5"),
                                                  (date(2014, 3, 2), None, "15")])]


def test_statute_named_before_the_rate():
    reading = read("피고는 원고 김갑동에게 1,000원 및 이에 대하여 2023. 1. 1.부터 2023. 6. 1.까지는 민법이 정한 연 "
                   "5%의, 그 다음 날부터 다 갚는 날까지는 소송촉진 등에 관한 특례법이 정한 연 12%의 각 비율로 계산한 "
                   "돈을 지급하라.")
    assert orders(reading) == [("김갑동", 1_000, [(date(2023, 1, 1), date(2023, 6, 1), "5"),
                                                  (date(2023, 6, 2), None, "12")])]


# --- the operative part's structure ---------------------------------------------------------

def test_change_with_sub_items_cancellation_dismissal_costs_provisional_execution():
    reading = read("""1. 제1심판결 중 아래에서 지급을 명하는 돈에 해당하는 원고 패소 부분을 취소한다.
2. 제1심판결을 다음과 같이 변경한다.
  가. 피고는 원고 김갑동에게 10,000,000원 및 이에 대하여 2015. 5. 13.부터 다 갚는 날까지 연 20%의 비율로
계산한 돈을 지
급하라.
  나. 원고 김갑동의 나머지 청구를 기각한다.
3. 피고의 항소를 기각한다.
4. 소송비용은 피고의 부담으로 한다.
5. 제2항 가.호는 가집행할 수 있다.""")
    assert orders(reading) == [("김갑동", 10_000_000, [(date(2015, 5, 13), None, "20")])]
    assert reading.unparsed == ()


def test_unnumbered_items_and_what_follows_the_operative_part_is_not_read():
    decoy = "피고는 원고들에게 각 999,999,999원을 지급하라."
    for label in ("청 구 취 지", "청구취지 및 항소취지", "항 소 취 지", "이 유"):
        reading = read("피고는 원고 최병철에게 3,000원을 지급하라.\n소송비용은 피고가 "
                       "부담한다.", after=f"{label}\n{decoy}")
        assert orders(reading) == [("최병철", 3_000, [])], label


def test_operative_label_in_brackets_and_no_period_before_next_item():
    text = SINGLE + "【주문】\n1. 피고는 원고에게 5,000원을 지급하라\n2. 소송비용은 피고가 부담한다\n【이유】\n"
    assert orders(parse_judgment(text)) == [("김갑동", 5_000, [])]


# --- what is not guessed --------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "code"), [
    ("피고는 원고 김갑동에게 1,000원 및 이에 대하여 2015. 5. 13.부터 이 사건 소장 부본 송달일까지는 연 5%의, 그 다음 "
     "날부터 다 갚는 날까지는 연 12%의 각 비율로 계산한 돈을 지급하라.", jt.UNPARSED_SEGMENTS),
    ("피고는 원고 김갑동에게 1,000원 및 이에 대하여 2015. 5. 13.부터 2015. 6. 24.까지는 연 5%의, 2015. 7. 1.부터 "
     "다 갚는 날까지는 연 12%의 각 비율로 계산한 돈을 지급하라.", jt.UNPARSED_SEGMENTS),  # a gap: the engine refuses it
    ("피고는 원고 김갑동, 박을순에게 1,000원을 지급하라.", jt.UNPARSED_AMBIGUOUS),
    ("피고는 선정자 김갑동에게 1,000원을 지급하라.", jt.UNPARSED_RECIPIENT),
    ("피고는 원고들에게 1,000원을 지급하라.", jt.UNPARSED_AMBIGUOUS),
    ("피고는 원고에게 1,000원을 지급하라.", jt.UNPARSED_PLAINTIFF_UNKNOWN),  # four plaintiffs in the header
    ("피고는 원고 7에게 1,000원을 지급하라.", jt.UNPARSED_PLAINTIFF_UNKNOWN),
    ("피고는 원고 김갑동에게 1,000원, 원고 박을순에게 2,000원 및 이에 대하여 2015. 5. 13.부터 다 갚는 날까지 연 5%의 "
     "비율로 계산한 돈을 지급하라.", jt.UNPARSED_INTEREST_SCOPE),
    ("피고는 원고 김갑동에게 1,000원 및 그 중 500원에 대하여 2015. 5. 13.부터 다 갚는 날까지 연 5%의 비율로 계산한 "
     "돈을 지급하라.", jt.UNPARSED_INTEREST_SCOPE),
    ("피고는 원고 김갑동에게 1,000원 및 이에 대하여 2015. 2. 30.부터 다 갚는 날까지 연 5%의 비율로 계산한 돈을 "
     "지급하라.",
     jt.UNPARSED_DATE),
    ("피고는 원고 김갑동에게 1,000원 및 이에 대하여 2015. 2. 3.부터 다 갚는 날까지 연 150%의 비율로 계산한 돈을 "
     "지급하라.",
     jt.UNPARSED_RATE),
    ("피고는 원고 김갑동에게 1,000원 및 이에 대하여 2015. 2. 3.부터 다 갚는 날까지 상당한 비율로 계산한 돈을 지급하라.",
     jt.UNPARSED_RATE),
    ("피고는 원고 김갑동에게 일억 원을 지급하라.", jt.UNPARSED_AMOUNT),
    ("피고는 별지 목록 기재 각 원고에게 같은 목록 인용금액란 기재 각 돈을 지급하라.", jt.UNPARSED_ATTACHMENT),
    ("피고는 원고 김갑동에게 1,000원 및 이에 대하여 2015. 5. 13.부터 다 갚는 날까지 연 5%의 비율로 계산한 돈을 "
     "지급하라 소송비용은 피고가 부담한다.", jt.UNPARSED_SENTENCE_END),
])
def test_payment_sentences_that_cannot_be_read_whole_are_unparsed_with_a_reason(sentence, code):
    reading = read(f"1. {sentence}\n2. 원고들의 나머지 청구를 기각한다.")
    assert reading.orders == ()
    assert [u.code for u in reading.unparsed] == [code]
    assert reading.unparsed[0].sentence.startswith("피고는") and reading.unparsed[0].reason


def test_one_unreadable_sentence_does_not_hide_the_others():
    reading = read("1. 피고는 원고 김갑동에게 1,000원을 지급하라.\n2. 피고는 원고 박을순에게 1,000원 및 이에 대하여 "
                   "판결 확정일부터 다 갚는 날까지 연 5%의 비율로 계산한 돈을 지급하라.")
    assert orders(reading) == [("김갑동", 1_000, [])] and len(reading.unparsed) == 1


def test_empty_and_no_operative_part_are_errors():
    with pytest.raises(EmptyJudgment) as empty:
        parse_judgment("  \n ")
    assert empty.value.code == jt.EMPTY
    with pytest.raises(NoOperativePart) as none:
        parse_judgment(SINGLE + "이 사건 상고를 주문과 같이 판결한다.\n")
    assert none.value.code == jt.NO_OPERATIVE_PART


# --- the JSON and the interest engine -----------------------------------------------------

def test_json_is_exactly_the_documented_shape():
    reading = read("피고는 원고에게 100,000,000원 및 이에 대하여 2013. 6. 19.부터 다 갚는 날까지 연 20%의 비율로 "
                   "계산한 돈을 지급하라.", header=SINGLE)
    assert result_to_json_dict(reading) == {
        "case_number": "2013다61381", "court": "대법원", "debtors": ["일본제철 주식회사"], "joint": False,
        "orders": [{"creditor": "김갑동", "principal": 100000000,
                    "segments": [{"start": "2013-06-19", "end": None, "rate": "20"}]}],
        "unparsed": []}


def test_order_to_interest_gives_the_public_check():
    # DOMAIN.md §3: 100,000,000 won at 20 % from 2013-06-19 to 2018-11-01 is 5 years + 136/365
    # of interest = 107,452,054.79 won, truncated to 107,452,054 (원 미만 버림)
    reading = read("피고는 원고에게 100,000,000원 및 이에 대하여 2013. 6. 19.부터 다 갚는 날까지 연 20%의 비율로 "
                   "계산한 돈을 지급하라.", header=SINGLE)
    due = amount_due(order_to_interest(reading.orders[0]), date(2018, 11, 1))
    assert (due.interest, due.total) == (107_452_054, 207_452_054)


# --- files ----------------------------------------------------------------------------------

JUDGMENT = SINGLE + ("주 문\n1. 피고는 원고에게 100,000,000원 및 이에 대하여 2013. 6. 19.부터 다 갚는 날까지 연 "
                     "20%의 비율로 계산한 돈을 지급하라.\n2. 상고비용은 피고가 부담한다.\n")


def pdf_bytes(lines: list[str]) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("HYSMyeongJo-Medium", 9)
    y = 800
    for line in lines:
        page.drawString(30, y, line)
        y -= 13
    if not lines:
        page.rect(100, 100, 200, 300, fill=1)  # a picture only, as a scan is
    page.showPage()
    page.save()
    return buffer.getvalue()


def wrapped_lines(text: str, width: int = 60) -> list[str]:
    out = []
    for line in text.splitlines():
        while len(line) > width:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return out


def test_pdf_with_a_text_layer_is_read():
    content = pdf_bytes(wrapped_lines(JUDGMENT))  # long lines wrapped mid-word, as on a printed page
    found = read_judgment_file(content, "판결.pdf")
    assert found.kind == "pdf" and found.pages == 1
    reading = parse_judgment(found.text)
    assert orders(reading) == [("김갑동", 100_000_000, [(date(2013, 6, 19), None, "20")])]
    assert reading.case_number == "2013다61381"


def test_pdf_without_text_is_refused():
    with pytest.raises(UnreadableJudgment) as refused:
        read_judgment_file(pdf_bytes([]), "scan.pdf")
    assert refused.value.code == jt.PDF_WITHOUT_TEXT and "OCR" in refused.value.message


def test_damaged_pdf_and_false_pdf_are_refused():
    with pytest.raises(UnreadableJudgment) as damaged:
        read_judgment_file(b"%PDF-1.7\n garbage", "x.pdf")
    assert damaged.value.code == jt.UNREADABLE
    with pytest.raises(UnreadableJudgment):
        read_judgment_file(JUDGMENT.encode(), "x.pdf")


def test_euc_kr_and_cp949_text_is_read():
    for encoding in ("euc-kr", "cp949"):
        found = read_judgment_file(JUDGMENT.encode(encoding), "판결.txt")
        assert found.encoding == "cp949" and found.text == JUDGMENT
    cp949_only = JUDGMENT.replace("김갑동", "김똠순")  # 똠 is in CP949, not in EUC-KR's KS X 1001 set
    assert read_judgment_file(cp949_only.encode("cp949"), "a.txt").text == cp949_only
    assert read_judgment_file(b"\xef\xbb\xbf" + JUDGMENT.encode(), "a.txt").text == JUDGMENT
    assert read_judgment_file(JUDGMENT.encode("utf-16"), "a.txt").text == JUDGMENT
    assert read_judgment_file(JUDGMENT.encode(), "-").encoding == "utf-8"


@pytest.mark.parametrize(("content", "name", "code"), [
    (b"\x89PNG\r\n\x1a\n0000", "scan.png", jt.UNSUPPORTED_KIND),
    (b"PK\x03\x04....", "judgment.docx", jt.UNSUPPORTED_KIND),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", "judgment.hwp", jt.UNSUPPORTED_KIND),
    ("판결".encode(), "judgment.doc", jt.UNSUPPORTED_KIND),
    (b"\x00\x01\x02\x03\xff\xfe", "judgment.txt", jt.UNREADABLE),
    (b"\x80\x81\x82\xff", "judgment.txt", jt.UNREADABLE),
    (b"", "judgment.txt", jt.EMPTY),
    (b"  \n", "-", jt.EMPTY),
])
def test_other_kinds_and_bad_bytes_are_refused(content, name, code):
    with pytest.raises(JudgmentReadError) as refused:
        read_judgment_file(content, name)
    assert refused.value.code == code and refused.value.message


# --- properties -------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(judgments())
def test_generated_judgments_parse_back_to_their_orders(generated):
    assert result_to_json_dict(parse_judgment(generated.text)) == generated.expected


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("주 "
                                             "문원고피에게각및이에대하여부터까지연%의비율로지급하라.,0123456789\n망별지목록기재소송수계인다갚는날그다음년월일금분할푼"))))
def test_any_text_gives_a_reading_or_a_read_error(text):
    try:
        reading = parse_judgment("주 문\n" + text)
    except JudgmentReadError:
        return
    for order in reading.orders:
        assert order.principal > 0 and order.creditor
        if order.segments:
            order_to_interest(order).validate()  # whatever is read is a valid order for the engine


# --- quirks of real texts ---------------------------------------------------------------------

def test_page_numbers_company_form_numbers_without_dots_and_heirs_listed_under_the_deceased():
    header = """서울중앙지방법원
판 결
사 건 2019가합51234 손해배상(기)
원 고 1 윤갑동
        서울 종로구 세종대로 1
     2. 망 윤을녀의 소송수계인
        가. 윤병철
        나. 윤정희
피 고 (주)후지코시
        대표이사 가나다
"""
    reading = read("1. 피고는 원고 1에게 10,000,000원과 이에 대하여 2019. 3. 1.부터 다 갚을 때까지 연 12퍼센트의 "
                   "비율로\n- 2 -\n계산한 돈을 지급하라.\n2. 피고는 원고 2에게 1,000원을 지급하라.", header=header)
    assert reading.debtors == ("(주)후지코시",)
    assert [(p.number, p.name) for p in reading.plaintiffs] == [(1, "윤갑동")]  # the heirs' shares are not guessed
    assert orders(reading) == [("윤갑동", 10_000_000, [(date(2019, 3, 1), None, "12")])]
    assert [u.code for u in reading.unparsed] == [jt.UNPARSED_PLAINTIFF_UNKNOWN]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(judgments(), st.data())
def test_damaged_judgments_never_give_an_invalid_order(generated, data):
    """Cut a piece out of a generated judgment, or change one character: the reader still
    answers with a reading or a read error, and every order it reads is valid for the engine."""
    text = generated.text
    start = data.draw(st.integers(0, len(text) - 1))
    if data.draw(st.booleans()):
        text = text[:start] + text[start + data.draw(st.integers(1, 40)):]
    else:
        text = text[:start] + data.draw(st.sampled_from(list("0123456789.,각및의원고에게 \n"))) + text[start + 1:]
    try:
        reading = parse_judgment(text)
    except JudgmentReadError:
        return
    for order in reading.orders:
        assert order.principal > 0 and order.creditor
        if order.segments:
            order_to_interest(order).validate()


UNINDENTED = """서  울  고  등  법  원


제 7 민 사 부


판   결



사 건             2016나2099999 손해배상
원고, 피항소인    1. 한가람
서울 종로구 돈화문로 1
2. 서나래
화성시 비봉면 푸른들판로 2
원고들 소송대리인 법무법인 누리
담당변호사 고다솜
피고, 항소인      주식회사 후지코시 (不二越)
일본국 도야마시
(日本國 富山市)
대표취체역(代表取締役) 가나 다라(假名)
소송대리인 변호사 마바사
제 1 심 판 결     서울중앙지방법원 2016. 11. 23. 선고 2015가합9999 판결
변 론 종 결       2019. 1. 11.
판 결 선 고       2019. 1. 30.



주   문
1. 제1심판결을 다음과 같이 변경한다.
가. 피고는 원고 한가람에게 100,000,000원, 원고 서나래에게 80,000,000원 및 위 각 돈에 대하여 2016. 11. 23.부터
2019. 1. 30.까지는 민법이 정한 연 5%의, 그다음 날부터 다 갚는 날까지는 소송촉진 등에 관한 특례법에 따른 연
15%의 각 비율로 계산한 돈을 지급하라.
나. 원고들의 나머지 청구를 기각한다.
2. 소송총비용은 피고가 부담한다.
3. 제1의 가항은 가집행할 수 있다.

청구취지 및 항소취지
1. 청구취지
피고는 원고들에게 각 100,000,000원 및 이에 대하여 이 사건 소장 부본 송달일 다음 날부터 다 갚는 날까지 연 20%의
비율로 계산한 돈을 지급하라.
"""


def test_layout_without_indentation_hanja_and_statutes_named():
    """Addresses and counsel at the left margin (as a web page's copy leaves them), the company's
    name in Hanja, 대표취체역, spaced header labels, 그다음 날, statutes named before the rates."""
    reading = parse_judgment(UNINDENTED)
    assert (reading.court, reading.case_number) == ("서울고등법원", "2016나2099999")
    assert reading.debtors == ("주식회사 후지코시",)
    assert [p.name for p in reading.plaintiffs] == ["한가람", "서나래"]
    segments = [(date(2016, 11, 23), date(2019, 1, 30), "5"), (date(2019, 1, 31), None, "15")]
    assert orders(reading) == [("한가람", 100_000_000, segments), ("서나래", 80_000_000, segments)]
    assert reading.unparsed == ()


def test_spans_point_into_the_text_as_read():
    reading = read("1. 피고는 원고 김갑동에게 1,000원을\n지급하라.\n2. 피고는 원고 박을순에게 2,000원 및 이에 대하여 "
                   "판결 확정일부터 다 갚는 날까지 연 5%의 비율로 계산한 돈을 지급하라.\n"
                   "3. 소송비용은 피고가 부담한다.")
    start, end = reading.orders[0].span
    assert reading.text[start:end] == "피고는 원고 김갑동에게 1,000원을\n지급하라."
    start, end = reading.unparsed[0].span
    assert reading.text[start:end].startswith("피고는 원고 박을순에게") and reading.text[end - 5:end] == "지급하라."
    start, end = reading.operative_span
    assert reading.text[start:end] == reading.operative_text and reading.operative_text.startswith("1. 피고는")
