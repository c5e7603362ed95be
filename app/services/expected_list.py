"""Import the list of expected children from a CSV file as Excel in Dutch writes it."""

from __future__ import annotations

import csv
import io
import logging
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.domain import person_id
from app.domain.errors import DomainError
from app.domain.person_id import IdKind
from app.domain.text import clean_text
from app.domain.wording import count_noun, dutch_date, listed, os_reason
from app.store.models import ChildRow, OutboxRow, RegistrationRow, SessionRow
from app.store.unit_of_work import UnitOfWork

from .base import ServiceContext
from .sessions import id_kind_of

log = logging.getLogger(__name__)

# Accepted header names (lower case, without spaces/underscores) per field.
HEADERS = {
    "bsn": {"bsn", "burgerservicenummer"},
    "insz": {"insz", "rijksregisternummer", "rrn", "nationaalnummer", "inss", "bisnummer", "inszbisnummer"},
    "name": {"naam", "name", "volledigenaam", "kind"},
    "birth_date": {"geboortedatum", "birthdate", "gebdatum", "geboren"},
    "sex": {"geslacht", "sex", "gender"},
    "postcode": {"postcode", "postalcode", "pc"},
    "group_name": {"groep", "klas", "group", "class", "groupclass", "groepklas"},
}
MAX_BYTES = 20 * 1024 * 1024
TOO_LARGE = ("Het bestand is te groot ({size:.0f} MB) voor een lijst van verwachte kinderen (hoogstens 20 MB); "
             "het is niet ingelezen.")
# The child's own data an import may fill in; `expected` is the list membership, not data about the child.
CHILD_FIELDS = ("name", "birth_date", "sex", "postcode", "group_name")


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    registered: int = 0  # already registered in the session: the import never changes them
    problems: list[RowProblem] = field(default_factory=list)
    # Registered children whose data in the file differ from what Prikpost keeps (and may have sent).
    differing: list[RowProblem] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.added + self.updated + self.unchanged + self.registered

    @property
    def notes(self) -> list[RowProblem]:
        """Return every line the user should look at: skipped ones and registered children whose data differ."""
        return sorted(self.problems + self.differing, key=lambda problem: problem.line)

    @property
    def nothing_read(self) -> bool:
        """Return True when not one child could be read from the file."""
        return self.accepted == 0

    def summary(self) -> str:
        """Return a Dutch one-paragraph summary of the import."""
        text = (f"{count_noun(self.accepted, 'kind', 'kinderen')} ingelezen ({self.added} nieuw, "
                f"{self.updated} bijgewerkt, {self.unchanged} ongewijzigd).")
        if self.registered:
            text += f" {count_noun(self.registered, 'kind', 'kinderen')} al geregistreerd: niet gewijzigd."
        if self.problems:
            text += f" {count_noun(len(self.problems), 'regel', 'regels')} overgeslagen."
        return text


@dataclass(frozen=True)
class ExpectedChild:
    bsn: str
    name: str
    birth_date: date | None
    sex: str
    postcode: str
    group_name: str
    line: int = 0  # the line in the file, for messages about this child


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")  # older Excel writes ANSI


def _key(header: str) -> str:
    return "".join(ch for ch in header.strip().lower() if ch.isalnum())


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, title in enumerate(header):
        key = _key(title)
        for name, aliases in HEADERS.items():
            if key in aliases and name not in found:
                found[name] = index
    return found


def parse_date(text: str) -> date | None:
    """Parse a Dutch (dd-mm-jjjj, d/m/jjjj, dd.mm.jjjj) or ISO date; raise ValueError when not a date."""
    value = text.strip()
    if not value:
        return None
    for sep in ("-", "/", "."):
        parts = value.split(sep)
        if len(parts) == 3 and all(p.strip().isdigit() for p in parts):
            if any(len(p.strip()) > 4 for p in parts):
                break  # a day or month of 20 digits is no date (and would overflow)
            a, b, c = (int(p) for p in parts)
            try:
                if len(parts[0].strip()) == 4:
                    return date(a, b, c)
                if len(parts[2].strip()) == 4:
                    return date(c, b, a)
            except OverflowError:
                break
    raise ValueError(value)


def sex_of(text: str) -> str:
    """Return "M", "F" or "" for what a list or a nurse writes (M/J, V/F)."""
    value = text.strip().upper()[:1]
    return {"M": "M", "J": "M", "V": "F", "F": "F"}.get(value, "")


def postcode_of(text: str) -> str:
    """Return a Dutch postal code as "1234 AB", or "" when the text is not one."""
    compact = "".join(text.split()).upper()
    if len(compact) == 6 and compact[:4].isdigit() and compact[4:].isalpha():
        return f"{compact[:4]} {compact[4:]}"
    return ""


def parse_expected_csv(data: bytes, today: date | None = None,
                       kind: IdKind = IdKind.BSN) -> tuple[list[ExpectedChild], list[RowProblem]]:
    """Parse CSV bytes into children and per-line problems; never raises on bad content.

    A birth date after `today` (default: the system date) is a problem of that row. `kind` says which number
    the session knows its children by: the BSN column (Praeventis) or the INSZ column (Vaccinnet).
    """
    today = today or date.today()
    if len(data) > MAX_BYTES:
        return [], [RowProblem(0, TOO_LARGE.format(size=len(data) / 1_000_000))]
    text = _decode(data).replace("\x00", "")
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        return [], [RowProblem(1, "Het bestand is leeg of heeft geen kopregel.")]
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except (csv.Error, StopIteration):
        return [], [RowProblem(1, "De kopregel kan niet gelezen worden.")]
    columns = _columns(header)
    number_column = "insz" if kind is IdKind.INSZ else "bsn"
    for name, title in ((number_column, kind.label), ("birth_date", "Geboortedatum")):
        if name not in columns:
            return [], [RowProblem(1, f"Geen kolom '{title}' gevonden in de kopregel. Verwacht: {kind.label}; naam; "
                                      "geboortedatum; geslacht; postcode; groep/klas.")]
    columns["number"] = columns[number_column]
    children: list[ExpectedChild] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(RowProblem(reader.line_num, f"Regel kan niet gelezen worden ({error})."))
            continue
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        try:
            result = _read_row(row, columns, line, today, seen, kind)
        except Exception as error:  # noqa: BLE001 - one unreadable row never ends the import of the others
            log.warning("expected list line %d unreadable: %s", line, error.__class__.__name__)
            result = RowProblem(line, "Deze regel kan niet gelezen worden en is overgeslagen.")
        if isinstance(result, RowProblem):
            problems.append(result)
        else:
            seen[result.bsn] = line
            children.append(result)
    return children, problems


def _read_row(row: list[str], columns: dict[str, int], line: int, today: date,
              seen: dict[str, int], kind: IdKind = IdKind.BSN) -> ExpectedChild | RowProblem:
    """Return the child on one row, or the Dutch reason why the row is skipped."""

    def cell(name: str) -> str:
        index = columns.get(name)
        return row[index].strip() if index is not None and index < len(row) else ""

    raw_number = person_id.ungroup(kind, cell("number"))
    reason = person_id.invalid_reason(kind, raw_number)
    if reason is not None:
        return RowProblem(line, reason)
    bsn = person_id.normalise(kind, raw_number)
    if bsn in seen:
        return RowProblem(line, f"{kind.label} {bsn} staat dubbel in het bestand (ook op regel {seen[bsn]}).")
    try:
        birth = parse_date(cell("birth_date"))
    except ValueError:
        shown = clean_text(cell("birth_date"), 40)
        return RowProblem(line, f"Geboortedatum '{shown}' is geen datum (dd-mm-jjjj).")
    if birth is None:
        return RowProblem(line, f"Geboortedatum ontbreekt bij {kind.label} {bsn}; vul die in het bestand in "
                                "(dd-mm-jjjj).")
    if birth > today:
        return RowProblem(line, f"Geboortedatum {dutch_date(birth)} ligt in de toekomst; controleer de datum in het "
                                "bestand.")
    # The birth date fixes the INSZ's century: a year digit mistyped by 6 passes mod 97 only without it.
    reason = person_id.invalid_reason(kind, bsn, birth) if kind is IdKind.INSZ else None
    if reason is not None:
        return RowProblem(line, reason)
    # Control characters are removed here, at the door: a stored name can never block a message.
    return ExpectedChild(bsn, clean_text(cell("name"), 200), birth, sex_of(cell("sex")), postcode_of(cell("postcode")),
                         clean_text(cell("group_name"), 40), line)


def read_expected_file(path: Path) -> bytes:
    """Return the bytes of an expected-children file, checking its size before reading (Dutch DomainError)."""
    try:
        with open(path, "rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > MAX_BYTES:
                raise DomainError(TOO_LARGE.format(size=size / 1_000_000))
            data = stream.read(MAX_BYTES + 1)  # a file that grows meanwhile is still read no further
    except OSError as error:
        raise DomainError(f"{path} kan niet gelezen worden ({os_reason(error)}).") from None
    if len(data) > MAX_BYTES:
        raise DomainError(TOO_LARGE.format(size=len(data) / 1_000_000))
    return data


def _registered_children(uow, session_id: int) -> tuple[set[int], set[str]]:
    """Return the ids of the session's children with any registration, and the BSNs with any message."""
    child_ids = set(uow.session.scalars(
        select(RegistrationRow.child_id).where(RegistrationRow.session_id == session_id).distinct()))
    bsns = set(uow.session.scalars(select(OutboxRow.bsn).where(OutboxRow.session_id == session_id).distinct()))
    return child_ids, bsns


def _differences(row: ChildRow, child: ExpectedChild) -> list[str]:
    labels = {"name": "naam", "birth_date": "geboortedatum", "sex": "geslacht", "postcode": "postcode",
              "group_name": "klas"}
    return [labels[name] for name in CHILD_FIELDS
            if getattr(child, name) not in ("", None) and getattr(child, name) != getattr(row, name)]


def import_expected_list(sc: ServiceContext, session_id: int, data: bytes, source: str = "") -> ImportReport:
    """Store the good rows of an expected-children CSV; a repeated import does not duplicate.

    A child already registered in the session (scanned, taken out, objection, accorded, queued, sent) keeps
    the data it was registered (and perhaps sent) with: the import only marks it as expected. For the other
    children an empty cell in the file never blanks a value Prikpost already has.
    """
    with sc.uow() as uow:
        report = store_expected_list(uow, session_id, data, source)
        uow.commit()
    return report


def store_expected_list(uow: UnitOfWork, session_id: int, data: bytes, source: str = "") -> ImportReport:
    """Store an expected-children CSV in the caller's unit of work (not committed); see import_expected_list."""
    session = uow.session.get(SessionRow, session_id)
    if session is None:
        raise DomainError(f"Sessie {session_id} bestaat niet.")
    kind = id_kind_of(session)
    children, problems = parse_expected_csv(data, uow.now.date(), kind)
    report = ImportReport(problems=problems)
    if problems:  # line numbers only: the reasons quote cells (BSNs, names) and belong on screen, not in the log
        log.info("expected list %s: %d line(s) skipped: %s", source, len(problems),
                 ", ".join(str(problem.line) for problem in problems[:50]))
    existing = {c.bsn: c for c in uow.session.scalars(select(ChildRow).where(ChildRow.session_id == session_id))}
    registered_ids, messaged_bsns = _registered_children(uow, session_id)
    for child in children:
        values = {name: getattr(child, name) for name in CHILD_FIELDS}
        row = existing.get(child.bsn)
        if row is None:
            row = ChildRow(session_id=session_id, bsn=child.bsn, source="import", expected=True, **values)
            uow.session.add(row)
            uow.session.flush()
            uow.audit("import_child", "child", row.id, after={"bsn": child.bsn, **values, "expected": True})
            report.added += 1
            continue
        if row.id in registered_ids or row.bsn in messaged_bsns:
            report.registered += 1
            differing = _differences(row, child)
            if differing:
                verb = "wijkt af en is" if len(differing) == 1 else "wijken af en zijn"
                report.differing.append(RowProblem(
                    child.line, f"{kind.label} {child.bsn} is al geregistreerd; de {listed(differing)} in het "
                                f"bestand {verb} niet overgenomen."))
                log.info("expected list %s line %s: registered child %s kept, file differs in %s",
                         source, child.line, row.id, differing)
            if not row.expected:
                row.expected = True
                uow.audit("import_child", "child", row.id, before={"expected": False}, after={"expected": True})
            continue
        # An empty cell says nothing: it never blanks what Prikpost already knows.
        after = {name: value for name, value in values.items() if value not in ("", None)}
        if not row.expected:
            after["expected"] = True
        changed = {name: value for name, value in after.items() if getattr(row, name) != value}
        if not changed:
            report.unchanged += 1
            continue
        before = {name: getattr(row, name) for name in changed}
        for name, value in changed.items():
            setattr(row, name, value)
        uow.audit("import_child", "child", row.id, before=before, after=changed)
        report.updated += 1
    uow.audit("import_expected_list", "session", session_id,
              after={"source": source, "added": report.added, "updated": report.updated,
                     "registered": report.registered, "problems": len(problems)})
    return report
