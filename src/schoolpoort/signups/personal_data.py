"""The personal data of signups, for the register (schoolpoort.lib.personal_data)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from schoolpoort.lib.personal_data import Anchor, Basis, Entry, Term, delete_items, label

from .models import Reaction, Response, SquarePost


def _old_responses(school, cutoff):
    return Response.objects.filter(form__school=school, form__created_at__lt=cutoff).only("pk").order_by("pk")


def _old_square_posts(school, cutoff):
    return SquarePost.objects.filter(school=school, created_at__lt=cutoff).only("pk").order_by("pk")


def _erase_family_answers(school, student_ids, user_ids) -> int:
    count, _ = Response.objects.filter(form__school=school).filter(
        Q(student_id__in=student_ids) | Q(family_user_id__in=user_ids) | Q(responded_by_id__in=user_ids)
    ).delete()
    return count


def _erase_family_reactions(school, student_ids, user_ids) -> int:
    count, _ = Reaction.objects.filter(post__school=school, user_id__in=user_ids).delete()
    return count


def register() -> list[Entry]:
    return [
        Entry(
            key="signups.answers",
            label=_("Sign-up answers: who signs up for what, with the answers given"),
            purpose=_("Organising help, trips and activities with parents."),
            basis=Basis.LEGITIMATE_INTEREST,
            who=_("The staff who made the form; other parents only where the form shows names."),
            anchor=Anchor.CREATED,
            term=Term(12),
            source=_("1 year after the form was made (model privacy regulations PO)."),
            expired=_old_responses,
            erase=delete_items,
            erase_family=_erase_family_answers,
            describe=label,
        ),
        Entry(
            key="signups.square",
            label=_("Posts on the school square and parents' reactions"),
            purpose=_("Asking parents for help and input."),
            basis=Basis.LEGITIMATE_INTEREST,
            who=_("Parents of the post's groups; staff of the school."),
            anchor=Anchor.CREATED,
            term=Term(12),
            source=_("1 year (model privacy regulations PO)."),
            expired=_old_square_posts,
            erase=delete_items,
            erase_family=_erase_family_reactions,
            describe=label,
        ),
    ]
