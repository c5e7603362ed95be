"""`prikpost sync`: send every message not yet acknowledged, now, and print a Dutch summary."""

from __future__ import annotations

import argparse
import sys

from app.domain.outbox_states import OutboxState
from app.domain.wording import count_noun
from app.outbox.queue import resend_after_fix
from app.outbox.sender import send_now
from app.services.outbox_view import list_messages, open_alert

from .common import add_db_argument, open_context

ALERT_EXIT = 3  # 0: all sent; 2: something failed or was refused; 3: a message is given up (beheerder)


def register(subparsers) -> None:
    parser = subparsers.add_parser("sync", help="verzend nu alle berichten die nog niet bevestigd zijn",
                                   description="Verzend nu alle berichten die nog niet bevestigd zijn. Afsluitcode 0: "
                                               "alles bevestigd; 2: iets mislukt of geweigerd; 3: een bericht is na "
                                               "alle pogingen opgegeven (waarschuwing voor de beheerder op stderr).")
    add_db_argument(parser)
    parser.add_argument("--url", default=None, help="adres van de ontvanger (standaard uit de instellingen)")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="berichten per keer uit de wachtrij genomen (elke bevestiging wordt meteen vastgelegd)")
    parser.add_argument("--resend-refused", action="store_true",
                        help="zet eerst elk geweigerd bericht (actie nodig) ongewijzigd opnieuw klaar, nadat de "
                             "oorzaak is opgelost (bv. de zorgvrager is via de servicedesk in Vaccinnet aangemaakt)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    context = open_context(args)
    try:
        settings = context.settings.outbox
        if args.batch_size:
            settings.send_batch_size = args.batch_size
        if args.resend_refused:
            refused = [view.outbox_id for view in list_messages(context.services, states=(OutboxState.NEEDS_ACTION,))]
            again = resend_after_fix(context.services, refused)
            print(f"{count_noun(again, 'geweigerd bericht', 'geweigerde berichten')} opnieuw klaargezet.")
        report = send_now(context.services, settings, url=args.url)
        alert = open_alert(context.services)
    finally:
        context.close()
    print(report.summary())
    if alert:
        # For a scheduler that mails what a run prints on stderr: the retry schedule (R9) is exhausted.
        print(alert, file=sys.stderr)
        return ALERT_EXIT
    return 0 if report.ok else 2
