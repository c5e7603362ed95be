"""Find a shared session's host on the LAN by mDNS (zeroconf), so a station need not type the whole code.

The host announces `_prikpost._tcp` with its address, port, the join code's certificate fingerprint and the
session's place; never the secret. A station that picks a found host types only the secret (shown in the host's
share window). The fingerprint from the LAN is not trusted as such: whoever announced it must still prove it knows
the secret's SCRAM verifier (libpq checks the server's signature), so a false announcement gets no data.
"""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .join_code import FINGERPRINT_BYTES, JoinCode

log = logging.getLogger(__name__)

SERVICE_TYPE = "_prikpost._tcp.local."
INFO_TIMEOUT_MS = 3000


@dataclass(frozen=True)
class FoundHost:
    """A host seen on the LAN: where it is, what it shares and which certificate it says it has."""

    name: str
    label: str
    host: str
    port: int
    fingerprint: bytes

    def code(self, secret: bytes) -> JoinCode:
        return JoinCode(self.host, self.port, self.fingerprint, secret)


def _instance(label: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in label).strip()[:40] or "Prikpost"
    return f"{safe} ({socket.gethostname()[:20]})"


class Announcer:
    """Announce a hosted session on the network of its address until stopped."""

    def __init__(self, code: JoinCode, label: str):
        self.code = code
        self.label = label
        self._zeroconf = None
        self._info = None

    def start(self) -> None:
        from zeroconf import ServiceInfo, Zeroconf

        name = _instance(self.label)
        self._info = ServiceInfo(
            SERVICE_TYPE, f"{name}.{SERVICE_TYPE}", port=self.code.port,
            addresses=[socket.inet_pton(socket.AF_INET6 if ":" in self.code.host else socket.AF_INET,
                                        self.code.host)],
            properties={"v": "1", "fp": self.code.fingerprint.hex(), "s": self.label[:100]},
            server=f"{socket.gethostname()[:40] or 'prikpost'}.local.")
        self._zeroconf = Zeroconf(interfaces=[self.code.host])
        self._zeroconf.register_service(self._info, allow_name_change=True)
        log.info("announcing the shared session on %s by mDNS", self.code.address)

    def stop(self) -> None:
        if self._zeroconf is None:
            return
        try:
            self._zeroconf.unregister_service(self._info)
        finally:
            self._zeroconf.close()
            self._zeroconf = None


def _found(info) -> FoundHost | None:
    """Return what a service's record says, or None when it is no usable Prikpost host."""
    properties = {key.decode(): (value or b"").decode(errors="replace") for key, value in info.properties.items()}
    addresses = info.parsed_addresses()
    try:
        fingerprint = bytes.fromhex(properties.get("fp", ""))
    except ValueError:
        return None
    if properties.get("v") != "1" or len(fingerprint) != FINGERPRINT_BYTES or not addresses or not info.port:
        return None
    name = info.name.removesuffix("." + SERVICE_TYPE)
    return FoundHost(name, properties.get("s", ""), addresses[0], info.port, fingerprint)


class Browser:
    """Call `on_found(host)` for each Prikpost host announced on the LAN, and `on_gone(name)` when one leaves."""

    def __init__(self, on_found: Callable[[FoundHost], None], on_gone: Callable[[str], None] | None = None,
                 interfaces: list[str] | None = None):
        self._on_found = on_found
        self._on_gone = on_gone or (lambda _name: None)
        self._interfaces = interfaces
        self._zeroconf = None
        self._browser = None
        self._lock = threading.Lock()

    def start(self) -> None:
        from zeroconf import InterfaceChoice, ServiceBrowser, Zeroconf

        self._zeroconf = Zeroconf(interfaces=self._interfaces or InterfaceChoice.All)
        self._browser = ServiceBrowser(self._zeroconf, SERVICE_TYPE, handlers=[self._changed])

    def _changed(self, zeroconf, service_type, name, state_change) -> None:
        from zeroconf import ServiceStateChange

        if state_change is ServiceStateChange.Removed:
            self._on_gone(name.removesuffix("." + SERVICE_TYPE))
            return
        info = zeroconf.get_service_info(service_type, name, INFO_TIMEOUT_MS)
        host = _found(info) if info else None
        if host is not None:
            self._on_found(host)

    def stop(self) -> None:
        with self._lock:
            if self._browser is not None:
                self._browser.cancel()
                self._browser = None
            if self._zeroconf is not None:
                self._zeroconf.close()
                self._zeroconf = None
