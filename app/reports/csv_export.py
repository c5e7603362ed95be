"""Write a report as CSV that Excel in a Dutch locale opens as intended: ';', UTF-8 with BOM, CRLF."""

from __future__ import annotations

import csv
import io

from .model import Report

BOM = "\ufeff"
# A cell starting with one of these would be run as a formula by Excel or LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """Return the value with a leading apostrophe when a spreadsheet would read it as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def as_text(value: str) -> str:
    """Return a formula Excel shows as the literal text, keeping leading zeros (="012345678")."""
    return f'="{value}"' if value else ""


def read_text(cell: str) -> str:
    """Return the value of a cell written by as_text (for re-importing our own files)."""
    return cell[2:-1] if cell.startswith('="') and cell.endswith('"') else cell


def report_csv(report: Report) -> bytes:
    """Return the report's rows as CSV bytes, one row per line with its record id first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(["record_id", report.section_column] + [c.csv_name for c in report.columns])
    text_columns = [c.text for c in report.columns]
    for section in report.sections:
        for row in section.rows:
            cells = [as_text(value) if text else safe_cell(value)
                     for value, text in zip(row.cells, text_columns, strict=True)]
            writer.writerow([safe_cell(row.record_id), safe_cell(section.key)] + cells)
    return (BOM + buffer.getvalue()).encode("utf-8")
