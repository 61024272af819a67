"""One judgment of the Supreme Court (invented names) and the reader's exact JSON for it, shared by the
tests of `baesang judgment parse` and of `POST /api/judgments/parse`."""

from __future__ import annotations

from baesang.calc import judgment_text as jt

JUDGMENT = """대 법 원
판 결
사 건 2013다61381 손해배상(기)
원고, 피상고인 김갑동
               서울 종로구 세종대로 1
피고, 상고인   일본제철 주식회사
               대표이사 가나다
원 심 판 결    서울고등법원 2013. 7. 10. 선고 2012나44947 판결

주 문
1. 피고는 원고에게 100,000,000원 및 이에 대하여 2013. 6. 19.부터 다 갚는 날까지 연 20%의 비율로 계산한
돈을 지급하라.
2. 피고는 원고에게 1,000원 및 이에 대하여 이 판결 확정일부터 다 갚는 날까지 연 5%의 비율로 계산한 돈을
지급하라.
3. 상고비용은 피고가 부담한다.
"""

EXPECTED = {
    "case_number": "2013다61381", "court": "대법원", "debtors": ["일본제철 주식회사"], "joint": False,
    "orders": [{"creditor": "김갑동", "principal": 100000000,
                "segments": [{"start": "2013-06-19", "end": None, "rate": "20"}]}],
    "unparsed": [{"sentence": "피고는 원고에게 1,000원 및 이에 대하여 이 판결 확정일부터 다 갚는 날까지 연 5%의 "
                              "비율로 계산한 돈을 지급하라.",
                  "reason": "no start date of the interest (…부터) could be read at "
                            "'이판결확정일부터다갚는날까지연5%의비율로계산한…'",
                  "code": jt.UNPARSED_DATE}],
}
