"""Turn message facts into the queued message text for the configured receiver, validated when asked."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from app.domain.catalogue import Catalogue
from app.domain.message import MessageFacts
from app.resources import shipped_catalogue
from app.settings import Settings

from .hl7.repc_in002140 import INTERACTION, build_repc_in002140
from .kmehr import build_kmehr_for, check_software_id
from .schemas import require_valid, schema_for
from .sending_system import sending_system
from .xmlsafe import serialise

KMEHR = "KMEHR"


def make_encoder(settings: Settings, catalogue: Catalogue | None = None
                 ) -> tuple[Callable[[MessageFacts], str], str]:
    """Return (encoder, kind): REPC_IN002140NL for Praeventis, KMEHR for Vaccinnet."""
    outbox = settings.outbox
    catalogue = catalogue or shipped_catalogue()
    vaccinnet = outbox.target.strip().lower() == "vaccinnet"
    kind = KMEHR if vaccinnet else INTERACTION
    if vaccinnet:
        def build(facts: MessageFacts) -> etree._Element:
            # Checked per message, not here: a wrong setting must not stop the app from opening.
            return build_kmehr_for(facts, check_software_id(outbox.vaccinnet_software_id), catalogue)
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
