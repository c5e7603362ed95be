"""A scanned vaccine pack (wedge or camera): read it, ask what must be asked, set the lot or refuse it loudly."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.packs import PackCheck, PackVerdict
from app.scanning.gs1 import parse_gs1
from app.services.packs import check_pack_for_setup, remember_gtin
from app.services.session_lots import set_current_lot

log = logging.getLogger(__name__)

TEXTS = {
    "unreadable": "Verpakking niet gelezen",
    "refused": "Verpakking geweigerd",
    "unknown_title": "Onbekende verpakking",
    "unknown_question": "Welk vaccin zit in de verpakking met GTIN {gtin}? Prikpost onthoudt het voor de volgende "
                        "keer.",
    "none_of_these": "Weet ik niet – verpakking niet gebruiken",
    "overig_title": "Partij onder 'overig'",
    "overig_yes": "Ja, partij gebruiken",
    "not_asked": "Niets veranderd: de verpakking is niet gebruikt.",
    "next": "De volgende registraties van {vaccine} krijgen deze partij.",
}


@dataclass(frozen=True)
class PackDecision:
    """What to do with a scanned pack: set `check`'s lot (manual: under 'overig'), or refuse with `reason`."""

    check: PackCheck | None
    manual: bool = False
    reason: str = ""
    title: str = TEXTS["refused"]

    @property
    def usable(self) -> bool:
        return self.check is not None and not self.reason


def decide_pack(services, prompts, text: str, day: date, vaccine_codes: Iterable[str],
                judge=None) -> PackDecision:
    """Parse and judge a pack; ask which vaccine an unknown GTIN holds and confirm 'overig'."""
    codes = list(vaccine_codes)
    result = parse_gs1(text, today=day)
    if not result.ok:
        log.info("pack code refused: %s", result.reason)
        return PackDecision(None, reason=result.reason, title=TEXTS["unreadable"])
    pack = result.pack

    def judge_now() -> PackCheck:
        if judge is not None:
            return judge(pack.gtin, pack.lot, pack.expiry)
        return check_pack_for_setup(services, day, codes, pack.gtin, pack.lot, pack.expiry)

    check = judge_now()
    if check.verdict is PackVerdict.UNKNOWN_GTIN:
        catalogue = services.catalogue
        ordered = codes + [v.code for v in catalogue.vaccines if v.code not in codes and v.school_age]
        labels = [f"{catalogue.vaccine_name(code)} ({code})" for code in ordered] + [TEXTS["none_of_these"]]
        index = prompts.choose(TEXTS["unknown_title"], TEXTS["unknown_question"].format(gtin=pack.gtin), labels)
        if index is None or index >= len(ordered):
            return PackDecision(None, reason=TEXTS["not_asked"], title=TEXTS["unknown_title"])
        remember_gtin(services, pack.gtin, ordered[index])
        check = judge_now()
    if check.refused:
        log.info("pack refused: %s", check.message)
        return PackDecision(check, reason=check.message)
    if check.verdict is PackVerdict.OVERIG:
        if not prompts.confirm(TEXTS["overig_title"], check.message, TEXTS["overig_yes"]):
            return PackDecision(check, reason=TEXTS["not_asked"], title=TEXTS["overig_title"])
        return PackDecision(check, manual=True)
    return PackDecision(check)


def apply_pack(services, session_id: int, decision: PackDecision):
    """Make the decided pack's lot current for its vaccine in the session; return the LotChange."""
    check = decision.check
    return set_current_lot(services, session_id, check.vaccine_code, check.lot_number, manual=decision.manual,
                           expiry=check.expiry, source="pack")
