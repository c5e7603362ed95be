"""The shared session server's TLS certificate: self-signed, made for this host, pinned by the join code."""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# A shared session lasts a school day; a week covers a session hosted again the next days without a new code.
VALIDITY = timedelta(days=7)


@dataclass(frozen=True)
class Certificate:
    certificate_pem: bytes
    key_pem: bytes

    @property
    def der(self) -> bytes:
        return x509.load_pem_x509_certificate(self.certificate_pem).public_bytes(serialization.Encoding.DER)


def make_certificate(addresses: list[str], now: datetime | None = None) -> Certificate:
    """Return a new P-256 key and a self-signed certificate naming these addresses and this host's name."""
    now = now or datetime.now(UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    host_name = socket.gethostname() or "prikpost"
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Prikpost {host_name}"[:64])])
    alternatives: list[x509.GeneralName] = [x509.DNSName(host_name)]
    for address in addresses:
        try:
            alternatives.append(x509.IPAddress(ipaddress.ip_address(address)))
        except ValueError:
            alternatives.append(x509.DNSName(address))
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.SubjectAlternativeName(alternatives), critical=False)
        # Its own trust anchor: a station names this very certificate as its root (sslrootcert).
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Certificate(
        certificate.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()),
    )


def der_to_pem(der: bytes) -> bytes:
    """Return a DER certificate as PEM."""
    return x509.load_der_x509_certificate(der).public_bytes(serialization.Encoding.PEM)
