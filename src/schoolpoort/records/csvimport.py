"""CSV imports of the records from the school administration (columns: docs/records.md).

Four kinds, each keyed on ``leerlingnummer`` (``Student.sis_id`` of the school's current pupils):
personal data with the emergency contacts, medical details, invoices (keyed on the
administration's own invoice number) and notes (category by name). They follow the pattern of
``schoolpoort.lib.csv``: ``make_plan(school, kind, data)`` reads and validates every row and looks
up what exists in a constant number of queries, writing nothing (the dry run); the page parks the
file in ``core.staging``, whose ``confirm`` computes the plan again inside a locked transaction and
``write``s it only when no row is bad and it is still the plan shown (``digest``). The same file
twice changes nothing.

Encrypted values (medical details, note texts) never appear in a plan's display, an error or the
command's output: a plan says *that* they change, not what they change into. Error messages do not
echo cell values of those columns either."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.core import staging
from schoolpoort.core.models import AuditEntry, Student
from schoolpoort.core.versions import content_changed
from schoolpoort.lib import dates
from schoolpoort.lib.csv import CsvTable, RowError, normalise_header, read_csv

from .models import Contact, Invoice, MedicalInfo, Note, NoteCategory, StudentCard

KINDS = {
    "card": gettext_lazy("Personal data and emergency contacts"),
    "medical": gettext_lazy("Medical details"),
    "invoices": gettext_lazy("Invoices"),
    "notes": gettext_lazy("Notes"),
}

# Dutch column → model field; the first name is the documented one, the others are accepted too.
CARD_COLUMNS = {
    "street": ["straat", "adres", "straatenhuisnummer"],
    "postal_code": ["postcode"],
    "city": ["plaats", "woonplaats"],
    "phone": ["telefoon", "telefoonthuis"],
    "mobile": ["mobiel", "mobielnummer"],
    "email": ["email", "emailadres"],
}
EMERGENCY_SLOTS = 3
EMERGENCY_COLUMNS = [
    f"noodcontact{n}{part}" for n in range(1, EMERGENCY_SLOTS + 1) for part in ("naam", "relatie", "telefoon")
]
MEDICAL_COLUMNS = {
    "allergies": ["allergieen", "allergieën", "allergie"],
    "medication": ["medicijnen", "medicatie"],
    "diet": ["dieet"],
    "doctor": ["huisarts"],
    "dentist": ["tandarts"],
    "notes": ["medischeopmerkingen", "opmerkingen"],
}
INVOICE_REQUIRED = ["leerlingnummer", "factuurnummer", "omschrijving", "bedrag"]
INVOICE_OPTIONAL = ["betaald", "status", "vervaldatum", "betaaldop", "kenmerk"]
NOTE_REQUIRED = ["leerlingnummer", "categorie", "datum", "tekst"]

DATE_FORMATS = ["%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%y"]
POSTAL_CODE = re.compile(r"^(\d{4})\s?([A-Za-z]{2})$")
STATUS_WORDS = {
    "open": Invoice.Status.OPEN,
    "openstaand": Invoice.Status.OPEN,
    "deelsbetaald": Invoice.Status.PARTLY,
    "gedeeltelijkbetaald": Invoice.Status.PARTLY,
    "deels": Invoice.Status.PARTLY,
    "partly": Invoice.Status.PARTLY,
    "betaald": Invoice.Status.PAID,
    "voldaan": Invoice.Status.PAID,
    "paid": Invoice.Status.PAID,
    "geannuleerd": Invoice.Status.CANCELLED,
    "vervallen": Invoice.Status.CANCELLED,
    "gecrediteerd": Invoice.Status.CANCELLED,
    "cancelled": Invoice.Status.CANCELLED,
}
MAX_AMOUNT = Decimal("999999.99")
MAX_NOTE = 10_000


class BadValue(ValueError):
    pass


def _columns(spec: dict[str, list[str]]) -> list[str]:
    return [name for names in spec.values() for name in names]


COLUMNS = {
    "card": (["leerlingnummer"], _columns(CARD_COLUMNS) + EMERGENCY_COLUMNS),
    "medical": (["leerlingnummer"], _columns(MEDICAL_COLUMNS)),
    "invoices": (INVOICE_REQUIRED, INVOICE_OPTIONAL),
    "notes": (NOTE_REQUIRED, []),
}


# --- The plan ------------------------------------------------------------------------------------


@dataclass
class Item:
    """One line of the preview: who, what, and (field label, old, new, hidden) per change. ``hidden``
    changes are encrypted values: shown as "changed", never with their text."""

    line: int
    student: Student
    what: str = ""
    changes: list[tuple[str, str, str, bool]] = field(default_factory=list)


@dataclass
class Plan:
    kind: str
    added: list[Item] = field(default_factory=list)
    changed: list[Item] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    # What apply() writes.
    creates: list[models.Model] = field(default_factory=list)
    updates: list[models.Model] = field(default_factory=list)
    update_fields: list[str] = field(default_factory=list)
    replaced_contacts: list[int] = field(default_factory=list)  # students whose emergency contacts go

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed)


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def _shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.date):
        return dates.style(value, "numeric")
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


def _diff(obj, values: dict, hidden: bool = False) -> list[tuple[str, str, str, bool]]:
    """Changes ``values`` makes to ``obj`` (applied to it), for display."""
    changes = []
    for name, new in values.items():
        old = getattr(obj, name)
        if old != new:
            changes.append(
                (_label(type(obj), name), "" if hidden else _shown(old), "" if hidden else _shown(new), hidden)
            )
            setattr(obj, name, new)
    return changes


# --- Cells ---------------------------------------------------------------------------------------


def parse_date(value: str) -> datetime.date:
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value.strip(), fmt).date()
        except ValueError:
            continue
    raise BadValue(_("“%(value)s” is not a date (use dd-mm-yyyy).") % {"value": value})


def parse_amount(value: str) -> Decimal:
    text = value.replace("€", "").replace("EUR", "").replace(" ", "").strip()
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # Dutch: 1.234,50
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise BadValue(_("“%(value)s” is not an amount.") % {"value": value}) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise BadValue(_("%(value)s is not an amount from 0 to 999999.99.") % {"value": value})
    return amount.quantize(Decimal("0.01"))


def _text(value: str, limit: int, column: str, secret: bool = False) -> str:
    if len(value) > limit:
        if secret:  # never echo medical text
            raise BadValue(_("%(column)s is longer than %(limit)s characters.") % {"column": column, "limit": limit})
        raise BadValue(
            _("%(column)s “%(value)s…” is longer than %(limit)s characters.")
            % {"column": column, "value": value[:30], "limit": limit}
        )
    return value


def _postal_code(value: str) -> str:
    if not value:
        return ""
    match = POSTAL_CODE.match(value.strip())
    if not match:
        raise BadValue(_("“%(value)s” is not a Dutch postal code, such as 3526 KT.") % {"value": value})
    return f"{match[1]} {match[2].upper()}"


def _email(value: str) -> str:
    if value:
        try:
            validate_email(value)
        except ValidationError:
            raise BadValue(_("“%(value)s” is not an e-mail address.") % {"value": value}) from None
    return value


def _present_columns(table: CsvTable, spec: dict[str, list[str]]) -> dict[str, str]:
    found = set(table.columns)
    present = {}
    for name, columns in spec.items():
        for column in columns:
            if normalise_header(column) in found:
                present[name] = normalise_header(column)
                break
    return present


# --- Pupils --------------------------------------------------------------------------------------


def _pupils(school, table: CsvTable) -> dict[str, Student]:
    numbers = {row["leerlingnummer"] for _line, row in table.rows if row.get("leerlingnummer")}
    return {
        student.sis_id: student
        for student in Student.objects.filter(school=school, sis_id__in=numbers, archived_at__isnull=True).only(
            "pk", "sis_id", "first_name", "infix", "last_name", "school_id"
        )
    }


def _pupil(pupils: dict[str, Student], row: dict) -> Student:
    number = row["leerlingnummer"]
    if not number:
        raise BadValue(_("The pupil number (leerlingnummer) is empty."))
    if number not in pupils:
        raise BadValue(_("No current pupil with number %(number)s at this school.") % {"number": number})
    return pupils[number]


def _once(seen: dict, key, line: int, message: str) -> None:
    if key in seen:
        raise BadValue(message % {"line": seen[key]})
    seen[key] = line


# --- Personal data and emergency contacts -------------------------------------------------------


def plan_card(school, table: CsvTable, user=None) -> Plan:
    plan = Plan("card", errors=list(table.errors))
    present = _present_columns(table, CARD_COLUMNS)
    with_contacts = any(column in table.columns for column in EMERGENCY_COLUMNS)
    if table.columns and not present and not with_contacts:
        plan.errors.append(RowError(1, _("The file has no columns of personal data or emergency contacts.")))
    if plan.errors and not table.rows:
        return plan
    pupils = _pupils(school, table)
    cards = {card.student_id: card for card in StudentCard.objects.filter(student__in=pupils.values())}
    contacts: dict[int, list[Contact]] = defaultdict(list)
    if with_contacts:
        for contact in Contact.objects.filter(student__in=pupils.values(), is_emergency=True).order_by("order", "pk"):
            contacts[contact.student_id].append(contact)
    seen: dict = {}
    for line, row in table.rows:
        try:
            student = _pupil(pupils, row)
            _once(seen, student.pk, line, _("This pupil is also on line %(line)s."))
            values = {}
            for name, column in present.items():
                value = row[column]
                if name == "postal_code":
                    value = _postal_code(value)
                elif name == "email":
                    value = _email(value)
                limit = StudentCard._meta.get_field(name).max_length
                values[name] = _text(value, limit, column)
            wanted = []
            if with_contacts:
                for n in range(1, EMERGENCY_SLOTS + 1):
                    name, relation, phone = (
                        row.get(f"noodcontact{n}{part}", "") for part in ("naam", "relatie", "telefoon")
                    )
                    if not (name or relation or phone):
                        continue
                    if not name:
                        raise BadValue(_("Emergency contact %(n)s has no name (noodcontact%(n)snaam).") % {"n": n})
                    wanted.append(
                        (
                            _text(name, 200, f"noodcontact{n}naam"),
                            _text(relation, 100, f"noodcontact{n}relatie"),
                            _text(phone, 30, f"noodcontact{n}telefoon"),
                        )
                    )
        except BadValue as error:
            plan.errors.append(RowError(line, str(error)))
            continue
        item = Item(line, student)
        card = cards.get(student.pk)
        if card is None:
            card = StudentCard(student=student)
            item.changes = _diff(card, values)
            if item.changes:
                plan.creates.append(card)
        else:
            item.changes = _diff(card, values)
            if item.changes:
                plan.updates.append(card)
        if with_contacts:
            have = [(c.name, c.relation, c.phone) for c in contacts.get(student.pk, [])]
            if have != wanted:
                item.changes.append(
                    (
                        str(_("emergency contacts")),
                        "; ".join(" ".join(filter(None, contact)) for contact in have),
                        "; ".join(" ".join(filter(None, contact)) for contact in wanted),
                        False,
                    )
                )
                if have:
                    plan.replaced_contacts.append(student.pk)
                plan.creates.extend(
                    Contact(student=student, name=name, relation=relation, phone=phone, is_emergency=True, order=order)
                    for order, (name, relation, phone) in enumerate(wanted, start=1)
                )
        _file(plan, item, added=student.pk not in cards and bool(values))
    plan.update_fields = [*present, "updated_at"]
    return plan


def _file(plan: Plan, item: Item, added: bool) -> None:
    if not item.changes:
        plan.unchanged += 1
    elif added:
        plan.added.append(item)
    else:
        plan.changed.append(item)


# --- Medical details -----------------------------------------------------------------------------


def plan_medical(school, table: CsvTable, user=None) -> Plan:
    plan = Plan("medical", errors=list(table.errors))
    present = _present_columns(table, MEDICAL_COLUMNS)
    if table.columns and not present:
        plan.errors.append(RowError(1, _("The file has no columns of medical details.")))
        return plan
    pupils = _pupils(school, table)
    existing = {info.student_id: info for info in MedicalInfo.objects.filter(student__in=pupils.values())}
    seen: dict = {}
    for line, row in table.rows:
        try:
            student = _pupil(pupils, row)
            _once(seen, student.pk, line, _("This pupil is also on line %(line)s."))
            values = {name: _text(row[column], 2000, column, secret=True) for name, column in present.items()}
        except BadValue as error:
            plan.errors.append(RowError(line, str(error)))
            continue
        info = existing.get(student.pk)
        added = info is None
        if added:
            info = MedicalInfo(student=student)
        item = Item(line, student, changes=_diff(info, values, hidden=True))
        if item.changes:
            (plan.creates if added else plan.updates).append(info)
        _file(plan, item, added)
    plan.update_fields = [*present, "updated_at"]
    return plan


# --- Invoices ------------------------------------------------------------------------------------


def _invoice_values(row: dict, columns: set[str]) -> dict:
    amount = parse_amount(row["bedrag"])
    description = _text(row["omschrijving"], 200, "omschrijving")
    if not description:
        raise BadValue(_("The description (omschrijving) is empty."))
    paid = parse_amount(row["betaald"]) if row.get("betaald") else None
    paid_on = parse_date(row["betaaldop"]) if row.get("betaaldop") else None
    status_word = normalise_header(row.get("status", ""))
    if status_word:
        if status_word not in STATUS_WORDS:
            raise BadValue(
                _("Unknown status “%(value)s”; use open, deels betaald, betaald or geannuleerd.")
                % {"value": row["status"]}
            )
        status = STATUS_WORDS[status_word]
    elif paid_on or (paid is not None and paid >= amount > 0):
        status = Invoice.Status.PAID
    elif paid:
        status = Invoice.Status.PARTLY
    else:
        status = Invoice.Status.OPEN
    if paid is None:
        paid = amount if status == Invoice.Status.PAID else Decimal("0.00")
    if paid > amount:
        raise BadValue(_("More has been paid (betaald) than the amount (bedrag)."))
    values = {
        "description": description,
        "amount": amount,
        "amount_paid": paid,
        "status": status,
        "due_on": parse_date(row["vervaldatum"]) if row.get("vervaldatum") else None,
        "paid_on": paid_on,
    }
    if "vervaldatum" not in columns:
        del values["due_on"]
    if "betaaldop" not in columns:
        del values["paid_on"]
    if "kenmerk" in columns:
        values["reference"] = _text(row["kenmerk"], 64, "kenmerk")
    return values


def plan_invoices(school, table: CsvTable, user=None) -> Plan:
    plan = Plan("invoices", errors=list(table.errors))
    columns = set(table.columns)
    pupils = _pupils(school, table)
    keys = {row["factuurnummer"] for _line, row in table.rows if row.get("factuurnummer")}
    existing = {
        invoice.external_key: invoice
        for invoice in Invoice.objects.filter(student__school=school, external_key__in=keys).select_related("student")
    }
    seen: dict = {}
    for line, row in table.rows:
        try:
            student = _pupil(pupils, row)
            key = _text(row["factuurnummer"], 64, "factuurnummer")
            if not key:
                raise BadValue(_("The invoice number (factuurnummer) is empty."))
            _once(seen, key, line, _("The same invoice number as on line %(line)s."))
            values = _invoice_values(row, columns)
            invoice = existing.get(key)
            if invoice is not None and invoice.student_id != student.pk:
                raise BadValue(
                    _("Invoice %(key)s belongs to another pupil (%(number)s).")
                    % {"key": key, "number": invoice.student.sis_id or "-"}
                )
        except BadValue as error:
            plan.errors.append(RowError(line, str(error)))
            continue
        added = invoice is None
        if added:
            invoice = Invoice(student=student, external_key=key)
        item = Item(line, student, what=key, changes=_diff(invoice, values))
        if item.changes:
            (plan.creates if added else plan.updates).append(invoice)
        _file(plan, item, added)
    plan.update_fields = ["description", "amount", "amount_paid", "status"] + [
        name
        for name, column in (("due_on", "vervaldatum"), ("paid_on", "betaaldop"), ("reference", "kenmerk"))
        if column in columns
    ]
    return plan


# --- Notes ---------------------------------------------------------------------------------------


def plan_notes(school, table: CsvTable, user=None) -> Plan:
    """Notes have no key of their own: a note with the same pupil, category, date and text is
    already there (texts are compared decrypted, in Python), so a file imports once."""
    plan = Plan("notes", errors=list(table.errors))
    pupils = _pupils(school, table)
    categories = {category.name.casefold(): category for category in NoteCategory.objects.filter(school=school)}
    existing = {
        (note.student_id, note.category_id, note.date, note.text)
        for note in Note.objects.filter(student__in=pupils.values()).only("student_id", "category_id", "date", "text")
    }
    seen: dict = {}
    for line, row in table.rows:
        try:
            student = _pupil(pupils, row)
            category = categories.get(row["categorie"].strip().casefold())
            if category is None:
                raise BadValue(
                    _("Unknown note category “%(value)s”; add it on the categories page or use one of: %(names)s.")
                    % {"value": row["categorie"], "names": ", ".join(c.name for c in categories.values()) or "-"}
                )
            day = parse_date(row["datum"])
            text = _text(row["tekst"], MAX_NOTE, "tekst", secret=True)
            if not text:
                raise BadValue(_("The text (tekst) is empty."))
            key = (student.pk, category.pk, day, text)
            _once(seen, key, line, _("The same note as on line %(line)s."))
        except BadValue as error:
            plan.errors.append(RowError(line, str(error)))
            continue
        if key in existing:
            plan.unchanged += 1
            continue
        plan.creates.append(Note(student=student, category=category, date=day, text=text, author=user))
        plan.added.append(
            Item(line, student, what=f"{category.name} {_shown(day)}", changes=[(_label(Note, "text"), "", "", True)])
        )
    return plan


# --- Dry run and apply ---------------------------------------------------------------------------

PLANNERS = {"card": plan_card, "medical": plan_medical, "invoices": plan_invoices, "notes": plan_notes}


def make_plan(school, kind: str, data: bytes, user=None) -> Plan:
    """The dry run: what importing ``data`` would add and change, and every bad row. Writes nothing."""
    required, optional = COLUMNS[kind]
    return PLANNERS[kind](school, read_csv(data, required, optional), user)


def digest(plan: Plan) -> str:
    """What the preview of ``plan`` shows, as a digest: a confirmation applies only that."""
    items = [(i.line, i.student.pk, i.what, i.changes) for i in plan.added + plan.changed]
    return staging.plan_digest(plan.kind, items, plan.unchanged, [(e.line, e.message) for e in plan.errors])


def write(school, plan: Plan, user=None) -> bool:
    """Write ``plan``; nothing (False) when any row is bad. Call inside a transaction."""
    if plan.errors:
        return False
    if plan.is_empty:
        return True
    now = timezone.now()
    if plan.replaced_contacts:
        Contact.objects.filter(student_id__in=plan.replaced_contacts, is_emergency=True).delete()
    by_model: dict[type, list] = defaultdict(list)
    for obj in plan.creates:
        by_model[type(obj)].append(obj)
    for model, objs in by_model.items():
        model.objects.bulk_create(objs)
    if plan.updates:
        for obj in plan.updates:
            if hasattr(obj, "updated_at"):
                obj.updated_at = now  # bulk_update skips auto_now
        model = type(plan.updates[0])
        fields = [name for name in plan.update_fields if hasattr(model, name)]
        model.objects.bulk_update(plan.updates, fields, batch_size=500)
    content_changed("records")  # bulk_create and bulk_update pass the signals (records/signals.py)
    AuditEntry.record(
        user, "records.import", school=school, kind=plan.kind, added=len(plan.added), changed=len(plan.changed)
    )
    return True


def apply(school, kind: str, data: bytes, user=None) -> Plan:
    """Import ``data`` at once (the command): every row or, when any row is bad, none."""
    with transaction.atomic():
        plan = make_plan(school, kind, data, user)
        write(school, plan, user)
        return plan
