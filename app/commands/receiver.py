"""`prikpost receiver`: run the Praeventis/Vaccinnet stand-in on 127.0.0.1 until stopped."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from app.outbox.receiver.faults import Faults
from app.outbox.receiver.server import ReceiverServer

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    parser = subparsers.add_parser("receiver", help="start de testontvanger (Praeventis/Vaccinnet) op 127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="poort (0 kiest een vrije poort)")
    parser.add_argument("--store", type=Path, required=True, help="map waarin ontvangen berichten komen")
    parser.add_argument("--schemas", default="", help="map met de HL7v3-schema's; dan wordt elk bericht gevalideerd")
    parser.add_argument("--lots", type=Path, default=None, help="partijlijst (PRMM_IN010043NL) om uit te leveren")
    parser.add_argument("--cert", type=Path, default=None, help="servercertificaat (PEM) voor https")
    parser.add_argument("--key", type=Path, default=None, help="sleutel van het servercertificaat (PEM)")
    parser.add_argument("--client-ca", type=Path, default=None, help="eis een clientcertificaat van deze CA (PEM)")
    parser.add_argument("--failure-rate", type=float, default=0.0, help="deel van de verzoeken met HTTP 503")
    parser.add_argument("--drop-rate", type=float, default=0.0, help="deel van de antwoorden dat wegvalt")
    parser.add_argument("--malformed-rate", type=float, default=0.0, help="deel van de antwoorden dat onleesbaar is")
    parser.add_argument("--delay", type=float, default=0.0, help="seconden wachten voor elk antwoord")
    parser.add_argument("--reject", action="append", default=[], metavar="BSN", help="BSN dat onbekend is")
    parser.add_argument("--objection", action="append", default=[], metavar="BSN",
                        help="BSN met een eerder bezwaar in het statusantwoord")
    parser.add_argument("--seed", type=int, default=0, help="startwaarde van het toeval (herhaalbare fouten)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    faults = Faults(args.failure_rate, args.drop_rate, args.malformed_rate, args.delay, set(args.reject),
                    set(args.objection), args.seed)
    server = ReceiverServer(args.port, args.store, faults, args.schemas, args.lots, args.cert, args.key,
                            args.client_ca)
    # The first line names the address, so scripts and tests can read the port that was chosen.
    print(f"Testontvanger luistert op {server.url()} (berichten in {args.store}).", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
