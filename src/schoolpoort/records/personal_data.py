"""The personal data of records (the leerlingdossier), for the register
(schoolpoort.lib.personal_data). The school keeps the file for its task while the pupil is at
school and two years after (model privacy regulations PO), also when a family asks for erasure."""

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import Contact, CorrectionRequest, MedicalInfo, Note, SupportPlan


def _leavers(model, school_path="student__school"):
    def expired(school, cutoff):
        return (
            model.objects.filter(**{school_path: school, "student__archived_at__lt": cutoff})
            .only("pk")
            .order_by("pk")
        )

    return expired


def register() -> list[Entry]:
    who = _("The pupil's teachers, the intern supervisor (IB), the administration and director; "
            "guardians with parental authority, where the school opened it.")
    source = _("2 years after leaving (model privacy regulations PO: leerlingdossier).")
    common = dict(basis=Basis.PUBLIC_TASK, who=who, anchor=Anchor.LEFT, term=Term(24), source=source,
                  erase=delete_items, describe=label)
    return [
        Entry(
            key="records.notes",
            label=_("Notes in the pupil's file (encrypted)"),
            purpose=_("Following the pupil's development and care (WPO art. 8)."),
            expired=_leavers(Note),
            **common,
        ),
        Entry(
            key="records.plans",
            label=_("Support plans and development perspectives (encrypted)"),
            purpose=_("Extra support for the pupil (WPO art. 40a, passend onderwijs)."),
            expired=_leavers(SupportPlan),
            **common,
        ),
        Entry(
            key="records.medical",
            label=_("Medical information and emergency contacts (encrypted)"),
            purpose=_("The pupil's safety and care at school."),
            expired=_leavers(MedicalInfo),
            **common,
        ),
        Entry(
            key="records.contacts",
            label=_("Other contacts of the pupil (emergency numbers)"),
            purpose=_("The pupil's safety and care at school."),
            expired=_leavers(Contact),
            **common,
        ),
        Entry(
            key="records.corrections",
            label=_("Requests to correct the pupil's data"),
            purpose=_("Handling parents' right to rectification (AVG art. 16)."),
            expired=_leavers(CorrectionRequest, "school"),
            **common,
        ),
    ]
