"""Import the list of expected children from a CSV file as Excel in Dutch writes it."""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from app.domain.bsn import invalid_reason, ungroup_bsn
from app.domain.errors import DomainError
from app.domain.wording import count_noun
from app.store.models import ChildRow, SessionRow

from .base import ServiceContext

log = logging.getLogger(__name__)

# Accepted header names (lower case, without spaces/underscores) per field.
HEADERS = {
    "bsn": {"bsn", "burgerservicenummer"},
    "name": {"naam", "name", "volledigenaam", "kind"},
    "birth_date": {"geboortedatum", "birthdate", "gebdatum", "geboren"},
    "sex": {"geslacht", "sex", "gender"},
    "postcode": {"postcode", "postalcode", "pc"},
    "group_name": {"groep", "klas", "group", "class", "groupclass", "groepklas"},
}
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.added + self.updated + self.unchanged

    @property
    def nothing_read(self) -> bool:
        """Return True when not one child could be read from the file."""
        return self.accepted == 0

    def summary(self) -> str:
        """Return a Dutch one-paragraph summary of the import."""
        text = (f"{count_noun(self.accepted, 'kind', 'kinderen')} ingelezen ({self.added} nieuw, "
                f"{self.updated} bijgewerkt, {self.unchanged} ongewijzigd).")
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
            a, b, c = (int(p) for p in parts)
            if len(parts[0].strip()) == 4:
                return date(a, b, c)
            if len(parts[2].strip()) == 4:
                return date(c, b, a)
    raise ValueError(value)


def _sex(text: str) -> str:
    value = text.strip().upper()[:1]
    return {"M": "M", "J": "M", "V": "F", "F": "F"}.get(value, "")


def _postcode(text: str) -> str:
    compact = "".join(text.split()).upper()
    if len(compact) == 6 and compact[:4].isdigit() and compact[4:].isalpha():
        return f"{compact[:4]} {compact[4:]}"
    return ""


def parse_expected_csv(data: bytes, today: date | None = None) -> tuple[list[ExpectedChild], list[RowProblem]]:
    """Parse CSV bytes into children and per-line problems; never raises on bad content.

    A birth date after `today` (default: the system date) is a problem of that row.
    """
    today = today or date.today()
    if len(data) > MAX_BYTES:
        return [], [RowProblem(0, "Het bestand is te groot voor een lijst van verwachte kinderen.")]
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
    if "bsn" not in columns:
        return [], [RowProblem(1, "Geen kolom 'BSN' gevonden in de kopregel. Verwacht: BSN; naam; "
                                  "geboortedatum; geslacht; postcode; groep/klas.")]
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

        def cell(name: str, row=row) -> str:
            index = columns.get(name)
            return row[index].strip() if index is not None and index < len(row) else ""

        raw_bsn = ungroup_bsn(cell("bsn"))
        reason = invalid_reason(raw_bsn)
        if reason is not None:
            problems.append(RowProblem(line, reason))
            continue
        bsn = raw_bsn.zfill(9)
        if bsn in seen:
            problems.append(RowProblem(line, f"BSN {bsn} staat dubbel in het bestand (ook op regel {seen[bsn]})."))
            continue
        try:
            birth = parse_date(cell("birth_date"))
        except ValueError:
            problems.append(RowProblem(line, f"Geboortedatum '{cell('birth_date')}' is geen datum (dd-mm-jjjj)."))
            continue
        if birth is not None and birth > today:
            problems.append(RowProblem(line, f"Geboortedatum {birth:%d-%m-%Y} ligt in de toekomst; controleer de "
                                             "datum in het bestand."))
            continue
        seen[bsn] = line
        children.append(ExpectedChild(bsn, cell("name")[:200], birth, _sex(cell("sex")),
                                      _postcode(cell("postcode")), cell("group_name")[:40]))
    return children, problems


def import_expected_list(sc: ServiceContext, session_id: int, data: bytes, source: str = "") -> ImportReport:
    """Store the good rows of an expected-children CSV; a repeated import does not duplicate."""
    children, problems = parse_expected_csv(data, sc.now().date())
    report = ImportReport(problems=problems)
    for problem in problems:
        log.info("expected list %s line %s skipped: %s", source, problem.line, problem.reason)
    with sc.uow() as uow:
        if uow.session.get(SessionRow, session_id) is None:
            raise DomainError(f"Sessie {session_id} bestaat niet.")
        existing = {c.bsn: c for c in uow.session.scalars(select(ChildRow).where(ChildRow.session_id == session_id))}
        for child in children:
            values = dict(name=child.name, birth_date=child.birth_date, sex=child.sex, postcode=child.postcode,
                          group_name=child.group_name, expected=True)
            row = existing.get(child.bsn)
            if row is None:
                row = ChildRow(session_id=session_id, bsn=child.bsn, source="import", **values)
                uow.session.add(row)
                uow.session.flush()
                uow.audit("import_child", "child", row.id, after={"bsn": child.bsn, **values})
                report.added += 1
                continue
            before = {name: getattr(row, name) for name in values}
            if before == values:
                report.unchanged += 1
                continue
            for name, value in values.items():
                setattr(row, name, value)
            uow.audit("import_child", "child", row.id, before=before, after=values)
            report.updated += 1
        uow.audit("import_expected_list", "session", session_id,
                  after={"source": source, "added": report.added, "updated": report.updated,
                         "problems": len(problems)})
        uow.commit()
    return report
