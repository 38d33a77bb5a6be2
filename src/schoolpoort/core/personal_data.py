"""The personal data core keeps, for the register (schoolpoort.lib.personal_data)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .access import reach_changed
from .models import AuditEntry, Guardianship, Student

ERASED_NAME = "-"  # the first name of a pupil whose administration term has passed


def _former_pupils(school, cutoff):
    return Student.objects.filter(school=school, archived_at__lt=cutoff).exclude(
        first_name=ERASED_NAME, last_name=""
    )


def _anonymise_pupils(items) -> int:
    ids = [item.pk for item in items]
    Guardianship.objects.filter(student_id__in=ids).delete()
    erased = Student.objects.filter(pk__in=ids).update(
        first_name=ERASED_NAME, infix="", last_name="", date_of_birth=None, sis_id=""
    )
    reach_changed()  # an update sends no signal (the guardianships' deletes did)
    return erased


def _audit_entries(school, cutoff):
    return AuditEntry.objects.filter(school=school, created_at__lt=cutoff).only("pk", "action", "created_at")


def _family_guardian_contacts(school, student_ids, user_ids) -> int:
    """What the school knows of the family's guardians beside their accounts: phone numbers
    and e-mail addresses the office typed in. Names stay: they are pupil administration."""
    return Guardianship.objects.filter(student_id__in=student_ids).filter(
        ~Q(email="") | ~Q(phone="")
    ).update(email="", phone="")


def register() -> list[Entry]:
    return [
        Entry(
            key="core.pupils",
            label=_("Pupil administration: name, date of birth, groups, guardians and their contact details"),
            purpose=_("Enrolment, funding and the pupil's school career (leerlingadministratie)."),
            basis=Basis.LEGAL_OBLIGATION,
            who=_("The school's administration and director; teachers of the pupil's group; the pupil's guardians."),
            anchor=Anchor.LEFT,
            term=Term(60),
            source=_("Funding records: 5 years (Besluit vrijstelling Wbp art. 19; model privacy regulations PO)."),
            expired=_former_pupils,
            erase=_anonymise_pupils,
            describe=label,
        ),
        Entry(
            key="core.guardian_contacts",
            label=_("Guardians' e-mail addresses and phone numbers known to the school"),
            purpose=_("Reaching the parents of a pupil."),
            basis=Basis.PUBLIC_TASK,
            who=_("The school's administration and director; teachers of the pupil's group."),
            anchor=Anchor.LEFT,
            term=Term(60),
            source=_("Erased with the pupil administration (see above), or on request."),
            erase_family=_family_guardian_contacts,
        ),
        Entry(
            key="core.audit",
            label=_("Audit log: who at school read or changed sensitive data, and when"),
            purpose=_("Accountability for access to pupils' data (AVG art. 5(2) and 32)."),
            basis=Basis.LEGITIMATE_INTEREST,
            who=_("The director and the board admin; guardians see who viewed their child's data."),
            anchor=Anchor.CREATED,
            term=Term(24),
            source=_("2 years: long enough to answer a question about access (Privacyconvenant Onderwijs)."),
            expired=_audit_entries,
            erase=delete_items,
            describe=label,
        ),
    ]
