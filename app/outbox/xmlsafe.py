"""Parse untrusted XML safely and find elements whatever namespace prefix the sender chose."""

from __future__ import annotations

import logging

from lxml import etree

from .errors import MessageError

log = logging.getLogger(__name__)
MAX_BYTES = 5_000_000  # far above any real answer; refuses floods before lxml sees them


def _parser() -> etree.XMLParser:
    # A fresh parser per call: lxml parsers are not thread-safe and this one is cheap.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False, remove_comments=True, remove_pis=True)


def parse_xml(data: str | bytes, what: str = "bericht") -> etree._Element:
    """Parse XML text without entities, DTDs or network access; raise MessageError when it is not usable."""
    if isinstance(data, str):
        data = data.encode("utf-8") if not data.lstrip().startswith("<?xml") else _strip_declaration(data)
    if not data or not data.strip():
        raise MessageError(f"Het {what} is leeg.")
    if len(data) > MAX_BYTES:
        raise MessageError(f"Het {what} is te groot ({len(data)} bytes) en is niet gelezen.")
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        # Entities are never legitimate in these messages; refuse instead of silently dropping them.
        raise MessageError(f"Het {what} bevat een DOCTYPE of entiteiten en is geweigerd.")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        # lxml's own words ("Couldn't find end of Start Tag…") are for the maintainer, in the log; the user reads
        # Dutch, with where the text breaks off.
        line, column = error.position if error.position else (0, 0)
        log.warning("%s is not well-formed XML at line %s, column %s: %s", what, line, column, error.msg)
        raise MessageError(f"Het {what} is geen leesbare XML: het is afgebroken of beschadigd "
                           f"(regel {line}, kolom {column}).") from None
    if root is None:
        raise MessageError(f"Het {what} bevat geen XML-element.")
    return root


def _strip_declaration(text: str) -> bytes:
    # lxml refuses str input with an encoding declaration; the text is already decoded.
    end = text.find("?>")
    return text[end + 2:].encode("utf-8") if end >= 0 else text.encode("utf-8")


def local(element: etree._Element) -> str:
    """Return the element's name without namespace."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def children(element: etree._Element, name: str) -> list[etree._Element]:
    """Return the direct children with this local name, in any namespace."""
    return [child for child in element if isinstance(child.tag, str) and local(child) == name]


def child(element: etree._Element | None, *path: str) -> etree._Element | None:
    """Follow a path of local names through first matches; None when any step is missing."""
    current = element
    for name in path:
        if current is None:
            return None
        found = children(current, name)
        current = found[0] if found else None
    return current


def descendants(element: etree._Element, name: str) -> list[etree._Element]:
    """Return all descendants with this local name, in any namespace."""
    return [node for node in element.iter() if isinstance(node.tag, str) and local(node) == name]


def attr(element: etree._Element | None, name: str, default: str = "") -> str:
    """Return an attribute (stripped) or the default when the element or attribute is missing."""
    if element is None:
        return default
    value = element.get(name)
    return value.strip() if value is not None else default


def text(element: etree._Element | None) -> str:
    """Return the element's full text content, stripped; empty for a missing element."""
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def serialise(element: etree._Element) -> str:
    """Return the element as UTF-8 XML text with a declaration, as stored in the queue and sent."""
    return etree.tostring(element, encoding="UTF-8", xml_declaration=True).decode("utf-8")
