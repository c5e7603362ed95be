"""Lots during a session: a scanned pack sets the lot, the menu changes it by hand, doses per lot are shown."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.domain.errors import DomainError
from app.domain.lots import LotStatus
from app.domain.wording import count_noun, dutch_date
from app.services.lots import check_session_lot, current_lot_list
from app.services.packs import check_pack
from app.services.session_lots import doses_per_lot, set_current_lot

from .action_helpers import Key, Menu, WindowActions, declare
from .pack_intake import TEXTS as PACK_TEXTS
from .pack_intake import apply_pack, decide_pack

TEXTS = {
    "change_lot": "&Partij wisselen…",
    "doses": "&Doses per partij…",
    "choose_vaccine": "Van welk vaccin wisselt de partij?",
    "choose_lot": "Nieuwe partij van {vaccine} (nu {lot}):",
    "other_lot": "Andere partij (niet op de lijst, 'overig')…",
    "other_lot_question": "Partijnummer van {vaccine} (staat niet op de partijlijst):",
    "overig_confirm": "Partij {lot} staat niet op de partijlijst. Toch gebruiken onder 'overig'?",
    "behind_dialog": "Deze verpakking is niet verwerkt, omdat er een venster openstaat. Sluit eerst het venster "
                     "en scan de verpakking daarna opnieuw.",
    "no_session": "Open of maak eerst een sessie; scan de verpakking daarna opnieuw.",
    "doses_title": "Doses per partij",
    "no_doses": "Nog geen partijen in deze sessie.",
}


def doses_lines(uses) -> list[str]:
    """Return one line per vaccine and lot: 'MenACWY partij X123 (houdbaar tot …): 12 doses, 09:02–10:40'."""
    lines = []
    for use in uses:
        until = f" (houdbaar tot {dutch_date(use.expiry)})" if use.expiry else ""
        lines.append(f"{use.vaccine_name} partij {use.label}{until}: "
                     f"{count_noun(use.doses, 'dosis', 'doses')}, in gebruik {use.times() or '-'}")
    return lines


class LotActions(WindowActions):
    """The Sessie menu's lot actions, and what the window does with a scanned pack."""

    # -- a scanned pack ----------------------------------------------------------------------------
    def take_pack(self, text: str) -> None:
        """A pack from the scanner or the camera: to a dialog that takes packs, else to the session."""
        host = self.host
        dialog = QApplication.activeModalWidget()
        if dialog is not None and hasattr(dialog, "take_pack"):
            if not dialog.take_pack(text):
                host.sounds.play("pack_refused")
            return
        if dialog is not None:
            host.sounds.play("pack_refused")
            host.prompts.error(TEXTS["behind_dialog"])
            return
        host.idle.activity()
        if host.session_id is None:
            self._refuse(PACK_TEXTS["refused"], TEXTS["no_session"])
            return
        try:
            self.handle_pack(text)
        except DomainError as error:
            self._refuse(PACK_TEXTS["refused"], error.message)

    def handle_pack(self, text: str):
        host = self.host
        session = host.session()
        sid = host.session_id
        decision = decide_pack(self._services, host.prompts, text, session.day,
                               [v.vaccine_code for v in session.vaccines],
                               judge=lambda gtin, lot, expiry: check_pack(self._services, sid, gtin, lot, expiry))
        if not decision.usable:
            self._refuse(decision.title, decision.reason)
            return None
        change = apply_pack(self._services, sid, decision)
        host.banner.show_pack(change.banner_title, change.sentence(),
                              PACK_TEXTS["next"].format(vaccine=change.vaccine_name))
        host.sounds.play("pack")
        host.refresh()
        return change

    def _refuse(self, title: str, reason: str) -> None:
        self.host.banner.show_pack(title, reason, "Gebruik deze verpakking niet; de partij is niet veranderd.",
                                   refused=True)
        self.host.sounds.play("pack_refused")

    # -- by hand -----------------------------------------------------------------------------------
    @declare(Key.CHANGE_LOT, TEXTS["change_lot"], "F4", Menu.SESSIE, section=1, use_case=set_current_lot)
    def change_lot(self) -> None:
        host = self.host
        if host.session_id is None:
            raise DomainError("Open of maak eerst een sessie.")
        session = host.session()
        vaccines = list(session.vaccines)
        if len(vaccines) > 1:
            index = host.prompts.choose(TEXTS["change_lot"].replace("&", "").rstrip("…"), TEXTS["choose_vaccine"],
                                        [f"{v.vaccine_name} (nu {v.lot_number})" for v in vaccines])
            if index is None:
                return
            vaccine = vaccines[index]
        else:
            vaccine = vaccines[0]
        lots = current_lot_list(self._services).selectable(vaccine.vaccine_code, session.day)
        labels = [f"{lot.lot_number} – houdbaar t/m {dutch_date(lot.expiry)}" for lot in lots] + [TEXTS["other_lot"]]
        index = host.prompts.choose("Partij wisselen",
                                    TEXTS["choose_lot"].format(vaccine=vaccine.vaccine_name, lot=vaccine.lot_number),
                                    labels)
        if index is None:
            return
        manual = False
        if index < len(lots):
            number = lots[index].lot_number
        else:
            number = (host.prompts.text("Partij wisselen",
                                        TEXTS["other_lot_question"].format(vaccine=vaccine.vaccine_name)) or "").strip()
            if not number:
                return
            check = check_session_lot(self._services, number, vaccine.vaccine_code, session.day)
            if check.status is LotStatus.UNKNOWN:
                if not host.prompts.confirm("Partij onder 'overig'", TEXTS["overig_confirm"].format(lot=number),
                                            "Ja, handmatige partij"):
                    return
                manual = True
        change = set_current_lot(self._services, host.session_id, vaccine.vaccine_code, number, manual=manual,
                                 source="hand")
        host.banner.show_pack(change.banner_title, change.sentence(),
                              PACK_TEXTS["next"].format(vaccine=change.vaccine_name))
        host.sounds.play("pack")

    @declare(Key.DOSES_PER_LOT, TEXTS["doses"], "Shift+F4", Menu.SESSIE, section=1)
    def show_doses(self) -> None:
        if self.host.session_id is None:
            raise DomainError("Open of maak eerst een sessie.")
        lines = doses_lines(doses_per_lot(self._services, self.host.session_id))
        self.host.prompts.info(TEXTS["doses_title"], "\n".join(lines) or TEXTS["no_doses"])
