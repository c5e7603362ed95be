"""The join code: where a shared session's server is and how a station proves it found the right one.

One compact text a nurse reads aloud or types ("PRIK-" and groups of four letters and digits), also shown as a QR
code. It holds the server's address and port, the first 16 bytes (128 bits) of the SHA-256 fingerprint of its
certificate, and the stations' secret; a two-byte check catches a mistyped code. Crockford's base32 alphabet
leaves out I, L, O and U, and reading forgives 0/O and 1/I/L mix-ups, case, spaces and dashes.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from app.domain.errors import DomainError

PREFIX = "PRIK"
VERSION = 1
DEFAULT_DATABASE = "prikpost"
DEFAULT_USER = "prikpost_station"
FINGERPRINT_BYTES = 16  # 128 bits of SHA-256: no second certificate can be made to match it
SECRET_BYTES = 12  # 96 bits: far beyond what guessing against scram-sha-256 over a LAN can try
CHECK_BYTES = 2

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_READ_AS = {"O": "0", "I": "1", "L": "1"}

_IPV4, _IPV6, _NAME = 0, 1, 2
_CUSTOM_NAMES = 0x04


class JoinCodeInvalid(DomainError):
    """A typed, pasted or scanned join code cannot be read."""


MISTYPED = ("De code klopt niet. Controleer de tekens (bijvoorbeeld 8 en B, 5 en S) en typ hem opnieuw, of scan de "
            "QR-code van het deelvenster.")


def fingerprint(certificate_der: bytes) -> bytes:
    """Return the part of a certificate's SHA-256 fingerprint a join code carries."""
    return hashlib.sha256(certificate_der).digest()[:FINGERPRINT_BYTES]


def new_secret() -> bytes:
    """Return a new random secret for the stations' role."""
    return secrets.token_bytes(SECRET_BYTES)


def password_of(secret: bytes) -> str:
    """Return the stations' password for a secret (its text form)."""
    return _base32(secret)


@dataclass(frozen=True)
class JoinCode:
    host: str
    port: int
    fingerprint: bytes
    secret: bytes
    database: str = DEFAULT_DATABASE
    user: str = DEFAULT_USER

    @property
    def password(self) -> str:
        """Return the stations' password (the secret as text)."""
        return password_of(self.secret)

    def matches(self, certificate_der: bytes) -> bool:
        """Return True when a certificate is the one this code names."""
        return hmac.compare_digest(fingerprint(certificate_der), self.fingerprint)

    @property
    def address(self) -> str:
        """Return 'host:port' for messages ('[::1]:5432' for IPv6)."""
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    def text(self) -> str:
        """Return the code as 'PRIK-XXXX-XXXX-…'."""
        body = _pack(self)
        body += hashlib.sha256(body).digest()[:CHECK_BYTES]
        letters = _base32(body)
        return "-".join([PREFIX] + [letters[i:i + 4] for i in range(0, len(letters), 4)])

    def __str__(self) -> str:  # a code never shows its secret by accident in a log line
        return f"JoinCode({self.address})"

    __repr__ = __str__


def looks_like_join_code(text: str) -> bool:
    """Return True for text that is meant as a join code (a camera passes such a QR code on)."""
    return text.strip().upper().startswith(PREFIX + "-")


def parse(text: str) -> JoinCode:
    """Read a join code as typed, pasted or scanned; raise JoinCodeInvalid with a Dutch reason."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = "".join(_READ_AS.get(ch, ch) for ch in cleaned)
    if not cleaned.startswith("PR1K"):
        raise JoinCodeInvalid("Dit is geen Prikpost-deelcode: een deelcode begint met PRIK-.")
    letters = cleaned[4:]
    if not letters or any(ch not in ALPHABET for ch in letters):
        raise JoinCodeInvalid(MISTYPED)
    body = _unbase32(letters)
    if body is None or len(body) < CHECK_BYTES + 1:
        raise JoinCodeInvalid(MISTYPED)
    body, check = body[:-CHECK_BYTES], body[-CHECK_BYTES:]
    if not hmac.compare_digest(hashlib.sha256(body).digest()[:CHECK_BYTES], check):
        raise JoinCodeInvalid(MISTYPED)
    return _unpack(body)


def secret_text(secret: bytes) -> str:
    """Return the secret alone, with a check letter, as 'XXXX-XXXX-…' (typed after picking a host found on the LAN)."""
    letters = _base32(secret + hashlib.sha256(secret).digest()[:1])
    return "-".join(letters[i:i + 4] for i in range(0, len(letters), 4))


def parse_secret(text: str) -> bytes:
    """Read a secret typed as secret_text wrote it; raise JoinCodeInvalid with a Dutch reason."""
    cleaned = "".join(_READ_AS.get(ch, ch) for ch in text.upper() if ch.isalnum())
    body = _unbase32(cleaned) if cleaned and all(ch in ALPHABET for ch in cleaned) else None
    if body is None or len(body) < 2 or hashlib.sha256(body[:-1]).digest()[:1] != body[-1:]:
        raise JoinCodeInvalid("Het geheim klopt niet. Controleer de tekens in het deelvenster van de host en typ het "
                              "opnieuw, of typ de hele code (PRIK-…).")
    return body[:-1]


def qr_image(code: JoinCode, scale: int = 6):
    """Return the code as a QR code image (a grayscale numpy array, with its quiet zone)."""
    import numpy as np
    import zxingcpp

    barcode = zxingcpp.create_barcode(code.text(), zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    return np.asarray(barcode.to_image(scale=scale))


def _pack(code: JoinCode) -> bytes:
    try:
        address = ipaddress.ip_address(code.host)
        kind, host = (_IPV4 if address.version == 4 else _IPV6), address.packed
    except ValueError:
        kind, host = _NAME, _short_text(code.host)
    custom = (code.database, code.user) != (DEFAULT_DATABASE, DEFAULT_USER)
    head = bytes([VERSION << 4 | kind | (_CUSTOM_NAMES if custom else 0)])
    if len(code.fingerprint) != FINGERPRINT_BYTES or not 0 < code.port < 65536:
        raise ValueError("a join code needs a 16-byte fingerprint and a port")
    body = head + host + code.port.to_bytes(2, "big") + code.fingerprint + _short_text(code.secret)
    if custom:
        body += _short_text(code.database) + _short_text(code.user)
    return body


def _unpack(body: bytes) -> JoinCode:
    reader = _Reader(body)
    head = reader.take(1)[0]
    if head >> 4 != VERSION:
        raise JoinCodeInvalid("Deze deelcode komt van een andere versie van Prikpost. Werk beide laptops bij.")
    kind = head & 0x03
    if kind == _IPV4:
        host = str(ipaddress.IPv4Address(reader.take(4)))
    elif kind == _IPV6:
        host = str(ipaddress.IPv6Address(reader.take(16)))
    else:
        host = reader.text()
    port = int.from_bytes(reader.take(2), "big")
    pin = reader.take(FINGERPRINT_BYTES)
    secret = reader.short()
    database, user = (reader.text(), reader.text()) if head & _CUSTOM_NAMES else (DEFAULT_DATABASE, DEFAULT_USER)
    if not reader.done() or not port or not secret or not host:
        raise JoinCodeInvalid(MISTYPED)
    return JoinCode(host, port, pin, secret, database, user)


def _short_text(value: str | bytes) -> bytes:
    data = value.encode() if isinstance(value, str) else value
    if len(data) > 255:
        raise ValueError("a join code field is at most 255 bytes")
    return bytes([len(data)]) + data


class _Reader:
    def __init__(self, data: bytes):
        self.data, self.at = data, 0

    def take(self, count: int) -> bytes:
        if self.at + count > len(self.data):
            raise JoinCodeInvalid(MISTYPED)
        piece = self.data[self.at:self.at + count]
        self.at += count
        return piece

    def short(self) -> bytes:
        return self.take(self.take(1)[0])

    def text(self) -> str:
        try:
            return self.short().decode()
        except UnicodeDecodeError:
            raise JoinCodeInvalid(MISTYPED) from None

    def done(self) -> bool:
        return self.at == len(self.data)


def _base32(data: bytes) -> str:
    bits = int.from_bytes(data, "big") if data else 0
    length = (len(data) * 8 + 4) // 5
    return "".join(ALPHABET[(bits << (length * 5 - len(data) * 8)) >> (5 * (length - 1 - i)) & 31]
                   for i in range(length))


def _unbase32(letters: str) -> bytes | None:
    count = len(letters) * 5 // 8
    if (count * 8 + 4) // 5 != len(letters):
        return None
    bits = 0
    for ch in letters:
        bits = bits << 5 | ALPHABET.index(ch)
    padding = len(letters) * 5 - count * 8
    if bits & ((1 << padding) - 1):
        return None
    return (bits >> padding).to_bytes(count, "big")
