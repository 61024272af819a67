"""Benchmark of the judgment reader (baesang.calc.judgment_text, judgment_file).

Texts come from the property test's generator (tests/calc/judgment_text_gen.py: one to seven
plaintiffs, heirs, attached lists, one to four interest segments, line wraps, all the
wordings), drawn beforehand with a fixed seed; each is checked to read back to its orders
once, then only the reading is timed, in CPU seconds of this single-threaded process:

- ``parse_judgment`` on the generated texts (the headline: texts per second);
- a large judgment: 500 plaintiffs in the attached list, ordered through the list's amounts
  and through ``원고 1 내지 500에게 각``;
- ``read_judgment_file`` + ``parse_judgment`` on a one-page PDF with a text layer (pypdf's
  extraction dominates), and on the same text encoded in EUC-KR.

    .venv/bin/python bench/judgment_parse.py            # 2,000 generated texts, 5 rounds
    .venv/bin/python bench/judgment_parse.py --n 500    # quicker
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "calc"))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from judgment_text_gen import judgments  # noqa: E402
from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from baesang.calc.judgment_file import read_judgment_file  # noqa: E402
from baesang.calc.judgment_text import parse_judgment, result_to_json_dict  # noqa: E402


def generated_texts(count: int) -> list:
    found = []

    @settings(max_examples=count, database=None, phases=[Phase.generate], deadline=None,
              suppress_health_check=list(HealthCheck), derandomize=True)
    @given(judgments())
    def collect(generated):
        found.append(generated)

    collect()
    return found


def large_judgment(plaintiffs: int) -> str:
    syllables = "갑을병동순녀자영철수희민숙옥남식호훈미경진현성준혜연주석태"

    def name(n: int) -> str:
        return "김" + syllables[n // len(syllables) % len(syllables)] + syllables[n % len(syllables)]

    rows = "\n".join(f"{n}    {'망 김선대의 소송수계인 ' if n % 7 == 0 else ''}{name(n)}    {1_000_000 + n:,}원"
                     for n in range(1, plaintiffs + 1))
    return (f"광주고등법원\n판 결\n사 건 2023나{plaintiffs}\n원 고 별지 원고 목록 기재와 같다.\n"
            "피 고 주식회사 후지코시\n\n"
            "주 문\n1. 피고는 별지 목록 기재 각 원고에게 같은 목록 '인용금액'란 기재 각 돈 및 위 각 돈에 대하여 "
            "2015. 5. 13.부터 2015. 6. 24.까지는 연 5%의, 그 다음 날부터 다 갚는 날까지는 연 20%의 각 비율로 "
            "계산한 돈을 지급하라.\n"
            f"2. 피고는 원고 1 내지 {plaintiffs}에게 각 1,000원을 지급하라.\n"
            f"3. 소송비용은 피고가 부담한다.\n\n이 유\n생략\n\n[별지]\n원고 목록\n{rows}\n")


def pdf_of(text: str) -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("HYSMyeongJo-Medium"))
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer)
    page.setFont("HYSMyeongJo-Medium", 8)
    y = 820
    for line in text.splitlines():
        while line:
            page.drawString(20, y, line[:70])
            line = line[70:]
            y -= 10
            if y < 20:
                page.showPage()
                page.setFont("HYSMyeongJo-Medium", 8)
                y = 820
    page.showPage()
    page.save()
    return buffer.getvalue()


def timed(function, rounds: int) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(rounds):
        function()
    return time.process_time() - cpu, time.perf_counter() - wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="generated texts")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    print(f"python {platform.python_version()} on {platform.machine()}, one core")

    samples = generated_texts(args.n)
    for sample in samples:  # correctness once, outside the timing
        assert result_to_json_dict(parse_judgment(sample.text)) == sample.expected
    texts = [sample.text for sample in samples]
    orders = sum(len(sample.expected["orders"]) for sample in samples)
    chars = sum(len(text) for text in texts)
    cpu, wall = timed(lambda: [parse_judgment(text) for text in texts], args.rounds)
    count = len(texts) * args.rounds
    print(f"generated texts: {len(texts):,} ({chars / len(texts):,.0f} characters and "
          f"{orders / len(texts):.1f} orders on average), {args.rounds} rounds")
    print(f"  parse_judgment: {count / cpu:,.0f} texts/s CPU ({count / wall:,.0f} wall), "
          f"{orders * args.rounds / cpu:,.0f} orders/s, {cpu / count * 1e6:,.0f} µs per text")

    big = large_judgment(500)
    reading = parse_judgment(big)
    assert len(reading.orders) == 1000 and not reading.unparsed
    cpu, wall = timed(lambda: parse_judgment(big), args.rounds)
    print(f"large judgment (500 plaintiffs, 1,000 orders, {len(big):,} characters): "
          f"{cpu / args.rounds * 1000:,.1f} ms CPU per text")

    text = samples[0].text
    pdf = pdf_of(text)
    assert result_to_json_dict(parse_judgment(read_judgment_file(pdf, "a.pdf").text)) == samples[0].expected
    cpu, wall = timed(lambda: parse_judgment(read_judgment_file(pdf, "a.pdf").text), args.rounds * 10)
    print(f"PDF with a text layer ({len(pdf):,} bytes): {args.rounds * 10 / cpu:,.0f} files/s CPU, "
          f"{cpu / (args.rounds * 10) * 1000:,.1f} ms per file")
    legacy = text.encode("euc-kr")
    cpu, wall = timed(lambda: parse_judgment(read_judgment_file(legacy, "a.txt").text), args.rounds * 100)
    print(f"EUC-KR text file ({len(legacy):,} bytes): {args.rounds * 100 / cpu:,.0f} files/s CPU")


if __name__ == "__main__":
    main()
