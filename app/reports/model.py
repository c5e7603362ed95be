"""Build the session lists once as plain data; the PDF, CSV and print renderers only lay them out."""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.domain.bsn import format_bsn
from app.domain.errors import DomainError
from app.domain.outbox_states import UNSENT, OutboxState, outbox_label
from app.domain.person_id import IdKind, format_number
from app.domain.registration import STATE_LABELS, WRONG_CHILD_REASON, ObjectionReason, State
from app.domain.wording import dutch_date, dutch_datetime  # noqa: F401 - re-exported for the reports
from app.services.base import ServiceContext
from app.services.overview import NOT_TO_VACCINNET, ChildView, RegistrationView, session_overview
from app.services.session_lots import doses_per_lot
from app.services.sessions import SessionInfo, get_session

# A registration in one of these states stands for a vaccine that was (or is about to be) given.
GIVEN_STATES = frozenset({State.SCANNED, State.ACCORDED, State.QUEUED, State.SENDING, State.ACKNOWLEDGED,
                          State.NEEDS_ACTION, State.WITHDRAWN})
# The failure list shows the most urgent messages first.
FAILURE_ORDER = (OutboxState.NEEDS_ACTION, OutboxState.GIVEN_UP, OutboxState.FAILED, OutboxState.SENDING,
                 OutboxState.SUBMITTED, OutboxState.PENDING)
NO_GROUP = "(geen klas)"


class ReportKind(enum.Enum):
    VACCINATED = "vaccinated"
    NOT_VACCINATED = "not-vaccinated"
    EXPECTED = "expected"
    FAILURES = "failures"

    @property
    def title(self) -> str:
        return TITLES[self]

    @property
    def file_stem(self) -> str:
        return FILE_STEMS[self]


TITLES = {
    ReportKind.VACCINATED: "Gevaccineerde kinderen",
    ReportKind.NOT_VACCINATED: "Niet gevaccineerde kinderen en bezwaren",
    ReportKind.EXPECTED: "Verwacht en gescand",
    ReportKind.FAILURES: "Uitvallijst: niet bevestigde berichten",
}
FILE_STEMS = {
    ReportKind.VACCINATED: "gevaccineerd",
    ReportKind.NOT_VACCINATED: "niet-gevaccineerd",
    ReportKind.EXPECTED: "verwacht-en-gescand",
    ReportKind.FAILURES: "uitvallijst",
}


@dataclass(frozen=True)
class Column:
    title: str  # the Dutch header on paper
    csv_name: str  # the stable header in the CSV file
    width: float = 1.0  # relative width on paper
    printed: bool = True  # False: only in the CSV
    text: bool = False  # True: Excel must keep it as text (BSN with leading zero)
    on_paper: Callable[[str], str] | None = None  # how a cell reads on paper when that differs from the CSV

    def paper_text(self, value: str) -> str:
        """Return the cell as printed (PDF and printer); the CSV keeps the value itself."""
        return self.on_paper(value) if self.on_paper and value else value


@dataclass(frozen=True)
class Row:
    record_id: str  # stable and unique within the list, so a re-import updates instead of duplicating
    cells: tuple[str, ...]  # one per column


@dataclass(frozen=True)
class Section:
    title: str  # shown above the rows, e.g. "Klas 2A"
    key: str  # the section's value in the CSV, e.g. "2A"
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Report:
    kind: ReportKind
    title: str
    session_id: int
    header: tuple[tuple[str, str], ...]  # label, value
    columns: tuple[Column, ...]
    section_column: str  # the CSV header of the section key
    sections: tuple[Section, ...]
    totals: tuple[tuple[str, str], ...]
    notes: tuple[str, ...]
    signature: bool
    footer: str
    empty_text: str

    @property
    def rows(self) -> tuple[Row, ...]:
        return tuple(row for section in self.sections for row in section.rows)

    @property
    def printed_columns(self) -> tuple[int, ...]:
        """Return the indexes of the columns shown on paper."""
        return tuple(i for i, column in enumerate(self.columns) if column.printed)

    def file_name(self, suffix: str) -> str:
        """Return a suggested file name such as 'gevaccineerd-2026-11-23-sessie-3.pdf'."""
        day = next((value for label, value in self.header if label == "Datum"), "")
        iso = "-".join(reversed(day.split("-"))) if day else ""
        return f"{self.kind.file_stem}-{iso}-sessie-{self.session_id}.{suffix}".replace("--", "-")


def _group_title(group: str) -> str:
    return f"Klas {group}" if group else NO_GROUP


def _record_id(session_id: int, child: ChildView) -> str:
    return f"prikpost-s{session_id}-k{child.child_id}"


def _ids(registrations) -> str:
    return " ".join(str(r.id) for r in registrations)


def _joined(values) -> str:
    return ", ".join(dict.fromkeys(v for v in values if v))


def _state_text(registrations: list[RegistrationView]) -> str:
    labels = [_registration_state(r) for r in registrations]
    if len(set(labels)) == 1:
        return labels[0]
    return "; ".join(f"{r.vaccine_name}: {label}" for r, label in zip(registrations, labels, strict=True))


def _registration_state(registration: RegistrationView) -> str:
    # A queued registration whose message failed says so: that is what the nurse must act on.
    if registration.outbox_state in (OutboxState.FAILED.value, OutboxState.GIVEN_UP.value):
        return outbox_label(registration.outbox_state)
    return STATE_LABELS[registration.state]


def _is_given(registration: RegistrationView) -> bool:
    return registration.state in GIVEN_STATES and not registration.objection_reason


def _wrong_child(registration: RegistrationView) -> bool:
    """True for a registration taken out because the wrong child was scanned: the child was not scanned."""
    return registration.state is State.REMOVED and registration.removal_reason == WRONG_CHILD_REASON


def _scanned(child: ChildView) -> bool:
    """True when the child counts as scanned: a scanned registration that is not a 'verkeerd kind gescand'.

    A child taken out or objected to from the list without a scan was not scanned."""
    return any(r.scanned and not _wrong_child(r) for r in child.registrations)


def _is_not_given(registration: RegistrationView) -> bool:
    return registration.state is State.REMOVED or bool(registration.objection_reason)


def _by_group(session_id: int, children, make_row) -> tuple[Section, ...]:
    groups: dict[str, list[Row]] = {}
    for child in children:
        groups.setdefault(child.group_name, []).append(make_row(child))
    # Children without a class come last, after the classes in order.
    ordered = sorted(groups.items(), key=lambda item: (item[0] == "", item[0]))
    return tuple(Section(_group_title(group), group, tuple(rows)) for group, rows in ordered)


def _session_header(info: SessionInfo, now: datetime) -> list[tuple[str, str]]:
    vaccines = "; ".join(
        f"{v.vaccine_name} partij {v.lot_number}" + (" (overig)" if v.lot_manual else "")
        + (f", houdbaar tot {dutch_date(v.lot_expiry)}" if v.lot_expiry else "")
        for v in info.vaccines) or "geen"
    return [("Datum", dutch_date(info.day)), ("School", info.location),
            ("Organisatie", f"{info.organisation.name} ({info.organisation.id_kind.value} "
                            f"{info.organisation.id_value})"),
            ("Vaccins en partijen", vaccines), ("Afgedrukt op", dutch_datetime(now))]


def _accorded_by(children) -> str:
    people: dict[str, datetime] = {}
    for child in children:
        for r in child.registrations:
            if r.accorded_by and r.accorded_at:
                people[r.accorded_by] = max(people.get(r.accorded_by, r.accorded_at), r.accorded_at)
    if not people:
        return "nog niet geaccordeerd"
    return ", ".join(f"{who} (laatst {dutch_datetime(at)})" for who, at in sorted(people.items()))


def _footer(info: SessionInfo, title: str) -> str:
    return f"{title} – {info.location} – {dutch_date(info.day)}"


# On paper the BSN reads in groups as on the screens (1234.56.782); the CSV keeps the nine digits, so Excel
# (as text) and a re-import of the file read it unchanged.
BSN = Column("BSN", "bsn", 0.95, text=True, on_paper=format_bsn)
# A Vaccinnet session lists its children by INSZ: printed as YY.MM.DD-SSS.CC, the eleven digits in the CSV.
INSZ = Column("INSZ", "insz", 1.15, text=True, on_paper=format_number)


def _number_column(info: SessionInfo) -> Column:
    return INSZ if info.id_kind is IdKind.INSZ else BSN
NAME = Column("Naam", "naam", 2.2)
BORN = Column("Geboortedatum", "geboortedatum", 1.2)
GROUP = Column("Klas", "klas", 0.7)
IDS = Column("Registraties", "registratie_ids", printed=False)


def _lot_total(name: str, lot: str, use) -> str:
    """Return 'Partij X123 (HPV), houdbaar tot 31-03-2027, in gebruik 09:02–10:40' for the totals."""
    if use is None:
        return f"Partij {lot} ({name})"
    until = f", houdbaar tot {dutch_date(use.expiry)}" if use.expiry else ""
    times = use.times()
    return f"Partij {use.label} ({name}){until}{', in gebruik ' + times if times else ''}"


def vaccinated_report(sc: ServiceContext, session_id: int) -> Report:
    """Return the list of vaccinated children by class and name, with totals per vaccine and lot."""
    info = get_session(sc, session_id)
    children = session_overview(sc, session_id).children
    given = [(c, [r for r in c.registrations if _is_given(r)]) for c in children]
    given = [(c, regs) for c, regs in given if regs]
    registrations = {c.child_id: regs for c, regs in given}

    def row(child: ChildView) -> Row:
        regs = registrations[child.child_id]
        return Row(_record_id(session_id, child), (
            child.name, dutch_date(child.birth_date), child.bsn, _joined(r.vaccine_name for r in regs),
            _joined(r.lot_number + (" (overig)" if r.lot_manual else "") for r in regs),
            f"{min(r.scanned_at for r in regs):%H:%M}", _state_text(regs), _ids(regs)))

    all_given = [r for _, regs in given for r in regs]
    per_vaccine = Counter(r.vaccine_name for r in all_given)
    per_lot = Counter((r.vaccine_name, r.lot_number) for r in sorted(all_given, key=lambda r: r.scanned_at))
    waiting = sum(1 for r in all_given if r.state in (State.SCANNED, State.WITHDRAWN))
    totals = [("Gevaccineerde kinderen", str(len(given)))]
    totals += [(f"Vaccin {name}", str(count)) for name, count in sorted(per_vaccine.items())]
    uses = {(use.vaccine_name, use.lot_number): use for use in doses_per_lot(sc, session_id)}
    totals += [(_lot_total(name, lot, uses.get((name, lot))), str(count)) for (name, lot), count in per_lot.items()]
    if waiting:
        totals.append(("Waarvan nog niet geaccordeerd (vaccinaties)", str(waiting)))
    header = _session_header(info, sc.now())
    header.insert(4, ("Geaccordeerd door", _accorded_by(c for c, _ in given)))
    title = ReportKind.VACCINATED.title
    return Report(
        ReportKind.VACCINATED, title, session_id, tuple(header),
        (NAME, BORN, _number_column(info), Column("Vaccin(s)", "vaccins", 1.3), Column("Partij(en)", "partijen", 2.4),
         Column("Tijd", "tijd", 0.5), Column("Status", "status", 1.8), IDS),
        "klas", _by_group(session_id, [c for c, _ in given], row), tuple(totals), (), True,
        _footer(info, title), "Er zijn in deze sessie nog geen kinderen gevaccineerd.")


def _reason(registration: RegistrationView) -> str:
    if registration.objection_reason:
        return f"bezwaar: {ObjectionReason(registration.objection_reason).label}"
    return registration.removal_reason or "geen reden opgegeven"


def _not_given_state(registration: RegistrationView) -> str:
    # A Vaccinnet session's objection is kept here and never sent: the list says so.
    local = registration.local_only and registration.state is State.OBJECTION
    return STATE_LABELS[registration.state] + (f" – {NOT_TO_VACCINNET}" if local else "")
def _per_vaccine(registrations: list[RegistrationView], text: Callable[[RegistrationView], str]) -> str:
    """Return one text when every vaccine has the same, else per vaccine: 'MenACWY: afwezig; DTP: bezwaar: …'."""
    texts = [text(r) for r in registrations]
    if len(set(texts)) <= 1:
        return texts[0] if texts else ""
    return "; ".join(f"{r.vaccine_name}: {t}" for r, t in zip(registrations, texts, strict=True))


def not_vaccinated_report(sc: ServiceContext, session_id: int) -> Report:
    """Return the children taken out of the messages, with their reasons, and the objections."""
    info = get_session(sc, session_id)
    children = session_overview(sc, session_id).children
    missed = {c.child_id: [r for r in c.registrations if _is_not_given(r)] for c in children}
    listed = [c for c in children if missed[c.child_id]]

    def row(child: ChildView) -> Row:
        regs = missed[child.child_id]
        return Row(_record_id(session_id, child), (
            child.name, dutch_date(child.birth_date), child.bsn, _joined(r.vaccine_name for r in regs),
            _per_vaccine(regs, _reason), _per_vaccine(regs, _not_given_state), _ids(regs)))

    all_missed = [r for c in listed for r in missed[c.child_id]]
    reasons = Counter(_reason(r) for r in all_missed)
    totals = [("Kinderen op deze lijst", str(len(listed))),
              ("Niet gevaccineerd (kinderen)",
               str(sum(1 for c in listed if any(not r.objection_reason for r in missed[c.child_id])))),
              ("Met bezwaar (kinderen)", str(sum(1 for c in listed if c.has_objection)))]
    totals += [(f"Reden: {reason} (vaccinaties)", str(count)) for reason, count in sorted(reasons.items())]
    title = ReportKind.NOT_VACCINATED.title
    return Report(
        ReportKind.NOT_VACCINATED, title, session_id, tuple(_session_header(info, sc.now())),
        (NAME, BORN, _number_column(info), Column("Vaccin(s)", "vaccins", 1.4), Column("Reden", "reden", 2.6),
         Column("Status", "status", 1.6), IDS),
        "klas", _by_group(session_id, listed, row), tuple(totals),
        ("Een uitgestelde vaccinatie is geen bezwaar; bezwaren worden zonder partij gemeld.",), True,
        _footer(info, title), "Er zijn in deze sessie geen kinderen uitgenomen en geen bezwaren.")


def expected_report(sc: ServiceContext, session_id: int) -> Report:
    """Return expected children that were not scanned and scanned children that were not expected."""
    info = get_session(sc, session_id)
    children = session_overview(sc, session_id).children
    missing = [c for c in children if c.expected and not _scanned(c)]
    unexpected = [c for c in children if not c.expected and _scanned(c)]

    def row(child: ChildView) -> Row:
        return Row(_record_id(session_id, child), (
            child.name, dutch_date(child.birth_date), child.bsn, child.group_name, child.state_text,
            _ids(child.registrations)))

    sections = (Section("Verwacht maar niet gescand", "verwacht-niet-gescand", tuple(row(c) for c in missing)),
                Section("Gescand maar niet verwacht", "gescand-niet-verwacht", tuple(row(c) for c in unexpected)))
    expected = sum(1 for c in children if c.expected)
    scanned = sum(1 for c in children if _scanned(c))
    totals = (("Verwacht", str(expected)), ("Gescand", str(scanned)),
              ("Verwacht en gescand", str(sum(1 for c in children if c.expected and _scanned(c)))),
              ("Verwacht maar niet gescand", str(len(missing))), ("Gescand maar niet verwacht", str(len(unexpected))))
    notes = () if expected else ("Voor deze sessie is geen lijst met verwachte kinderen ingelezen: "
                                 "alle gescande kinderen staan daarom als 'niet verwacht'.",)
    title = ReportKind.EXPECTED.title
    return Report(
        ReportKind.EXPECTED, title, session_id, tuple(_session_header(info, sc.now())),
        (NAME, BORN, _number_column(info), GROUP, Column("Status", "status", 3.4), IDS),
        "lijst", sections, totals, notes, False, _footer(info, title),
        "Alle verwachte kinderen zijn gescand en er zijn geen onverwachte kinderen.")


def _message_row(child: ChildView, regs: list[RegistrationView]) -> Row:
    first = regs[0]
    vaccines = _joined(f"{r.vaccine_name}: bezwaar" if r.objection_reason else f"{r.vaccine_name} ({r.lot_number})"
                       for r in regs)
    return Row(first.message_id or f"prikpost-bericht-{first.outbox_id}", (
        child.name, dutch_date(child.birth_date), child.bsn, child.group_name, vaccines, str(first.attempts),
        dutch_datetime(first.last_attempt_at), first.last_error or "nog geen antwoord", str(first.outbox_id),
        _ids(regs)))


def failures_report(sc: ServiceContext, session_id: int) -> Report:
    """Return the uitvallijst: children whose message the receiver has not (yet) acknowledged."""
    info = get_session(sc, session_id)
    unsent = {state.value for state in UNSENT}
    by_state: dict[str, list[Row]] = {}
    for child in session_overview(sc, session_id).children:  # already by class, name and BSN
        messages: dict[int, list[RegistrationView]] = {}
        for r in child.registrations:
            if r.outbox_id is not None and r.outbox_state in unsent:
                messages.setdefault(r.outbox_id, []).append(r)
        for regs in messages.values():
            by_state.setdefault(regs[0].outbox_state, []).append(_message_row(child, regs))
    # The CSV's status column shows the Dutch label, as the other lists do; the record ids stay the stable key.
    sections = tuple(
        Section(outbox_label(state.value).capitalize(), outbox_label(state.value),
                tuple(sorted(by_state[state.value], key=lambda row: (row.cells[0].lower(), row.cells[2]))))
        for state in FAILURE_ORDER if state.value in by_state)
    totals = [("Niet bevestigde berichten", str(sum(len(s.rows) for s in sections)))]
    totals += [(section.title, str(len(section.rows))) for section in sections]
    title = ReportKind.FAILURES.title
    return Report(
        ReportKind.FAILURES, title, session_id, tuple(_session_header(info, sc.now())),
        (NAME, BORN, _number_column(info), GROUP, Column("Vaccin(s) (partij)", "vaccins", 1.8),
         Column("Pogingen", "pogingen", 0.7),
         Column("Laatste poging", "laatste_poging", 1.3), Column("Laatste antwoord", "laatste_antwoord", 3.0),
         Column("Bericht", "outbox_id", printed=False), IDS),
        "status", sections, tuple(totals),
        ("Bericht geweigerd of opgegeven? Los de oorzaak op en verstuur opnieuw, of neem contact op met RIVM-RCP.",),
        False, _footer(info, title), "Alle berichten van deze sessie zijn door de ontvanger bevestigd.")


BUILDERS = {
    ReportKind.VACCINATED: vaccinated_report,
    ReportKind.NOT_VACCINATED: not_vaccinated_report,
    ReportKind.EXPECTED: expected_report,
    ReportKind.FAILURES: failures_report,
}


def build_report(sc: ServiceContext, session_id: int, kind: ReportKind | str) -> Report:
    """Return the report of this kind for the session (kind may be its command-line name)."""
    try:
        kind = ReportKind(kind)
    except ValueError:
        names = ", ".join(k.value for k in ReportKind)
        raise DomainError(f"Onbekende lijst '{kind}'. Kies uit: {names}.") from None
    return BUILDERS[kind](sc, session_id)
