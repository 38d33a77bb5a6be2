"""EDEXML 2.x (``EDEX.XML``), the Dutch exchange file that ParnasSys and ESIS export: the school
with its BRIN and school year, groups (stamgroepen), pupils and teachers. It has no parents.

Structure (namespace ignored: ParnasSys, ESIS and the UWLR profiles use different ones)::

    <EDEX>
      <school><schooljaar>2025-2026</schooljaar><brincode>99AA</brincode>...</school>
      <groepen><groep key="G3"><naam>Groep 3</naam><jaargroep>3</jaargroep></groep>
               <samengestelde_groep key="SG1">...</samengestelde_groep></groepen>
      <leerlingen><leerling key="1001"><achternaam/><voorvoegsel/><roepnaam/><voornamen/>
                  <geboortedatum>2018-03-04</geboortedatum><jaargroep>3</jaargroep>
                  <groep key="G3"/></leerling></leerlingen>
      <leerkrachten><leerkracht key="T1"><achternaam/><roepnaam/><emailadres/>
                    <groepen><groep key="G3"/></groepen></leerkracht></leerkrachten>
    </EDEX>

The pupil number is the leerling's ``key`` attribute (ParnasSys writes the leerlingnummer
there); a ``<leerlingnummer>`` element, which some exports add, wins over it. Combination groups
(samengestelde groepen) are not class groups and are ignored. Line numbers come from the parser
(expat), so an error names the line of the element in the file."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from schoolpoort.lib.csv import RowError

from ..dataset import (
    Dataset,
    SchoolData,
    SisGroup,
    SisStudent,
    SisTeacher,
    clean_email,
    grades_from,
    join_infix,
    parse_date,
    school_year_name,
)

FORMAT = "edexml"


class _Node:
    """An element with the line it starts on (ElementTree's C elements cannot carry one)."""

    __slots__ = ("tag", "attrib", "children", "parts", "line")

    def __init__(self, tag: str, attrib: dict, line: int):
        self.tag, self.attrib, self.line = tag, attrib, line
        self.children: list[_Node] = []
        self.parts: list[str] = []

    def __iter__(self):
        return iter(self.children)

    def get(self, name: str, default=None):
        return self.attrib.get(name, default)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _parse(data: bytes) -> _Node:
    # defusedxml first, for its checks (entities, DTDs); then expat for the lines.
    fromstring(data)
    parser = expat.ParserCreate(namespace_separator="}")
    stack: list[_Node] = []
    root: list[_Node] = []

    def start(tag, attrs):
        node = _Node(tag, attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else root).append(node)
        stack.append(node)

    def end(_tag):
        stack.pop()

    def text(value):
        if stack:
            stack[-1].parts.append(value)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, text
    parser.Parse(data, True)
    return root[0]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def _child(element: _Node, name: str) -> _Node | None:
    return next((c for c in element if _local(c.tag) == name), None)


def _children(element: _Node | None, name: str) -> list[_Node]:
    return [c for c in element if _local(c.tag) == name] if element is not None else []


def _text(element: _Node, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _line(element: _Node) -> int:
    return getattr(element, "line", 0)


def parse(data: bytes, source: str = "EDEX.XML") -> Dataset:
    dataset = Dataset(format=FORMAT)
    try:
        root = _parse(data)
    except DefusedXmlException:
        dataset.errors.append(RowError(1, _("The file contains XML entities or a DTD, which are not accepted.")))
        return dataset
    except (ET.ParseError, expat.ExpatError) as exc:
        line = getattr(exc, "lineno", None) or (exc.position[0] if getattr(exc, "position", None) else 1)
        dataset.errors.append(RowError(line, _("The file is not valid XML: %(reason)s") % {"reason": exc}))
        return dataset

    if _local(root.tag) == "leerlinggegevens_antwoord":  # the UWLR SOAP answer wraps the same blocks
        root = _child(root, "leerlinggegevens") or root
    school_el = _child(root, "school")
    if school_el is None:
        dataset.errors.append(RowError(_line(root), _("This is not an EDEXML file: there is no <school> block.")))
        return dataset

    school = SchoolData(brin=_text(school_el, "brincode").upper(), source=source, full=True)
    year = school_year_name(_text(school_el, "schooljaar"))
    if year is None:
        dataset.errors.append(
            RowError(
                _line(school_el),
                _("The school year %(value)s is not like 2025-2026.") % {"value": _text(school_el, "schooljaar")},
            )
        )
    school.school_year = year or ""
    dataset.schools.append(school)

    group_keys: set[str] = set()
    for el in _children(_child(root, "groepen"), "groep"):
        key = (el.get("key") or "").strip()
        name = _text(el, "naam")
        if not key or not name:
            dataset.errors.append(RowError(_line(el), _("A group needs a key and a name.")))
            continue
        if key in group_keys:
            dataset.errors.append(RowError(_line(el), _("The group key %(key)s occurs twice.") % {"key": key}))
            continue
        group_keys.add(key)
        grades = grades_from(_text(el, "jaargroep")) or grades_from(name)
        school.groups.append(SisGroup(key=key, name=name, grades=grades, line=_line(el)))

    seen: set[str] = set()
    for el in _children(_child(root, "leerlingen"), "leerling"):
        line = _line(el)
        key = _text(el, "leerlingnummer") or (el.get("key") or "").strip()
        if not key:
            dataset.errors.append(RowError(line, _("A pupil has no key (pupil number).")))
            continue
        if key in seen:
            dataset.errors.append(RowError(line, _("The pupil number %(key)s occurs twice.") % {"key": key}))
            continue
        seen.add(key)
        first_name = _text(el, "roepnaam") or _text(el, "voornamen").split(" ")[0]
        last_name = _text(el, "achternaam")
        if not first_name or not last_name:
            dataset.errors.append(
                RowError(line, _("Pupil %(key)s has no first name (roepnaam) or last name.") % {"key": key})
            )
            continue
        try:
            born = parse_date(_text(el, "geboortedatum"))
        except ValueError:
            dataset.errors.append(
                RowError(
                    line,
                    _("Pupil %(key)s: the date of birth %(value)s is not a date.")
                    % {"key": key, "value": _text(el, "geboortedatum")},
                )
            )
            continue
        group_el = _child(el, "groep")
        group_key = (group_el.get("key") or "").strip() if group_el is not None else ""
        if group_key and group_key not in group_keys:
            dataset.errors.append(
                RowError(
                    line,
                    _("Pupil %(key)s is in group %(group)s, which is not in the file.")
                    % {"key": key, "group": group_key},
                )
            )
            continue
        school.students.append(
            SisStudent(
                key=key,
                first_name=first_name,
                infix=_text(el, "voorvoegsel"),
                last_name=last_name,
                date_of_birth=born,
                group_key=group_key,
                line=line,
            )
        )

    for el in _children(_child(root, "leerkrachten"), "leerkracht"):
        line = _line(el)
        key = (el.get("key") or "").strip()
        groups = [
            (g.get("key") or "").strip()
            for g in _children(_child(el, "groepen"), "groep")
            if (g.get("key") or "").strip() in group_keys
        ]
        try:
            email = clean_email(_text(el, "emailadres"))
        except ValidationError:
            dataset.errors.append(
                RowError(
                    line,
                    _("Teacher %(key)s: %(value)s is not an e-mail address.")
                    % {"key": key, "value": _text(el, "emailadres")},
                )
            )
            continue
        if not email:
            # Without an address a teacher cannot get an account; the pupils can still be imported.
            dataset.warnings.append(
                RowError(
                    line,
                    _("Teacher %(name)s has no e-mail address and is skipped.")
                    % {"name": join_infix(_text(el, "voorvoegsel"), _text(el, "achternaam")) or key},
                )
            )
            continue
        school.teachers.append(
            SisTeacher(
                key=key,
                email=email,
                first_name=_text(el, "roepnaam"),
                last_name=join_infix(_text(el, "voorvoegsel"), _text(el, "achternaam")),
                group_keys=groups,
                line=line,
            )
        )
    return dataset
