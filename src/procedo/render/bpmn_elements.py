"""The XML pieces of procedo's BPMN export: namespaces, escaped elements and attributes, a
checklist item as a ``procedo:item`` and a hold point's sign-off as a ``procedo:signoff``.

Every text goes through :func:`xml_text` (what XML 1.0 cannot hold is shown as an escape) and is
set with ElementTree, which escapes it; never by string formatting.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from procedo.model import Input, Item
from procedo.model.signoff import SignOff
from procedo.safe_text import visible

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
PROCEDO = "https://procedo.dev/bpmn"
"""The namespace of what procedo keeps that BPMN has no element for."""

NAMESPACES = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI, "procedo": PROCEDO}
for _prefix, _uri in NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)

# XML 1.0 cannot hold these at all, not even as a character reference (the loader refuses
# them in a definition; one built in code is written with them shown as escapes).
_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` as XML can hold it: characters XML 1.0 forbids (and ``\\r``) shown as escapes."""
    return _NOT_XML.sub(lambda m: visible(m.group()), text)


def q(namespace: str, tag: str) -> str:
    """A Clark name: ``{namespace}tag``."""
    return f"{{{namespace}}}{tag}"


def sub(
    parent: ET.Element, namespace: str, tag: str, text: str | None = None, **attrs: str
) -> ET.Element:
    """A child element, its attributes and text made fit for XML."""
    element = ET.SubElement(parent, q(namespace, tag), {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = xml_text(text)
    return element


def ours(element: ET.Element, **attrs: str | None) -> None:
    """Set ``procedo:`` attributes on a BPMN element (None: left out)."""
    for key, value in attrs.items():
        if value is not None:
            element.set(q(PROCEDO, key), xml_text(value))


def plain(element: ET.Element, **attrs: str | None) -> None:
    """Set attributes without a namespace on a ``procedo:`` element (None: left out)."""
    for key, value in attrs.items():
        if value is not None:
            element.set(key, xml_text(value))


def number_text(value: float) -> str:
    """A number as an attribute holds it: ``48`` for a whole number, else Python's repr."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def spec_attrs(spec: Item | Input) -> dict[str, str | None]:
    """The record keys of an item or input, as ``procedo:`` attributes (defaults left out)."""
    return {
        "record": spec.record,
        "unit": spec.unit,
        "min": None if spec.min is None else number_text(spec.min),
        "max": None if spec.max is None else number_text(spec.max),
    }


def choices(element: ET.Element, values: tuple[str, ...]) -> None:
    """One ``procedo:choice`` child per value."""
    for choice in values:
        sub(element, PROCEDO, "choice", choice)


def item_element(extensions: ET.Element, item: Item) -> None:
    """A checklist item as a ``procedo:item`` (its choices as ``procedo:choice``)."""
    element = sub(extensions, PROCEDO, "item")
    plain(
        element,
        text=item.text,
        id=item.id,
        role=item.role,
        critical="true" if item.critical else None,
        details=item.details or None,
        expect=item.expect,
        when=item.when,
        defer_to=item.defer_to,
        wait_minutes=None if item.wait_minutes is None else number_text(item.wait_minutes),
        override_role=item.override.role if item.override is not None else None,
        **spec_attrs(item),
    )
    choices(element, item.choices)


def signoff_element(extensions: ET.Element, signoff: SignOff) -> None:
    """One sign-off of a step or a decision as a ``procedo:signoff`` (role id, meaning, and
    ``distinct="true"`` when it is so), in the node's ``extensionElements``, in order."""
    element = sub(extensions, PROCEDO, "signoff")
    plain(
        element,
        role=signoff.role,
        meaning=signoff.meaning,
        distinct="true" if signoff.distinct else None,
    )
