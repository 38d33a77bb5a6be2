"""The personal data of conferences, for the register (schoolpoort.lib.personal_data)."""

from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import Appointment, Preference, Round


def _old_rounds(school, cutoff):
    """Rounds whose bookings closed before ``cutoff``: their appointments and preferences go, the
    round itself stays as the school's planning."""
    return list(Appointment.objects.filter(round__school=school, round__booking_closes_at__lt=cutoff).order_by("pk"))


def _erase(items) -> int:
    rounds = {item.round_id for item in items}
    Preference.objects.filter(round_id__in=rounds).delete()
    return delete_items(items)


def _erase_family(school, student_ids, user_ids) -> int:
    count, _ = Preference.objects.filter(round__in=Round.objects.filter(school=school), user_id__in=user_ids).delete()
    return count


def register() -> list[Entry]:
    return [
        Entry(
            key="conferences.bookings",
            label=_("Parent-teacher conference bookings and preferred times"),
            purpose=_("Planning the conversations between parents and teachers."),
            basis=Basis.LEGITIMATE_INTEREST,
            who=_("The family; the teachers of the conversation; the school's administration and director."),
            anchor=Anchor.CREATED,
            term=Term(12),
            source=_("1 year after the round closed (model privacy regulations PO, correspondence)."),
            expired=_old_rounds,
            erase=_erase,
            erase_family=_erase_family,
            describe=label,
        ),
    ]
