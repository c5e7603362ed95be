"""Build a session list and write it as PDF or CSV to the file the user chose."""

from __future__ import annotations

from pathlib import Path

from app.domain.errors import DomainError
from app.domain.wording import os_reason
from app.services.base import ServiceContext

from .csv_export import report_csv
from .files import write_atomically
from .model import Report, ReportKind, build_report
from .pdf import report_pdf

FORMATS = ("pdf", "csv")


def render(report: Report, fmt: str) -> bytes:
    """Return the report's bytes in the format 'pdf' or 'csv'."""
    if fmt == "pdf":
        return report_pdf(report)
    if fmt == "csv":
        return report_csv(report)
    raise DomainError(f"Onbekend formaat '{fmt}'. Kies pdf of csv.")


def save_report(report: Report, fmt: str, target: Path | str) -> Path:
    """Render the report and write it atomically to target; a failure becomes a Dutch DomainError."""
    target = Path(target)
    if not target.parent.is_dir():
        raise DomainError(f"De map {target.parent} bestaat niet. Kies een bestaande map.")
    data = render(report, fmt)
    try:
        return write_atomically(target, data)
    except OSError as error:
        raise DomainError(f"Kan {target} niet schrijven: {os_reason(error)}.") from error


def write_report(sc: ServiceContext, session_id: int, kind: ReportKind | str, fmt: str, target: Path | str) -> Report:
    """Build the report and write it as fmt to target; return the report."""
    report = build_report(sc, session_id, kind)
    save_report(report, fmt, target)
    return report
