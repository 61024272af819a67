"""Fuzz test of the judgment reader (issue 14 §5): a judgment file's bytes (``read_judgment_file``)
and its text (``parse_judgment``) raise nothing but :class:`JudgmentReadError` (empty, unreadable,
no operative part); every other difficulty is an ``unparsed`` entry of the reading. The seed is
the example judgment of docs/examples."""

from __future__ import annotations

from fuzz_support import EXAMPLES, FUZZ, mutated_bytes, mutated_text
from hypothesis import given
from hypothesis import strategies as st

from baesang.calc.judgment_file import read_judgment_file
from baesang.calc.judgment_text import JudgmentReadError, JudgmentReading, parse_judgment

JUDGMENT = (EXAMPLES / "judgment-2012na44947.txt").read_text(encoding="utf-8")
NAMES = st.sampled_from(["judgment.txt", "judgment.pdf", "-", "", "judgment.docx", "JUDGMENT.TXT", "a.b.pdf"])


def read(content: bytes, filename: str) -> None:
    try:
        text = read_judgment_file(content, filename).text
    except JudgmentReadError as exc:
        assert exc.code and exc.message
        return
    parse(text)


def parse(text: str) -> None:
    try:
        reading = parse_judgment(text)
    except JudgmentReadError as exc:
        assert exc.code and exc.message
        return
    assert isinstance(reading, JudgmentReading)


def test_the_seed_is_read():
    assert parse_judgment(read_judgment_file(JUDGMENT.encode("utf-8"), "judgment.txt").text).orders


@FUZZ
@given(text=mutated_text(JUDGMENT, max_mutations=6))
def test_a_mutated_judgment_text_is_read_or_refused_with_a_reading_error(text):
    parse(text)


@FUZZ
@given(text=st.text(max_size=400))
def test_any_text_is_read_or_refused_with_a_reading_error(text):
    parse(text)


@FUZZ
@given(content=mutated_bytes(JUDGMENT.encode("utf-8")) | mutated_bytes(JUDGMENT.encode("cp949"))
       | st.binary(max_size=300), filename=NAMES)
def test_any_file_bytes_are_read_or_refused_with_a_reading_error(content, filename):
    read(content, filename)


@FUZZ
@given(tail=st.binary(max_size=400), filename=NAMES)
def test_a_damaged_pdf_is_refused_with_a_reading_error(tail, filename):
    read(b"%PDF-1.7\n" + tail, filename)
