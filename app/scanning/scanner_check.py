"""Explain in Dutch what a keyboard-wedge scanner sent, for the scanner test screen."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.domain.bsn import format_bsn
from app.domain.payload import ParsedPayload, parse_payload
from app.domain.visible import show_controls
from app.domain.wording import dutch_date
from app.settings import ScannerSettings

from .gs1 import GS, looks_like_pack, parse_gs1
from .wedge import Scan, Terminator

_AIM_AT_START = re.compile(r"^\][A-Za-z][0-9A-Za-z]")
# Digits typed through a keyboard layout that differs from the scanner's arrive as these.
_LAYOUT_MISMATCH = set("&é\"'(§è!çà-)") | set("!@#$%^&*()")


@dataclass(frozen=True)
class ScannerCheck:
    """What the scanner sent (control characters visible), the parsed BSN, and advice lines."""

    shown: str
    payload: ParsedPayload
    advice: tuple[str, ...]


def _terminator_advice(scan: Scan, settings: ScannerSettings) -> str:
    if scan.incomplete:
        return (f"Na de cijfers kwam binnen {settings.terminator_wait_ms} ms geen afsluiter (Enter, Tab of LF). "
                "Zo'n scan wordt nooit geregistreerd. Stel de scanner in op Enter (aanbevolen), of kies bij "
                "afsluiter 'geen': dan wacht Prikpost na elke scan "
                f"{settings.terminator_timeout_ms} ms stilte af, wat minder zeker is.")
    if scan.terminator is None:
        return (f"Uw scanner stuurt geen Enter; Prikpost wacht {settings.terminator_timeout_ms} ms stilte na elke "
                "scan. Stel liever Enter in als afsluiter: dan komt elke scan zeker heel binnen.")
    if scan.terminator == Terminator.TAB:
        return ("Uw scanner sluit af met Tab (⇥). Dat werkt, maar stel liever Enter in: met Tab springt de "
                "cursor naar het volgende veld als Prikpost even niet luistert.")
    if scan.terminator == Terminator.LINE_FEED:
        return "Uw scanner sluit af met een regelopvoer (LF). Dat werkt; Enter (CR) is gebruikelijker."
    return "Uw scanner sluit af met Enter (⏎). Goed zo."


def _speed_advice(scan: Scan, settings: ScannerSettings) -> list[str]:
    if scan.max_gap_ms > 0.7 * settings.max_key_gap_ms:
        return [f"Uw scanner typt traag: tot {scan.max_gap_ms:.0f} ms tussen twee tekens (grens "
                f"{settings.max_key_gap_ms} ms). Zet de typesnelheid van de scanner hoger, anders ziet "
                "Prikpost een scan soms aan voor typen."]
    return []


def _content_advice(scan: Scan, payload: ParsedPayload) -> list[str]:
    advice = []
    aim = _AIM_AT_START.match(scan.text)
    if aim:
        advice.append(f"Uw scanner zet een AIM-code ({aim.group()}) voor de gegevens; Prikpost slaat die over.")
    if payload.ok:
        if scan.text.strip() not in (payload.bsn, payload.bsn.lstrip("0")) and not aim:
            advice.append("De code bevat meer dan het BSN; Prikpost haalt het BSN eruit.")
        advice.append(f"Gevonden BSN: {format_bsn(payload.bsn)}.")
        return advice
    if sum(char in _LAYOUT_MISMATCH for char in scan.text) >= 5:
        advice.append("Cijfers komen binnen als leestekens: de toetsenbordindeling van de scanner past niet bij "
                      "die van deze computer. Stel de scanner in op dezelfde indeling (bijvoorbeeld US).")
    advice.append(payload.reason)
    return advice


# How to set a scanner up for vaccine packs (GS1 DataMatrix), shown when a pack is scanned in the test.
PACK_SETUP = ("Voor verpakkingen: zet Data Matrix aan, laat de scanner FNC1/GS doorgeven als GS (Ctrl+], ASCII 29; "
              "niet weglaten en niet vervangen door een ander teken) en kies dezelfde toetsenbordindeling als deze "
              "computer (bij voorkeur US). Een AIM-code (]d2) vooraf mag. Op een niet-US-indeling komt GS als "
              "Ctrl++ (Duits) of Ctrl+$ (Frans) binnen; ook dat herkent Prikpost. Een scanner die GS als Alt+029 "
              "typt, werkt alleen op Windows.")


def _pack_advice(scan: Scan) -> list[str]:
    result = parse_gs1(scan.text)
    advice = []
    if result.ok:
        pack = result.pack
        until = f", houdbaar tot {dutch_date(pack.expiry)}" if pack.expiry else ""
        advice.append(f"Verpakking herkend: GTIN {pack.gtin}, partij {pack.lot or '-'}{until}"
                      f"{', serienummer ' + pack.serial if pack.serial else ''}.")
        if GS not in scan.text and pack.serial and pack.lot:
            advice.append("Let op: er kwam geen GS tussen de velden; dat ging hier goed, maar bij een partij vóór "
                          "het serienummer niet.")
    else:
        advice.append(f"Verpakking niet gelezen: {result.reason}")
    return [*advice, PACK_SETUP]


def check_scanner(scan: Scan, settings: ScannerSettings) -> ScannerCheck:
    """Return what the scanner sent and Dutch advice on its settings (for a card, or a vaccine pack)."""
    payload = parse_payload(scan.text, settings.card_pattern)
    shown = show_controls(scan.text + (scan.terminator or ""))
    content = _pack_advice(scan) if looks_like_pack(scan.text) else _content_advice(scan, payload)
    advice = [_terminator_advice(scan, settings), *_speed_advice(scan, settings), *content]
    return ScannerCheck(shown, payload, tuple(advice))
