"""Choose the receiver's URL for the configured environment and keep demo data out of production."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from app.domain.errors import DomainError
from app.domain.roles import Action
from app.services.base import ServiceContext
from app.settings import OutboxSettings

from .bounded import Deadline
from .transport import HttpTransport, make_ssl_context

log = logging.getLogger(__name__)

ENVIRONMENTS = ("acceptatie", "productie")
PRODUCTION = "productie"
DEMO_REFUSAL = ("Demo- en testgegevens worden nooit naar de productieomgeving verzonden. Verzend deze sessie "
                "naar de acceptatieomgeving of verwijder haar.")

DEMO_DATABASE_REFUSAL = ("Dit is de demodatabase (aanmelden met demo/demo): wat erin staat gaat nooit naar de "
                         "productieomgeving, ook geen sessie die er later in is aangemaakt. Gebruik voor echte "
                         "kinderen de eigen database (Extra › Eigen database openen).")


class ProductionRefused(DomainError):
    """Demo or test data was about to go to production."""


@dataclass(frozen=True)
class Endpoint:
    environment: str
    url: str

    @property
    def is_production(self) -> bool:
        return self.environment == PRODUCTION


def endpoint_for(settings: OutboxSettings, url: str | None = None, service: str = "praeventis") -> Endpoint:
    """Return the endpoint of the configured environment; --url overrides its address, not its environment."""
    environment = settings.environment.strip().lower()
    if environment not in ENVIRONMENTS:
        raise DomainError(f"Onbekende omgeving '{settings.environment}'; kies 'acceptatie' of 'productie'.")
    prefix = "url_vaccinnet_" if service == "vaccinnet" else "url_"
    address = (url or getattr(settings, f"{prefix}{environment}")).strip()
    if not address:
        raise DomainError(f"Er is geen adres ingesteld voor de {environment}omgeving. Vul het in bij de instellingen.")
    if environment == PRODUCTION and not address.lower().startswith("https://"):
        raise DomainError("De productieomgeving mag alleen via https worden bereikt. Controleer het adres.")
    return Endpoint(environment, address)


def configured_addresses(settings: OutboxSettings) -> set[str]:
    """Return the receiver addresses the beheerder configured (both receivers, both environments)."""
    values = (settings.url_acceptatie, settings.url_productie, settings.url_vaccinnet_acceptatie,
              settings.url_vaccinnet_productie)
    return {value.strip().rstrip("/").lower() for value in values if value.strip()}


def require_address_allowed(sc: ServiceContext, settings: OutboxSettings, url: str | None) -> None:
    """Raise NotAllowed unless url is empty, a configured receiver, or the user is a beheerder."""
    if url and url.strip().rstrip("/").lower() not in configured_addresses(settings):
        sc.require(Action.SEND_ELSEWHERE)


def refuse_demo_in_production(endpoint: Endpoint, is_demo: bool) -> None:
    """Raise ProductionRefused, before any network call, when demo data would go to production."""
    if endpoint.is_production and is_demo:
        log.error("refused to send demo/test data to production (%s)", endpoint.url)
        raise ProductionRefused(DEMO_REFUSAL)


def open_transport(settings: OutboxSettings, endpoint: Endpoint, run_deadline: Deadline | None = None) -> HttpTransport:
    """Return a transport to the endpoint with the configured client certificate, CA bundle, timeout and bounds."""
    context = None
    if endpoint.url.lower().startswith("https://"):
        context = make_ssl_context(settings.ca_bundle, settings.client_cert_p12, settings.client_cert_password)
    return HttpTransport(endpoint.url, settings.timeout_s, context, settings.request_deadline_s,
                         settings.max_answer_bytes, run_deadline)
