"""Turn message facts into the queued message text for the configured receiver, validated when asked."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from app.domain.catalogue import Catalogue
from app.domain.message import MessageFacts
from app.domain.person_id import Receiver
from app.domain.vaccinnet import DEMO_SOFTWARE_ID, problems
from app.resources import shipped_catalogue
from app.settings import Settings

from .errors import MessageError
from .hl7.repc_in002140 import INTERACTION, build_repc_in002140
from .kmehr import build_kmehr_for, check_software_id
from .schemas import require_valid, schema_for
from .sending_system import sending_system
from .xmlsafe import serialise

KMEHR = "KMEHR"


def vaccinnet_refusal(outbox, demo: bool) -> str | None:
    """Return the Dutch message naming what the organisation must fill in before Vaccinnet messages can be made."""
    found = problems(outbox.vaccinnet_software_id, outbox.vaccinnet_hcparty_type, outbox.vaccinnet_cnk, demo)
    if not found:
        return None
    return ("Berichten voor Vaccinnet kunnen nog niet worden gemaakt: vul eerst in of verbeter bij Extra › "
            "Instellingen › Organisatie: " + "; ".join(found) + ".")


def make_encoders(settings: Settings, catalogue: Catalogue | None = None
                  ) -> dict[str, tuple[Callable[[MessageFacts], str], str]]:
    """Return per receiver ("praeventis", "vaccinnet") its (encoder, kind): a session's receiver picks one."""
    return {receiver.value: make_encoder(settings, catalogue, receiver.value) for receiver in Receiver}


def make_encoder(settings: Settings, catalogue: Catalogue | None = None, target: str | None = None
                 ) -> tuple[Callable[[MessageFacts], str], str]:
    """Return (encoder, kind): REPC_IN002140NL for Praeventis, KMEHR for Vaccinnet (`target`, else the setting's).

    The settings are read per message, so a saved change counts at once.
    """
    outbox = settings.outbox
    catalogue = catalogue or shipped_catalogue()
    vaccinnet = (target or outbox.target).strip().lower() == "vaccinnet"
    kind = KMEHR if vaccinnet else INTERACTION
    if vaccinnet:
        def build(facts: MessageFacts) -> etree._Element:
            # Checked per message, not here: a wrong setting must not stop the app from opening.
            refusal = vaccinnet_refusal(outbox, facts.is_demo)
            if refusal is not None:
                raise MessageError(refusal)
            software_id = outbox.vaccinnet_software_id.strip() or DEMO_SOFTWARE_ID  # blank only in a demo
            return build_kmehr_for(facts, check_software_id(software_id), catalogue,
                                   outbox.vaccinnet_hcparty_type.strip(), outbox.vaccinnet_cnk)
    else:
        def build(facts: MessageFacts) -> etree._Element:
            # Read per message: a setting filled in after the start counts at once; a missing one is named.
            return build_repc_in002140(facts, sending_system(outbox, demo=facts.is_demo), catalogue,
                                       activity_list=outbox.activity_list)

    schema_dir = outbox.schema_dir.strip()

    def encode(facts: MessageFacts) -> str:
        """Build the message and, with a schema folder set, refuse it unless it follows the XSD."""
        message = build(facts)
        if schema_dir:
            # The compiled schema is cached, so only the first message pays for loading it.
            require_valid(schema_for(schema_dir, kind), message, kind)
        return serialise(message)

    return encode, kind
