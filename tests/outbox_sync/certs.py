"""Make a throw-away CA, a server certificate for 127.0.0.1 and a client PKCS#12 for TLS tests."""

from __future__ import annotations

import datetime as dt
import ipaddress
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(subject: str, key, issuer: str, issuer_key, ca: bool, ip: bool = False) -> x509.Certificate:
    now = dt.datetime.now(dt.UTC)
    builder = (x509.CertificateBuilder().subject_name(_name(subject)).issuer_name(_name(issuer))
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ip:
        loopback = x509.IPAddress(ipaddress.ip_address("127.0.0.1"))
        builder = builder.add_extension(x509.SubjectAlternativeName([loopback]), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def make_certificates(folder: Path, password: str) -> dict[str, Path]:
    """Write ca.pem, server.pem, server-key.pem and client.p12 (with password) into the folder."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Prikpost test-CA", ca_key, "Prikpost test-CA", ca_key, ca=True)
    server_key = ec.generate_private_key(ec.SECP256R1())
    server = _certificate("127.0.0.1", server_key, "Prikpost test-CA", ca_key, ca=False, ip=True)
    client_key = ec.generate_private_key(ec.SECP256R1())
    client = _certificate("prikpost-client", client_key, "Prikpost test-CA", ca_key, ca=False)
    paths = {name: folder / name for name in ("ca.pem", "server.pem", "server-key.pem", "client.p12")}
    paths["ca.pem"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths["server.pem"].write_bytes(server.public_bytes(serialization.Encoding.PEM))
    paths["server-key.pem"].write_bytes(_pem_key(server_key))
    paths["client.p12"].write_bytes(pkcs12.serialize_key_and_certificates(
        b"client", client_key, client, None, serialization.BestAvailableEncryption(password.encode())))
    return paths
