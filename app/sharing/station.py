"""Connect a station to a shared session's server by its join code, trusting only the certificate it names.

Before the first connection the station asks the server for its certificate (PostgreSQL's SSLRequest, then a
TLS handshake that checks nothing yet) and compares its SHA-256 fingerprint with the code's. Only a match is
written, private. A self-signed certificate (ours, or a team's) is then the station's one trusted root: every
connection runs with sslmode=verify-ca against it. A certificate signed by a CA (a team's server) must also be
trusted by this laptop: connections run with sslmode=verify-full against the system's roots (`system_roots`).
Always with channel_binding=require, so a machine in between can neither read along nor pose as the server.
"""

from __future__ import annotations

import logging
import os
import socket
import ssl
import struct
from pathlib import Path

from sqlalchemy.engine import URL

from app.domain.errors import DomainError

from .certificate import der_to_pem
from .join_code import JoinCode

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5
_SSL_REQUEST = struct.pack("!ii", 8, 80877103)


class StationError(DomainError):
    """The station cannot reach the shared session, or found a server that is not the one of the code."""


def unreachable(code: JoinCode, reason: str) -> StationError:
    log.warning("cannot reach the shared session's server at %s: %s", code.address, reason)
    return StationError(f"De gedeelde sessie op {code.address} is niet bereikbaar ({reason}). Staat de host aan, en "
                        "zitten beide laptops op hetzelfde netwerk (wifi of hotspot)?")


class NoTls(StationError):
    """The server offers no encrypted connection."""


UNTRUSTED = ("Het certificaat van de server op {address} wordt door deze laptop niet vertrouwd (het is niet "
             "ondertekend door een certificaatautoriteit die deze laptop kent, of het noemt dit adres niet). Verbind "
             "niet: vraag de beheerder van de server om het certificaat van de organisatie op deze laptop te zetten.")
OLD_LIBPQ = ("Deze laptop heeft geen bestand met vertrouwde certificaatautoriteiten, en libpq {version} kan de "
             "certificaten van het systeem niet lezen (daarvoor is libpq 16 of nieuwer nodig). Werk Prikpost bij.")

WRONG_SERVER = ("Op {address} antwoordt een andere server dan die van de deelcode (het certificaat klopt niet). "
                "Verbind niet: vraag de host om de code in het deelvenster opnieuw te lezen.")


def server_certificate(code: JoinCode, timeout: float = CONNECT_TIMEOUT_S) -> bytes:
    """Return the DER certificate the server at the code's address shows."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # checked by the caller against the pinned fingerprint instead
    der = _handshake(code, context, None, timeout)
    if not der:
        raise StationError(WRONG_SERVER.format(address=code.address))
    return der


def _handshake(code: JoinCode, context: ssl.SSLContext, server_hostname: str | None, timeout: float) -> bytes | None:
    """Ask the server for TLS (PostgreSQL's SSLRequest), shake hands with `context`, return its DER certificate."""
    try:
        with socket.create_connection((code.host, code.port), timeout=timeout) as raw:
            raw.sendall(_SSL_REQUEST)
            if raw.recv(1) != b"S":
                raise NoTls(f"De server op {code.address} biedt geen versleutelde verbinding. Verbind niet.")
            with context.wrap_socket(raw, server_hostname=server_hostname) as tls:
                return tls.getpeercert(binary_form=True)
    except (StationError, ssl.SSLCertVerificationError):
        raise
    except (OSError, ssl.SSLError) as error:
        raise unreachable(code, getattr(error, "strerror", None) or type(error).__name__) from None


def pin(code: JoinCode, folder: Path) -> Path:
    """Check the server's certificate against the code and keep it as this station's trusted root."""
    der = server_certificate(code)
    if not code.matches(der):
        log.warning("certificate at %s does not match the join code", code.address)
        raise StationError(WRONG_SERVER.format(address=code.address))
    if not self_signed(der):
        check_trusted(code)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = pinned_path(code, folder)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(der_to_pem(der))
    return path


def pinned_path(code: JoinCode, folder: Path) -> Path:
    """Return where `pin` keeps the certificate of this code's server in `folder`."""
    return folder / f"server-{code.fingerprint.hex()[:16]}.crt"


def self_signed(der: bytes) -> bool:
    """Return True when the certificate names itself as its issuer (not signed by a CA)."""
    from cryptography import x509

    certificate = x509.load_der_x509_certificate(der)
    return certificate.issuer == certificate.subject


def system_roots() -> str:
    """Return the file of this laptop's trusted roots (honouring SSL_CERT_FILE), else libpq's "system".

    The file Python's own OpenSSL finds, not libpq's sslrootcert=system: the libpq bundled with psycopg[binary]
    has an OpenSSL of its own whose default folder (/usr/lib/psycopg-openssl) holds no roots on Debian."""
    import psycopg

    cafile = ssl.get_default_verify_paths().cafile
    if cafile:
        return cafile
    if psycopg.pq.version() < 160000:
        raise StationError(OLD_LIBPQ.format(version=psycopg.pq.version()))
    return "system"


def check_trusted(code: JoinCode, timeout: float = CONNECT_TIMEOUT_S) -> None:
    """Refuse a CA-signed server certificate the roots of `system_roots` do not vouch for at the code's address."""
    roots = system_roots()
    context = ssl.create_default_context(cafile=None if roots == "system" else roots)
    try:
        _handshake(code, context, code.host, timeout)
    except ssl.SSLCertVerificationError as error:
        log.warning("certificate at %s is not trusted here: %s", code.address, error.verify_message)
        raise StationError(UNTRUSTED.format(address=code.address)) from None


def tls_options(root: Path) -> dict[str, str]:
    """Return libpq's TLS options for a server whose certificate `pin` kept at `root`.

    The one place that decides: a self-signed certificate is itself the only root (verify-ca); a CA-signed one
    is checked against this laptop's trusted roots and must name the address (verify-full). The fingerprint
    was checked by `pin` before."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    der = x509.load_pem_x509_certificate(root.read_bytes()).public_bytes(serialization.Encoding.DER)
    if self_signed(der):
        return {"sslmode": "verify-ca", "sslrootcert": str(root)}
    return {"sslmode": "verify-full", "sslrootcert": system_roots()}


def connection_options(code: JoinCode, root: Path) -> dict[str, str | int]:
    """Return libpq's options for a verified, channel-bound TLS connection to the shared session."""
    return {**tls_options(root), "channel_binding": "require", "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "prikpost"}


def database_url(code: JoinCode, root: Path) -> URL:
    """Return the SQLAlchemy URL of the shared session's database (the options travel in its query)."""
    options = {key: str(value) for key, value in connection_options(code, root).items()}
    return URL.create("postgresql+psycopg", username=code.user, password=code.password, host=code.host,
                      port=code.port, database=code.database, query=options)


def stations_folder() -> Path:
    """Return the private folder where this laptop keeps the certificates of sessions it joined."""
    from app.settings import default_data_dir
    from app.store.engine import private_folder

    return private_folder(default_data_dir() / "stations")


def join(text: str, folder: Path | None = None) -> tuple[JoinCode, str]:
    """Read a join code, check the server's certificate against it, and return the code and the database URL."""
    from .join_code import parse

    code = parse(text)
    root = pin(code, folder or stations_folder())
    return code, database_url(code, root).render_as_string(hide_password=False)
