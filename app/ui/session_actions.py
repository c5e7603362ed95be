"""The user's actions on a session as small command objects wired to menus and shortcuts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from app.domain.errors import DomainError
from app.domain.person_id import format_number, labelled
from app.domain.registration import EDITABLE
from app.domain.wording import children as n_children
from app.domain.wording import count_noun, dutch_date, dutch_time
from app.outbox.lot_refresh import import_lot_file
from app.services import accord as accord_service
from app.services import actions, child_details, closeout, correction, scans
from app.services.expected_list import import_expected_list, read_expected_file
from app.services.lots import check_session_lot
from app.services.overview import child_overview
from app.services.sessions import SHARED, close_session, list_sessions, reopen_session

from .action_helpers import Key, Menu, WindowActions, declare
from .closeout_dialog import CloseOutDialog, ask_report_path, save_session_report
from .dialogs import CorrectionTarget, VaccineOption


def session_label(s) -> str:
    """One line per session in the chooser: two sessions a day at one school must look different."""
    vaccines = ", ".join(v.vaccine_name for v in s.vaccines) or "geen vaccins"
    return (f"{dutch_date(s.day)} · {s.location} · aangemaakt {dutch_time(s.created_at)} · {s.mode.label} · {vaccines}"
            f" · {'open' if s.is_open else 'gedeeld' if s.status == SHARED else 'gesloten'}"
            f"{' · DEMO' if s.is_demo else ''}")


class SessionActions(WindowActions):
    """The actions on a session and its children, each declared once on its handler (see action_helpers)."""

    # -- actions the window itself carries out ---------------------------------------------------
    @declare(Key.NEW_SESSION, "&Nieuwe sessie…", "Ctrl+N", Menu.SESSIE)
    def new_session(self) -> None:
        self.host.new_session()

    @declare(Key.REFRESH, "&Verversen", "F5", Menu.SESSIE, section=2)
    def refresh(self) -> None:
        self.host.refresh()

    @declare(Key.FIND_CHILD, "Kind zonder kaart &zoeken…", "Ctrl+F", Menu.KIND, button="Kind zoeken", toolbar=7)
    def find_child(self) -> None:
        self.host.find_child()

    @declare(Key.MANUAL_ENTRY, "BSN &handmatig invoeren", "Ctrl+M", Menu.KIND)
    def manual_entry(self) -> None:
        self.host.view.manual.setFocus()

    @declare(Key.SEND_NOW, "Nu &verzenden", "Ctrl+E", Menu.VERZENDEN)
    def send_now(self) -> None:
        self.host.send_now()

    @declare(Key.MESSAGES, "&Berichten en uitvallijst…", "F9", Menu.VERZENDEN)
    def messages(self) -> None:
        self.host.show_messages()

    @declare(Key.STATUS_QUERY, "Vaccinatiestatus &opvragen…", "F6", Menu.VERZENDEN)
    def status_query(self) -> None:
        self.host.query_status()

    @declare(Key.FETCH_LOTS, "Partijlijst &ophalen", "F7", Menu.VERZENDEN, section=1)
    def fetch_lots(self) -> None:
        self.host.fetch_lots()

    @declare(Key.SCANNER_TEST, "&Scannertest…", "Ctrl+T", Menu.EXTRA)
    def scanner_test(self) -> None:
        self.host.scanner_test()

    @declare(Key.CAMERA, "&Camera aan/uit", "F8", Menu.EXTRA)
    def camera(self) -> None:
        self.host.toggle_camera()

    # -- helpers ---------------------------------------------------------------------------------
    def _selection(self):
        children = self.host.selected_children()
        if not children:
            raise DomainError("Selecteer eerst een of meer kinderen in de lijst.")
        return children

    @staticmethod
    def _ids(children) -> list[int]:
        ids = [i for child in children for i in child.registration_ids]
        if not ids:
            raise DomainError("Deze kinderen zijn nog niet gescand. Scan de kaart of voer het BSN handmatig in.")
        return ids

    # -- actions ---------------------------------------------------------------------------------
    def _vaccine_options(self, children) -> list[VaccineOption]:
        """The session's vaccines, ticked where every selected child can still be changed for that vaccine."""
        options = []
        for vaccine in self.host.session().vaccines:
            open_ = all(r.state in EDITABLE for c in children for r in c.registrations
                        if r.vaccine_code == vaccine.vaccine_code)
            options.append(VaccineOption(vaccine.vaccine_code, vaccine.vaccine_name, open_))
        if not any(option.checked for option in options):  # nothing open: let the service say why
            options = [VaccineOption(o.code, o.name) for o in options]
        return options

    def _for_vaccines(self, codes: tuple[str, ...] | None) -> str:
        """Return ' (MenACWY)' when not every vaccine of the session was chosen."""
        vaccines = self.host.session().vaccines
        if codes is None or set(codes) >= {v.vaccine_code for v in vaccines}:
            return ""
        return f" ({', '.join(v.vaccine_name for v in vaccines if v.vaccine_code in codes)})"

    @declare(Key.REMOVE, "&Niet gevaccineerd…", "Ctrl+D", Menu.KIND, section=1, button="Niet gevaccineerd",
             toolbar=3, use_case=actions.remove_children)
    def remove(self) -> None:
        children = self._selection()
        choice = self.host.prompts.removal_reason([c.name or format_number(c.bsn) for c in children],
                                                  self._vaccine_options(children))
        if choice is not None:
            # A child never scanned (absent, no card) is taken out directly; it is not marked as scanned.
            count = actions.remove_children(self._services, self.host.session_id, [c.bsn for c in children],
                                            choice.reason, choice.vaccine_codes)
            self.host.banner.show_message("Niet gevaccineerd",
                                          f"{n_children(len(children))}, "
                                          f"{count_noun(count, 'registratie', 'registraties')}"
                                          f"{self._for_vaccines(choice.vaccine_codes)}: {choice.reason.strip()}")

    @declare(Key.OBJECTION, "&Bezwaar…", "Ctrl+B", Menu.KIND, section=1, button="Bezwaar", toolbar=4,
             use_case=actions.object_children)
    def objection(self) -> None:
        children = self._selection()
        choice = self.host.prompts.objection([c.name or format_number(c.bsn) for c in children],
                                             self._vaccine_options(children))
        if choice is not None:
            actions.object_children(self._services, self.host.session_id, [c.bsn for c in children],
                                    choice.reason, choice.vaccine_codes)
            self.host.banner.show_message("Bezwaar geregistreerd",
                                          f"{choice.reason.label}{self._for_vaccines(choice.vaccine_codes)}: "
                                          f"{n_children(len(children))}")

    @declare(Key.COMPLETE_CHILD, "&Gegevens kind aanvullen…", "Ctrl+G", Menu.KIND,
             use_case=child_details.complete_child)
    def complete_child(self) -> None:
        (child, *rest) = self._selection()
        if rest:
            raise DomainError("Vul de gegevens van één kind tegelijk aan.")
        sid = self.host.session_id
        current = child_details.child_details(self._services, sid, child.bsn)
        answer = self.host.prompts.child_details(f"Kind met {labelled(child.bsn)}", current)
        if answer is None:
            return
        details = child_details.read_details(*answer, today=self._services.now().date())
        child_details.complete_child(self._services, sid, child.bsn, details)
        self.host.banner.show_message("Gegevens aangevuld", f"{details.name} ({dutch_date(details.birth_date)})")

    @declare(Key.RESTORE, "&Terugzetten", "Ctrl+R", Menu.KIND, section=1, use_case=actions.restore)
    def restore(self) -> None:
        children = self._selection()
        actions.restore(self._services, self.host.session_id, self._ids(children))
        self.host.banner.show_message("Teruggezet", f"{n_children(len(children))} weer op 'gescand'.")

    @declare(Key.CORRECT, "&Corrigeren vóór verzending…", "Ctrl+K", Menu.KIND, section=1, button="Corrigeren",
             toolbar=5, use_case=correction.correct_vaccine_or_lot)
    def correct(self) -> None:
        (child, *rest) = self._selection()
        if rest:
            raise DomainError("Corrigeer één kind tegelijk.")
        registration = child.registrations[0] if child.registrations else None
        if registration is None:
            raise DomainError("Dit kind is nog niet gescand; er is niets te corrigeren.")
        correction.refuse_if_sent(self._services, self.host.session_id, child.registration_ids)
        catalogue = self._services.catalogue
        session = self.host.session()
        vaccines = [(v.vaccine_code, f"{v.vaccine_name} ({v.vaccine_code})") for v in session.vaccines]
        vaccines += [(v.code, f"{v.name} ({v.code})") for v in catalogue.vaccines
                     if v.code not in {code for code, _ in vaccines}]
        targets = [CorrectionTarget(r.id, r.vaccine_code, r.vaccine_name, r.lot_number, r.lot_manual)
                   for r in child.registrations]
        choice = self.host.prompts.correction(
            child.name or format_number(child.bsn), vaccines, targets,
            lot_check=lambda lot, code, manual: check_session_lot(self._services, lot, code, session.day, manual))
        if choice is None:
            return
        sid = self.host.session_id
        chosen = choice.registration_id or registration.id
        affected = sorted(set(choice.registration_ids or (chosen,)))
        plan = correction.plan_correction(self._services, sid, affected)
        if choice.kind == "vaccine_lot":
            correction.correct_vaccine_or_lot(self._services, sid, plan.withdraw_ids, chosen,
                                              choice.vaccine_code, choice.lot_number, choice.lot_manual)
            text = "Vaccin/partij aangepast. Accordeer opnieuw om het nieuwe bericht klaar te zetten."
        else:
            correction.correct_not_given(self._services, sid, plan.withdraw_ids, affected, choice.reason)
            text = f"{choice.reason}. Het bericht is teruggehaald."
        if plan.accord_again:
            text += f" Accordeer ook {' en '.join(plan.accord_again)} opnieuw: die zat in hetzelfde bericht."
        self.host.banner.show_message("Gecorrigeerd", text)

    @declare(Key.UNDO_SCAN, "Laatste scan &ongedaan maken", "Ctrl+Z", Menu.KIND, section=2, button="Scan ongedaan",
             toolbar=6, use_case=scans.undo_last_scan)
    def undo_scan(self) -> None:
        bsn = scans.undo_last_scan(self._services, self.host.session_id)
        child = child_overview(self._services, self.host.session_id, bsn)
        if child is None:  # not on the list: the scan brought it into the session, the undo took it out
            text = f"{labelled(bsn)} is uit de sessie gehaald (stond niet op de lijst)."
        else:
            text = f"{child.name or 'Kind'} ({labelled(bsn)}) staat weer op '{child.status_label}'."
        self.host.banner.show_message("Scan ongedaan gemaakt", text)

    def _accord(self, registration_ids) -> None:
        preview = accord_service.preview_accord(self._services, self.host.session_id, registration_ids)
        if preview.registrations == 0:
            raise DomainError("Er is niets om te accorderen: geen gescande kinderen of bezwaren.")
        if self.host.prompts.confirm("Accorderen", preview.confirmation_text(), "&Accorderen"):
            result = accord_service.accord(self._services, self.host.session_id, registration_ids)
            # In mode BEFORE 'geaccordeerd' means 'go and vaccinate': children with an objection are named apart.
            objections = (f" Daarvan {n_children(preview.objections)} met bezwaar: niet vaccineren."
                          if preview.objections else "")
            self.host.banner.show_message(
                "Geaccordeerd",
                f"{n_children(result.children)} geaccordeerd door {self._services.user}; "
                f"{count_noun(len(result.message_ids), 'bericht', 'berichten')} klaargezet voor verzending."
                f"{objections}")

    @declare(Key.ACCORD_SELECTED, "Selectie &accorderen…", "Ctrl+Return", Menu.ACCORDEREN,
             button="Selectie accorderen", toolbar=2, use_case=accord_service.accord)
    def accord_selected(self) -> None:
        self._accord(self._ids(self._selection()))

    @declare(Key.ACCORD_ALL, "&Alles accorderen…", "Ctrl+Shift+Return", Menu.ACCORDEREN,
             button="Alles accorderen", toolbar=1, use_case=accord_service.accord)
    def accord_all(self) -> None:
        self._accord(None)

    @declare(Key.IMPORT_EXPECTED, "Verwachte kinderen &importeren…", "Ctrl+I", Menu.SESSIE, section=2)
    def import_expected(self) -> None:
        name = self.host.prompts.open_file("Lijst van verwachte kinderen", "CSV (*.csv *.txt)")
        if not name:
            return
        data = read_expected_file(Path(name))
        report = import_expected_list(self._services, self.host.session_id, data, name)
        self.host.banner.show_message("Lijst ingelezen", report.summary())
        if report.notes:  # the banner has room for the counts only: the lines and reasons get their own list
            self.host.prompts.import_problems(report.summary(), report.notes)

    @declare(Key.IMPORT_LOTS, "Partijlijst &importeren…", "Ctrl+Shift+I", Menu.VERZENDEN, section=1,
             use_case=import_lot_file)
    def import_lots(self) -> None:
        name = self.host.prompts.open_file("Partijlijst importeren", "Partijlijst (*.xml)")
        if name:
            result = import_lot_file(self._services, Path(name))
            self.host.banner.show_message("Partijlijst ingelezen", result.summary())

    @declare(Key.OPEN_SESSION, "Sessie &openen…", "Ctrl+O", Menu.SESSIE)
    def open_session(self) -> None:
        sessions = list_sessions(self._services)
        if not sessions:
            raise DomainError("Er zijn nog geen sessies. Maak eerst een nieuwe sessie.")
        labels = [session_label(s) for s in sessions]
        index = self.host.prompts.choose("Sessie openen", "Kies een sessie:", labels)
        if index is None:
            return
        chosen = sessions[index]
        if chosen.id != self.host.session_id and not self.host.may_leave("een andere sessie openen"):
            return
        if not chosen.is_open:
            reopen_session(self._services, chosen.id)
        self.host.set_session(chosen.id)

    @declare(Key.CLOSE_OUT, "Sessie &afsluiten (definitief)…", "Ctrl+Shift+W", Menu.SESSIE,
             use_case=closeout.close_out)
    def close_out(self) -> None:
        sid = self._require_session()
        dialog = CloseOutDialog(self._services, sid, self.host)
        if dialog.exec() == QDialog.Accepted:
            where = f" Rapport: {dialog.report_path}" if dialog.report_path else ""
            self.host.banner.show_message("Sessie afgesloten", f"Alleen corrigeren kan nog.{where}")

    @declare(Key.SESSION_REPORT, "Sessie&rapport opslaan…", "Ctrl+Shift+S", Menu.SESSIE)
    def save_session_report(self) -> None:
        sid = self._require_session()
        save_session_report(self.host, self._services, sid, lambda suggested: ask_report_path(self.host, suggested),
                            lambda path: self.host.banner.show_message("Sessierapport opgeslagen", str(path)),
                            lambda reason: self.host.prompts.error(f"Het sessierapport kon niet worden opgeslagen "
                                                                   f"({reason})."))

    def _require_session(self) -> int:
        if self.host.session_id is None:
            raise DomainError("Open eerst een sessie (Sessie › Sessie openen).")
        return self.host.session_id

    @declare(Key.CLOSE_SESSION, "Sessie &sluiten", "Ctrl+W", Menu.SESSIE)
    def close_session(self) -> None:
        sid = self._require_session()
        question = ("Sessie sluiten", "Sessie sluiten? Er kan daarna niet meer in gescand worden tot u hem weer "
                    "opent.", "Sessie &sluiten")
        if self.host.may_leave("de sessie sluiten", question):
            close_session(self._services, sid)
            self.host.set_session(None)
