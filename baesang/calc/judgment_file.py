"""A judgment file's bytes → its text, for the judgment reader (:mod:`baesang.calc.judgment_text`).

Accepted: a text file in UTF-8 (with or without a byte-order mark), UTF-16 with a
byte-order mark, or the legacy Korean encodings EUC-KR / CP949 (CP949 is a superset of
EUC-KR, so one strict CP949 decode reads both); a PDF whose pages carry a text layer,
extracted with pypdf. Refused, each with a message that says what to do: an empty file, a
PDF without a text layer (a scanned image — it needs OCR first), an encrypted or damaged
PDF, a word-processor or image file (HWP, Word, PNG …), text in no encoding above.

Encoding detection is a strict decode order, not a guess by statistics: a byte-order mark
first, then strict UTF-8, then strict CP949. Korean text in CP949 is never valid UTF-8
beyond the ASCII range, so the order cannot read a CP949 file as UTF-8 by mistake.
This module imports nothing from Django.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

from pypdf import PdfReader

from baesang.calc.judgment_text import (
    EMPTY,
    PDF_WITHOUT_TEXT,
    UNREADABLE,
    UNSUPPORTED_KIND,
    EmptyJudgment,
    UnreadableJudgment,
)

__all__ = ["JudgmentFile", "read_judgment_file", "TEXT_SUFFIXES", "PDF_SUFFIXES"]

TEXT_SUFFIXES = frozenset({".txt", ".text", ""})
PDF_SUFFIXES = frozenset({".pdf"})

#: Signatures of kinds that are refused, with the name given in the message.
_OTHER_KINDS = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an HWP or old Word/Excel file (OLE)"),
    (b"PK\x03\x04", "a ZIP container (HWPX, DOCX, XLSX …)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)

#: Control characters allowed in a text judgment (tab, newlines, form feed).
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v")


@dataclass(frozen=True, slots=True)
class JudgmentFile:
    """The text read from a judgment file, with what it was: ``kind`` ``"text"`` or
    ``"pdf"``, ``encoding`` the text encoding used (``"pdf"`` for a PDF), ``pages`` for a PDF."""

    text: str
    kind: str
    encoding: str
    pages: int = 0


def read_judgment_file(content: bytes, filename: str = "-") -> JudgmentFile:
    """Read a judgment's text from the file's bytes; ``filename`` decides nothing alone but
    a suffix other than ``.txt``/``.pdf`` is refused. ``"-"`` (standard input) is judged by
    its content. Raises :class:`EmptyJudgment` or :class:`UnreadableJudgment`."""
    suffix = "" if filename in ("", "-") else PurePath(filename).suffix.lower()
    if not content or not content.strip():
        raise EmptyJudgment(EMPTY, f"{_name(filename)} is empty: there is no judgment text to read")
    if content.lstrip()[:5] == b"%PDF-":
        if suffix not in PDF_SUFFIXES and suffix not in TEXT_SUFFIXES:
            raise _unsupported(filename, f"a file named {suffix!r}")
        return _read_pdf(content, filename)
    for signature, kind in _OTHER_KINDS:
        if content.startswith(signature):
            raise _unsupported(filename, kind)
    if suffix in PDF_SUFFIXES:
        raise UnreadableJudgment(UNREADABLE, f"{_name(filename)} is named .pdf but is not a PDF file")
    if suffix not in TEXT_SUFFIXES:
        raise _unsupported(filename, f"a {suffix} file")
    return _read_text(content, filename)


def _name(filename: str) -> str:
    return "standard input" if filename in ("", "-") else filename


def _unsupported(filename: str, kind: str) -> UnreadableJudgment:
    return UnreadableJudgment(
        UNSUPPORTED_KIND,
        f"{_name(filename)} is {kind}; the reader takes a text file (.txt, UTF-8 or EUC-KR/CP949) "
        "or a PDF with a text layer — save the judgment as one of these",
    )


def _read_text(content: bytes, filename: str) -> JudgmentFile:
    if content.startswith(b"\xef\xbb\xbf"):
        attempts = [("utf-8-sig", content)]
    elif content.startswith((b"\xff\xfe", b"\xfe\xff")):
        attempts = [("utf-16", content)]
    else:
        attempts = [("utf-8", content), ("cp949", content)]
    for encoding, data in attempts:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return JudgmentFile(text=text, kind="text", encoding=encoding)
    raise UnreadableJudgment(
        UNREADABLE,
        f"{_name(filename)} is not text in UTF-8 or EUC-KR/CP949 (or is a binary file); "
        "save the judgment as UTF-8 text or as a PDF with a text layer",
    )


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in _ALLOWED_CONTROLS)
    return controls == 0 and bool(text.strip())


def _read_pdf(content: bytes, filename: str) -> JudgmentFile:
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableJudgment(UNREADABLE, f"{_name(filename)} is an encrypted PDF; save it without a password")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableJudgment:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files; all mean "cannot read"
        raise UnreadableJudgment(
            UNREADABLE, f"{_name(filename)} is a damaged or unreadable PDF ({type(exc).__name__})"
        ) from None
    text = "\n".join(pages)
    if not text.strip():
        raise UnreadableJudgment(
            PDF_WITHOUT_TEXT,
            f"{_name(filename)} is a PDF without a text layer ({len(pages)} page(s) of images, e.g. a scan); "
            "run it through OCR or obtain the court's text PDF, then read it again",
        )
    return JudgmentFile(text=text, kind="pdf", encoding="pdf", pages=len(pages))
