"""A team's server whose certificate a CA signed: joined with verify-full against the laptop's trusted roots.

The test CA is trusted by pointing OpenSSL's SSL_CERT_FILE at it in the commands' environment (the station's
system roots honour it); without it the station is refused."""

from __future__ import annotations

import ipaddress
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from app.services.demo import demo_bsns
from app.sharing import station
from app.sharing.certificate import Certificate
from app.sharing.join_code import parse
from tests.pg_server import PASSWORD, SUPERUSER, PostgresServer, why_not_available

from .hosts import demo_store, needs_postgres, prikpost, station_connection

pytestmark = needs_postgres


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _ca_and_leaf() -> tuple[bytes, Certificate]:
    """Return a test CA's certificate (PEM) and a certificate for 127.0.0.1 it signed, with its key."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name("Prikpost test-CA")).issuer_name(_name("Prikpost test-CA"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, key_cert_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    leaf = (x509.CertificateBuilder().subject_name(_name("team-server")).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(hours=1)).not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return ca.public_bytes(serialization.Encoding.PEM), Certificate(
        leaf.public_bytes(serialization.Encoding.PEM),
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


@pytest.fixture
def ca_signed_server(tmp_path):
    """The team's own server with a certificate for 127.0.0.1 signed by a test CA; yields it and the CA's file."""
    reason = why_not_available()
    if reason:
        pytest.skip(reason)
    ca_pem, leaf = _ca_and_leaf()
    ca_file = tmp_path / "test-ca.pem"
    ca_file.write_bytes(ca_pem)
    server = PostgresServer(certificate=leaf).start()
    yield server, ca_file
    server.stop()


def test_a_team_server_signed_by_a_trusted_ca_is_joined_with_verify_full(tmp_path, ca_signed_server, monkeypatch):
    server, ca_file = ca_signed_server
    store = demo_store(tmp_path / "host.db")
    database = server.create_database()
    monkeypatch.setenv("PGPASSWORD", PASSWORD)
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    url = f"postgresql://{SUPERUSER}@127.0.0.1:{server.port}/{database}"

    # The host's own administrator connection checks the certificate as stations do (verify-ca would fail here).
    code = parse(prikpost("host", "start", "--db", store, "--server", url).stdout.strip().splitlines()[-1])

    child = demo_bsns(31)[30]
    (tmp_path / "scans.txt").write_text(f"{child}\n")
    joined = prikpost("import-scans", "--join", code.text(), "--station", "tafel-1", "--as", "medewerker-tafel-1",
                      tmp_path / "scans.txt")
    assert child in joined.stdout
    found, _url = station.join(code.text(), tmp_path / "station")
    assert found == code
    joined_root = next((tmp_path / "station").glob("*.crt"))
    assert station.tls_options(joined_root) == {"sslmode": "verify-full", "sslrootcert": str(ca_file)}
    with station_connection(code, joined_root) as connection:
        assert connection.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone() == (True,)

    # Without the CA trusted the same station is refused, in Dutch, and exits non-zero.
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-ca.pem"))
    untrusted = prikpost("import-scans", "--join", code.text(), "--station", "tafel-2", "--as", "medewerker-tafel-2",
                         tmp_path / "scans.txt", check=False)
    assert untrusted.returncode != 0
    assert "wordt door deze laptop niet vertrouwd" in untrusted.stdout + untrusted.stderr
    assert "Traceback" not in untrusted.stdout + untrusted.stderr
    with pytest.raises(station.StationError, match="niet vertrouwd"):
        station.join(code.text(), tmp_path / "untrusted")

    # A code naming another certificate is still refused, even with the CA trusted.
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))
    wrong = replace(code, fingerprint=bytes(16))
    with pytest.raises(station.StationError, match="andere server dan die van de deelcode"):
        station.join(wrong.text(), tmp_path / "elsewhere")

    assert "die server draait door" in prikpost("host", "stop", "--db", store).stdout
