import datetime

from schoolpoort.records.models import Invoice, MedicalInfo, Note, NoteCategory, StudentCard, SupportPlan

TODAY = datetime.date.today()


def fill_records(world):
    """One of everything for the world's child, with an open and a closed note category."""
    child = world.child
    StudentCard.objects.create(
        student=child,
        street="Lindelaan 4",
        postal_code="3526 KT",
        city="Utrecht",
        phone="030 123 45 67",
        email="thuis@example.org",
    )
    MedicalInfo.objects.create(
        student=child, allergies="Pinda-allergie", medication="EpiPen in de tas", doctor="Huisarts Kok"
    )
    Invoice.objects.create(student=child, description="Schoolreis", amount="35.00", due_on=TODAY)
    Invoice.objects.create(
        student=child,
        description="Ouderbijdrage",
        amount="50.00",
        amount_paid="50.00",
        status=Invoice.Status.PAID,
        paid_on=TODAY,
    )
    two_years_ago = TODAY - datetime.timedelta(days=730)
    old_plan = SupportPlan.objects.create(student=child, title="Oud plan lezen", starts_on=two_years_ago)
    new_plan = SupportPlan.objects.create(student=child, title="Plan rekenen", starts_on=TODAY, goals="Tafels oefenen")
    open_cat = NoteCategory.objects.create(
        school=world.school, name="Ouderavond", open_to_guardians=True, guardians_react=True
    )
    closed_cat = NoteCategory.objects.create(school=world.school, name="Intern", open_to_guardians=False)
    open_note = Note.objects.create(student=child, category=open_cat, date=TODAY, text="Gesprekspunt: lezen thuis")
    closed_note = Note.objects.create(student=child, category=closed_cat, date=TODAY, text="Interne observatie")
    old_note = Note.objects.create(
        student=child, category=open_cat, date=TODAY - datetime.timedelta(days=730), text="Oude notitie"
    )
    return {
        "old_plan": old_plan,
        "new_plan": new_plan,
        "open_note": open_note,
        "closed_note": closed_note,
        "old_note": old_note,
        "open_cat": open_cat,
        "closed_cat": closed_cat,
    }
