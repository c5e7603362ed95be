"""Locate the official XSDs, compile each once, and validate built messages against them."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from lxml import etree

from .errors import MessageError
from .xmlsafe import parse_xml

KMEHR_SCHEMA = "kmehr_elements-1_43.xsd"

# Where a file may sit below a configured folder: the folder itself, or the layout of the shared spec.
_HL7_SUBDIRS = ("", "hl7v3_schemas", "hl7v3-jgz/hl7v3_schemas", "spec/hl7v3-jgz/hl7v3_schemas")
_KMEHR_SUBDIRS = ("", "XSD", "ehealth-kmehr/XSD", "kmehr/ehealth-kmehr/XSD", "spec/kmehr/ehealth-kmehr/XSD")

_cache: dict[Path, etree.XMLSchema] = {}
_lock = threading.Lock()

log = logging.getLogger(__name__)


def schema_file_name(kind: str) -> str:
    """Return the XSD file name for a message kind ("REPC_IN002140NL", "KMEHR", ...)."""
    return KMEHR_SCHEMA if kind.upper() == "KMEHR" else f"{kind}.xsd"


def find_schema(schema_dir: str | Path, kind: str) -> Path | None:
    """Return the XSD of this message kind below the folder, or None when it is not there."""
    base = Path(schema_dir)
    name = schema_file_name(kind)
    for sub in (_KMEHR_SUBDIRS if name == KMEHR_SCHEMA else _HL7_SUBDIRS):
        candidate = base / sub / name if sub else base / name
        if candidate.is_file():
            return candidate.resolve()
    return None


def load_schema(path: Path) -> etree.XMLSchema:
    """Return the compiled schema for this file, compiling it only the first time (it takes seconds)."""
    path = Path(path).resolve()
    with _lock:
        schema = _cache.get(path)
        if schema is None:
            # The XSDs include siblings by relative path; no network, no entity expansion.
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            try:
                schema = etree.XMLSchema(etree.parse(str(path), parser))
            except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as error:
                log.warning("schema %s not loaded: %s", path, error)  # lxml's English words, for the maintainer
                raise MessageError(f"Het schema {path.name} kon niet worden geladen: het bestand ontbreekt, is "
                                   "onleesbaar of is geen XML-schema. Controleer de instelling 'schemamap' (de "
                                   "officiële schema's, met de bestanden die ze invoegen).") from None
            _cache[path] = schema
        return schema


def schema_for(schema_dir: str | Path, kind: str) -> etree.XMLSchema:
    """Return the compiled schema of this message kind, or raise MessageError when the file is missing."""
    path = find_schema(schema_dir, kind)
    if path is None:
        raise MessageError(f"Het schema {schema_file_name(kind)} staat niet in de schemamap {schema_dir}. "
                           "Controleer de instelling 'schemamap'.")
    return load_schema(path)


def schema_errors(schema: etree.XMLSchema, document: etree._Element | str | bytes) -> list[str]:
    """Return the schema's complaints about the document (empty when it is valid)."""
    if isinstance(document, (str, bytes)):
        document = parse_xml(document)
    if schema.validate(document):
        return []
    return [f"regel {entry.line}: {entry.message}" for entry in schema.error_log]


def require_valid(schema: etree.XMLSchema, document: etree._Element | str | bytes, kind: str) -> None:
    """Raise MessageError with the first complaints when the document does not follow the schema."""
    errors = schema_errors(schema, document)
    if errors:
        shown = "; ".join(errors[:3])
        more = f" (en nog {len(errors) - 3})" if len(errors) > 3 else ""
        raise MessageError(f"Het {kind}-bericht voldoet niet aan het schema: {shown}{more}.")
