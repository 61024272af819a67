"""Checks of an uploaded file: size, type (by its first bytes, not its name) and a virus scan.

Scanners:

- :class:`ClamdScanner` when ``BAESANG_CLAMD`` is set: a Unix socket path (``/run/clamav/clamd.ctl``)
  or ``host:port``; the file is streamed with clamd's ``zINSTREAM`` command (4-byte big-endian
  chunk lengths, a zero-length chunk to end) and the answer ``stream: OK`` means clean.
- :class:`EicarStubScanner` otherwise, outside production: flags only the EICAR test string,
  so tests and development show the refusal path without a clamd. In production without
  ``BAESANG_CLAMD`` every upload is refused (:class:`NoScanner`).
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings

from baesang.creditors.errors import ScannerUnavailable, UploadInfected, UploadRefused

#: The EICAR anti-virus test string (eicar.org): every scanner reports it, it harms nothing.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
#: Accepted types, recognised by their first bytes.
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "BAESANG_PORTAL_MAX_UPLOAD_MB", 10)) * 1024 * 1024


@dataclass(frozen=True)
class ScanResult:
    clean: bool
    detail: str


class Scanner(Protocol):
    name: str

    def scan(self, content: bytes) -> ScanResult: ...  # pragma: no cover


class EicarStubScanner:
    name = "stub"

    def scan(self, content: bytes) -> ScanResult:
        if EICAR in content:
            return ScanResult(False, "Eicar-Test-Signature FOUND (stub scanner)")
        return ScanResult(True, "OK (stub scanner: EICAR only)")


class NoScanner:
    name = "none"

    def scan(self, content: bytes) -> ScanResult:
        raise ScannerUnavailable("no virus scanner is configured (set BAESANG_CLAMD); uploads are refused")


class ClamdScanner:
    name = "clamd"
    CHUNK = 64 * 1024

    def __init__(self, address: str, timeout: float = 30.0) -> None:
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        if self.address.startswith("/"):
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            connection.settimeout(self.timeout)
            connection.connect(self.address)
            return connection
        host, _, port = self.address.rpartition(":")
        return socket.create_connection((host or "127.0.0.1", int(port)), timeout=self.timeout)

    def scan(self, content: bytes) -> ScanResult:
        try:
            with self._connect() as connection:
                connection.sendall(b"zINSTREAM\0")
                for start in range(0, len(content), self.CHUNK):
                    chunk = content[start:start + self.CHUNK]
                    connection.sendall(struct.pack("!L", len(chunk)) + chunk)
                connection.sendall(struct.pack("!L", 0))
                answer = b""
                while not answer.endswith(b"\0"):
                    part = connection.recv(4096)
                    if not part:
                        break
                    answer += part
        except OSError as error:
            raise ScannerUnavailable(f"clamd at {self.address} cannot be reached: {error}") from error
        text = answer.rstrip(b"\0").decode("utf-8", "replace").strip()
        if text.endswith("OK"):
            return ScanResult(True, text)
        if text.endswith("FOUND"):
            return ScanResult(False, text)
        raise ScannerUnavailable(f"clamd answered {text!r}")


def scanner_get() -> Scanner:
    address = getattr(settings, "BAESANG_CLAMD", "")
    if address:
        return ClamdScanner(address)
    if getattr(settings, "PRODUCTION", False):
        return NoScanner()
    return EicarStubScanner()


def upload_check(*, name: str, content: bytes, scanner: Scanner | None = None) -> tuple[str, str]:
    """The content type and the scanner's answer of an acceptable upload; raises
    :class:`UploadRefused` (size, type) or :class:`UploadInfected`."""
    if not content:
        raise UploadRefused(f"{name}: the file is empty", field="upload")
    limit = max_upload_bytes()
    if len(content) > limit:
        raise UploadRefused(f"{name}: {len(content)} bytes is more than {limit}", field="upload")
    content_type = next((kind for kind, heads in SIGNATURES.items() if content.startswith(heads)), None)
    if content_type is None:
        raise UploadRefused(f"{name}: only PDF, JPEG or PNG files are accepted", field="upload")
    result = (scanner or scanner_get()).scan(content)
    if not result.clean:
        raise UploadInfected(f"{name}: the virus scanner refused it ({result.detail})", field="upload")
    return content_type, result.detail
