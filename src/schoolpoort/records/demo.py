"""Records of the De Regenboog children of DEMO.md: cards with addresses, medical details for some,
invoices (paid and open), a support plan for Sem, notes in open and closed categories, and one
correction request from jansen@ waiting in the administration's queue. Lotte de Vries's separated
guardians: whoever has parental authority sees everything, the other what the school allows."""

from __future__ import annotations

import datetime
import json

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from schoolpoort.core.scopes import school_scope
from schoolpoort.lib.demo import REGENBOOG, DemoWorld

from .corrections import _tell, due_date, office_ids
from .models import CorrectionRequest, Invoice, MedicalInfo, Note, NoteCategory, StudentCard, SupportPlan

LETTERS = "ABCDEFGHJKLMNPRSTVWXZ"
CHILDREN = ["Noor Jansen", "Sem Jansen", "Lotte de Vries", "Yasmina El Moussaoui", "Daan Smit"]
MEDICAL = {
    "Noor Jansen": dict(allergies="Pinda-allergie", medication="EpiPen in de rugzak", doctor="Huisartsenpraktijk Oost"),
    "Daan Smit": dict(diet="Glutenvrij", doctor="Gezondheidscentrum Noord", dentist="Tandarts Bosch"),
}


def load_demo(world: DemoWorld) -> None:
    # Outside any request: the demo declares the one school it fills (core/scopes.py).
    with school_scope(world.schools[REGENBOOG]):
        _load(world)


def _load(world: DemoWorld) -> None:
    rng = world.rng_for("records")
    faker = world.faker_for("records")
    school = world.schools[REGENBOOG]
    today = timezone.localdate()
    categories = {
        name: NoteCategory.objects.create(school=school, name=name, open_to_guardians=open_, guardians_react=react)
        for name, open_, react in [
            ("Gesprekspunten ouderavond", True, True),
            ("Observatie", True, False),
            ("Intern zorgoverleg", False, False),
        ]
    }
    teacher = (world.teachers.get((REGENBOOG, "3")) or [None])[0]
    for name in CHILDREN:
        student = world.students.get(name)
        if student is None:
            continue
        StudentCard.objects.create(
            student=student,
            street=f"{faker.street_name()} {rng.randint(1, 120)}",
            postal_code=f"35{rng.randint(10, 99)} {''.join(rng.choices(LETTERS, k=2))}",
            city="Utrecht",
            phone=f"030 {rng.randint(200, 899)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
            email=f"{student.last_name.lower().replace(' ', '')}@ouders.example",
        )
        if name in MEDICAL:
            MedicalInfo.objects.create(student=student, **MEDICAL[name])
        Invoice.objects.create(
            student=student,
            description="Vrijwillige ouderbijdrage",
            amount="45.00",
            amount_paid="45.00",
            status=Invoice.Status.PAID,
            paid_on=today - datetime.timedelta(days=rng.randint(20, 60)),
        )
        Invoice.objects.create(
            student=student, description="Schoolreis", amount="32.50", due_on=today + datetime.timedelta(days=14)
        )
        for days_ago, category, text in [
            (
                rng.randint(5, 20),
                "Gesprekspunten ouderavond",
                f"Graag bespreken: hoe {student.first_name} thuis leest.",
            ),
            (rng.randint(25, 60), "Observatie", f"{student.first_name} werkt geconcentreerd en helpt anderen."),
            (rng.randint(10, 40), "Intern zorgoverleg", "Besproken in het zorgoverleg; geen actie nodig."),
        ]:
            Note.objects.create(
                student=student,
                category=categories[category],
                date=today - datetime.timedelta(days=days_ago),
                text=text,
                author=teacher,
            )
    sem = world.students.get("Sem Jansen")
    if sem is not None:
        SupportPlan.objects.create(
            student=sem,
            title="Plan rekenen: tafels en breuken",
            starts_on=today - datetime.timedelta(days=30),
            ends_on=today + datetime.timedelta(days=90),
            goals="Sem oefent drie keer per week de tafels in de verlengde instructie.\nDoel: tafels 1-10 vlot.",
            created_by=(world.teachers.get((REGENBOOG, "6")) or [None])[0],
        )
    noor, jansen = world.students.get("Noor Jansen"), world.users.get("jansen@ouders.example")
    if noor is not None and jansen is not None:
        card = StudentCard.objects.get(student=noor)
        request = CorrectionRequest.objects.create(
            student=noor,
            school=school,
            subject=CorrectionRequest.Subject.CARD,
            changes=json.dumps({"mobile": [card.mobile, "06 12345678"]}),
            comment="Nieuw mobiel nummer",
            requested_by=jansen,
            due_on=due_date(school, today),
        )
        # The office hears of it as ``propose`` tells it (issue 15: the notification centre).
        _tell(office_ids(school) - {jansen.pk}, lambda: _("Correction request for %(name)s") % {"name": noor.full_name},
              event="records.correction_received", request=request,
              url=reverse("records:correction", args=[request.pk]))
