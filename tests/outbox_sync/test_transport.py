import json
import os
import tempfile
from datetime import date

import httpx
import pytest

from app.domain.insz import make_insz
from app.outbox.environment import Endpoint, open_transport
from app.outbox.receiver.faults import Faults
from app.outbox.sender import send_now
from app.outbox.soap import SoapFault, unwrap
from app.outbox.transport import HttpTransport, TransportError, make_ssl_context

from .certs import make_certificates
from .conftest import queue_children, settings_for, states


def test_https_with_client_certificate_from_pkcs12(hl7_sc, session_id, start_receiver, tmp_path):
    certs = make_certificates(tmp_path, "geheim")
    server = start_receiver(cert=certs["server.pem"], key=certs["server-key.pem"], client_ca=certs["ca.pem"])
    assert server.url().startswith("https://127.0.0.1:")
    queue_children(hl7_sc, session_id, 2)
    leftovers_before = set(os.listdir(tempfile.gettempdir()))
    settings = settings_for(server, client_cert_p12=str(certs["client.p12"]), client_cert_password="geheim",
                            ca_bundle=str(certs["ca.pem"]))
    assert send_now(hl7_sc, settings).acknowledged == 2
    assert states(hl7_sc.db.path) == {"acknowledged": 2}
    # The unlocked key was written only for loading: no PEM of ours is left behind.
    new_files = set(os.listdir(tempfile.gettempdir())) - leftovers_before
    assert not [name for name in new_files if name.startswith("prikpost-")]


def test_https_without_client_certificate_is_refused_by_the_server(start_receiver, tmp_path):
    certs = make_certificates(tmp_path, "geheim")
    server = start_receiver(cert=certs["server.pem"], key=certs["server-key.pem"], client_ca=certs["ca.pem"])
    transport = HttpTransport(server.url(), 5, make_ssl_context(str(certs["ca.pem"])))
    with pytest.raises(TransportError):
        transport.send(b"<x/>")
    transport.close()


def test_wrong_certificate_password_is_a_dutch_error(tmp_path):
    certs = make_certificates(tmp_path, "geheim")
    with pytest.raises(TransportError, match="wachtwoord klopt niet"):
        make_ssl_context("", str(certs["client.p12"]), "fout")


def test_timeout_is_a_dutch_transport_error(start_receiver):
    server = start_receiver(Faults(delay_s=1.0))
    with HttpTransport(server.url(), timeout_s=0.2) as transport, pytest.raises(TransportError, match="niet op tijd"):
        transport.send(b"<x/>")


def test_http_error_is_a_dutch_transport_error(start_receiver):
    server = start_receiver(Faults(failure_rate=1.0))
    transport = open_transport(settings_for(server), Endpoint("acceptatie", server.url()))
    with pytest.raises(TransportError, match="HTTP-fout 503"):
        transport.send(b"<x/>")
    transport.close()


def test_soap_fault_is_read_as_a_fault():
    fault = (b'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault>'
             b"<faultcode>s:Server</faultcode><faultstring>Onderhoud</faultstring></s:Fault></s:Body></s:Envelope>")
    with pytest.raises(SoapFault, match="Onderhoud"):
        unwrap(fault)


def test_vaccinnet_stand_in_gives_a_ticket_and_per_person_outcomes(receiver):
    unknown, known = make_insz(date(1985, 1, 1), 123), make_insz(date(2010, 2, 2), 543)
    receiver.faults.reject_bsns.add(unknown)
    kmehr = (b'<kmehrmessage xmlns="http://www.ehealth.fgov.be/standards/kmehr/schema/v1"><folder><patient>'
             b'<id S="ID-PATIENT" SV="1.0">%s</id></patient></folder><folder><patient>'
             b'<id S="ID-PATIENT" SV="1.0">%s</id></patient></folder><folder><patient>'
             b'<id S="ID-PATIENT" SV="1.0">12345678901</id></patient></folder></kmehrmessage>') % (
        unknown.encode(), known.encode())
    base = receiver.url("")
    submitted = httpx.post(f"{base}/vaccinnet/submit", content=kmehr).json()
    assert submitted["persons"] == 3
    result = json.loads(httpx.get(f"{base}/vaccinnet/result/{submitted['ticket']}").content)
    outcomes = {person["person"]: person["status"] for person in result["persons"]}
    assert outcomes == {unknown: "NOT_FOUND", known: "OK", "12345678901": "INVALID"}
    assert httpx.get(f"{base}/vaccinnet/result/onbekend").status_code == 404
