"""The user's actions on a session as small command objects wired to menus and shortcuts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog

from app.domain.errors import DomainError
from app.domain.person_id import format_number, labelled
from app.domain.registration import EDITABLE
from app.domain.session import Mode
from app.domain.wording import children as n_children
from app.domain.wording import count_noun
from app.outbox.lot_refresh import import_lot_file
from app.services import accord as accord_service
from app.services import actions, child_details, correction, scans
from app.services.expected_list import import_expected_list, read_expected_file
from app.services.lots import check_session_lot
from app.services.overview import child_overview
from app.services.sessions import SHARED, close_session, list_sessions, reopen_session

from .action_helpers import WindowActions
from .closeout_dialog import CloseOutDialog, ask_report_path, save_session_report
from .dialogs import CorrectionTarget, VaccineOption


def session_label(s) -> str:
    """One line per session in the chooser: two sessions a day at one school must look different."""
    mode = "vooraf" if s.mode is Mode.BEFORE else "achteraf"
    vaccines = ", ".join(v.vaccine_name for v in s.vaccines) or "geen vaccins"
    return (f"{s.day:%d-%m-%Y} · {s.location} · aangemaakt {s.created_at:%H:%M} · {mode} · {vaccines}"
            f" · {'open' if s.is_open else 'gedeeld' if s.status == SHARED else 'gesloten'}"
            f"{' · DEMO' if s.is_demo else ''}")


class SessionActions(WindowActions):
    """Create the QActions of the scanning view; each calls one service and refreshes the view."""

    def __init__(self, host):
        super().__init__(host)
        add = self._add
        add("new_session", "&Nieuwe sessie…", "Ctrl+N", host.new_session)
        add("open_session", "Sessie &openen…", "Ctrl+O", self.open_session)
        add("close_session", "Sessie &sluiten", "Ctrl+W", self.close_session)
        add("close_out", "Sessie &afsluiten (definitief)…", "Ctrl+Shift+W", self.close_out)
        add("session_report", "Sessie&rapport opslaan…", "Ctrl+Shift+S", self.save_session_report)
        add("import_expected", "Verwachte kinderen &importeren…", "Ctrl+I", self.import_expected)
        add("remove", "&Niet gevaccineerd…", "Ctrl+D", self.remove, "Niet gevaccineerd")
        add("objection", "&Bezwaar…", "Ctrl+B", self.objection, "Bezwaar")
        add("restore", "&Terugzetten", "Ctrl+R", self.restore)
        add("complete_child", "&Gegevens kind aanvullen…", "Ctrl+G", self.complete_child)
        add("correct", "&Corrigeren vóór verzending…", "Ctrl+K", self.correct, "Corrigeren")
        add("undo_scan", "Laatste scan &ongedaan maken", "Ctrl+Z", self.undo_scan, "Scan ongedaan")
        add("accord_selected", "Selectie &accorderen…", "Ctrl+Return", self.accord_selected, "Selectie accorderen")
        add("accord_all", "&Alles accorderen…", "Ctrl+Shift+Return", self.accord_all, "Alles accorderen")
        add("find_child", "Kind zonder kaart &zoeken…", "Ctrl+F", host.find_child, "Kind zoeken")
        add("manual_entry", "BSN &handmatig invoeren", "Ctrl+M", host.focus_manual_entry)
        add("refresh", "&Verversen", "F5", host.refresh)
        add("send_now", "Nu &verzenden", "Ctrl+E", host.send_now)
        add("messages", "&Berichten en uitvallijst…", "F9", host.show_messages)
        add("status_query", "Vaccinatiestatus &opvragen…", "F6", host.query_status)
        add("fetch_lots", "Partijlijst &ophalen", "F7", host.fetch_lots)
        add("import_lots", "Partijlijst &importeren…", "Ctrl+Shift+I", self.import_lots)
        add("scanner_test", "&Scannertest…", "Ctrl+T", host.scanner_test)
        add("camera", "&Camera aan/uit", "F8", host.toggle_camera)

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
        self.host.banner.show_message("Gegevens aangevuld", f"{details.name} ({details.birth_date:%d-%m-%Y})")

    def restore(self) -> None:
        children = self._selection()
        actions.restore(self._services, self.host.session_id, self._ids(children))
        self.host.banner.show_message("Teruggezet", f"{n_children(len(children))} weer op 'gescand'.")

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
        affected = set(choice.registration_ids or (chosen,))
        # A withdrawal takes the whole message: one per message, and its other vaccinations need a new accord.
        in_message = {r.outbox_id: r.id for r in child.registrations if r.id in affected and r.state not in EDITABLE}
        again = sorted({r.vaccine_name for r in child.registrations
                        if r.outbox_id in in_message and r.id not in affected})
        if choice.kind == "vaccine_lot":
            correction.correct_vaccine_or_lot(self._services, sid, in_message.values(), chosen,
                                              choice.vaccine_code, choice.lot_number, choice.lot_manual)
            text = "Vaccin/partij aangepast. Accordeer opnieuw om het nieuwe bericht klaar te zetten."
        else:
            correction.correct_not_given(self._services, sid, in_message.values(), sorted(affected), choice.reason)
            text = f"{choice.reason}. Het bericht is teruggehaald."
        if again:
            text += f" Accordeer ook {' en '.join(again)} opnieuw: die zat in hetzelfde bericht."
        self.host.banner.show_message("Gecorrigeerd", text)

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

    def accord_selected(self) -> None:
        self._accord(self._ids(self._selection()))

    def accord_all(self) -> None:
        self._accord(None)

    def import_expected(self) -> None:
        name = self.host.prompts.open_file("Lijst van verwachte kinderen", "CSV (*.csv *.txt)")
        if not name:
            return
        data = read_expected_file(Path(name))
        report = import_expected_list(self._services, self.host.session_id, data, name)
        self.host.banner.show_message("Lijst ingelezen", report.summary())
        if report.notes:  # the banner has room for the counts only: the lines and reasons get their own list
            self.host.prompts.import_problems(report.summary(), report.notes)

    def import_lots(self) -> None:
        name = self.host.prompts.open_file("Partijlijst importeren", "Partijlijst (*.xml)")
        if name:
            result = import_lot_file(self._services, Path(name))
            self.host.banner.show_message("Partijlijst ingelezen", result.summary())

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

    def close_out(self) -> None:
        sid = self._require_session()
        dialog = CloseOutDialog(self._services, sid, self.host)
        if dialog.exec() == QDialog.Accepted:
            where = f" Rapport: {dialog.report_path}" if dialog.report_path else ""
            self.host.banner.show_message("Sessie afgesloten", f"Alleen corrigeren kan nog.{where}")

    def save_session_report(self) -> None:
        sid = self._require_session()
        path = save_session_report(self._services, sid, lambda suggested: ask_report_path(self.host, suggested))
        if path is not None:
            self.host.banner.show_message("Sessierapport opgeslagen", str(path))

    def _require_session(self) -> int:
        if self.host.session_id is None:
            raise DomainError("Open eerst een sessie (Sessie › Sessie openen).")
        return self.host.session_id

    def close_session(self) -> None:
        if self.host.prompts.confirm("Sessie sluiten", "Sessie sluiten? Er kan daarna niet meer in gescand "
                                     "worden tot u hem weer opent.", "Sessie &sluiten"):
            close_session(self._services, self.host.session_id)
            self.host.set_session(None)
