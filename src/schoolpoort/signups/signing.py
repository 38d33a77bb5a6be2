"""Signing up, changing and withdrawing: the domain the pages and a later JSON API share.

Capacity is never exceeded, also when many parents sign up at the same moment. Every write runs
in one transaction that takes its row locks in one global order — the pupils it answers for (so
that two guardians of one family never both make a new answer), then the answer itself, then the
options it adds or removes, by id — so two parents after the same options never wait on each other
in a circle. Under those locks it checks ``taken`` against ``capacity`` and moves ``taken`` with
F(); the database refuses ``taken > capacity`` (a CheckConstraint) as the last line. A parent who
loses the race gets ``OptionFull`` with a clear message naming what is still free.

Until the deadline parents may sign up, change and withdraw; after it the answers are read-only.
The caller has decided that the user may answer for this child or family (``audience.py``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from schoolpoort.core.models import Student

from .audience import audience_slots, co_guardian_ids, family_response
from .models import Answer, Form, Option, Question, Response

FREE_OPTIONS_IN_MESSAGE = 6
ALTERNATIVES = 3


class SignupError(Exception):
    """An answer that cannot be saved; ``message`` says why."""

    code = "invalid"

    def __init__(self, message: str, free_options=()):
        super().__init__(message)
        self.message = message
        self.free_options = list(free_options)


class OptionFull(SignupError):
    """``free_options``: what is still free in the same questions, nearest to the full ones first;
    ``alternatives``: the nearest few of them, to offer instead."""

    code = "full"

    @property
    def alternatives(self) -> list[Option]:
        return self.free_options[:ALTERNATIVES]


class SignupClosed(SignupError):
    code = "closed"


class AnsweredMeanwhile(SignupError):
    """Another guardian answered for the same child or family between the page and the save."""

    code = "conflict"


class _Full(Exception):
    def __init__(self, options: list[Option]):
        self.options = options


@dataclass(frozen=True)
class Choices:
    """What a parent chose: option ids, and the text of each open question (by question id)."""

    options: frozenset[int] = frozenset()
    texts: dict[int, str] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not self.options and not any(text.strip() for text in self.texts.values())


# --- Reading -------------------------------------------------------------------------------------


def current_response(form: Form, user, student=None) -> Response | None:
    """The answer the user sees and changes: the child's (per child) or the family's."""
    if form.per_child:
        return Response.objects.filter(form=form, student=student).select_related("responded_by").first()
    return family_response(user, form)


def _quoted(option: Option) -> str:
    return f"“{option.label}”"


def _free_text(option: Option) -> str:
    if option.capacity is None:
        return _quoted(option)
    return ngettext("%(option)s (%(count)d place)", "%(option)s (%(count)d places)", option.free) % {
        "option": _quoted(option),
        "count": option.free,
    }


def full_message(full: list[Option], free: list[Option]) -> str:
    names = ", ".join(_quoted(option) for option in full)
    message = ngettext(
        "Sorry, %(options)s is full: other parents were just before you.",
        "Sorry, %(options)s are full: other parents were just before you.",
        len(full),
    ) % {"options": names}
    if free:
        message += " " + _("Still free: %(options)s.") % {
            "options": ", ".join(_free_text(option) for option in free[:FREE_OPTIONS_IN_MESSAGE])
        }
    else:
        message += " " + _("There are no free places left.")
    return message


def nearest_first(full: list[Option], free: list[Option]) -> list[Option]:
    """The free options ordered by how near they are to a full one of their question (volunteer
    slots are in time order: the next and the previous slot first), then in form order."""
    positions: dict[int, list[int]] = {}
    for option in full:
        positions.setdefault(option.question_id, []).append(option.position)

    def nearness(option: Option) -> tuple:
        near = min((abs(option.position - p) for p in positions.get(option.question_id, ())), default=10**6)
        return near, option.position, option.pk

    return sorted(free, key=nearness)


def _option_full(option_ids) -> OptionFull:
    """The clear "full" error, read again after the failed transaction (one query): the places as
    they are now, the nearest free ones first."""
    full_ids = set(option_ids)
    options = list(
        Option.objects.filter(question__in=Option.objects.filter(pk__in=list(full_ids)).values("question_id"))
        .order_by("question__position", "question_id", "position", "pk")
    )
    full = [option for option in options if option.pk in full_ids]
    full = [option for option in full if option.is_full] or full
    free = nearest_first(full, [option for option in options if not option.is_full])
    return OptionFull(full_message(full, free), free)


# --- Writing -------------------------------------------------------------------------------------


def _check_open(form: Form, now: datetime.datetime) -> None:
    if not form.is_open(now):
        raise SignupClosed(_("The deadline has passed: answers can no longer be changed."))


def _check_choices(form: Form, choices: Choices) -> None:
    """The options are the form's, one per single-choice question, texts only for open questions."""
    questions = {q.pk: q for q in Question.objects.filter(form=form)}
    options = dict(Option.objects.filter(question__form=form, pk__in=list(choices.options)).values_list(
        "pk", "question_id"
    ))
    if set(options) != set(choices.options):
        raise SignupError(_("That choice is not one of this form."))
    per_question: dict[int, int] = {}
    for question_id in options.values():
        per_question[question_id] = per_question.get(question_id, 0) + 1
    if any(count > 1 and not questions[pk].many for pk, count in per_question.items()):
        raise SignupError(_("Choose one answer to this question."))
    if any(questions.get(pk) is None or questions[pk].kind != Question.Kind.OPEN for pk in choices.texts):
        raise SignupError(_("That question is not one of this form."))
    if choices.is_empty:
        raise SignupError(_("Choose or fill in at least one answer."))


def _lock_students(form: Form, user, student) -> list[int]:
    """Locks the pupils answered for: the child, or the user's children in the audience (their ids)."""
    if student is not None:
        ids = [student.pk]
    else:
        ids = list(audience_slots(form).filter(user=user).values_list("student_id", flat=True))
    return list(
        Student.objects.select_for_update(no_key=True).filter(pk__in=sorted(set(ids))).order_by("pk")
        .values_list("pk", flat=True)
    )


def _lock_response(form: Form, user, student, child_ids: list[int]) -> Response | None:
    responses = Response.objects.select_for_update(no_key=True, of=("self",)).filter(form=form)
    if student is not None:
        return responses.filter(student=student).first()
    mine = list(responses.filter(family_user_id__in=co_guardian_ids(user, form, child_ids)).order_by("pk"))
    return next((r for r in mine if r.family_user_id == user.pk), mine[0] if mine else None)


def _lock_options(option_ids) -> dict[int, Option]:
    # of self: the scoped manager joins the question and the form, whose rows must stay unlocked
    # (two sign-ups locking them in another order than the options' ids would deadlock).
    locked = (
        Option.objects.select_for_update(no_key=True, of=("self",))
        .filter(pk__in=sorted(set(option_ids)))
        .order_by("pk")
    )
    return {option.pk: option for option in locked}


def submit(
    form: Form,
    user,
    choices: Choices,
    *,
    student=None,
    expected_response_id: int | None = None,
    now: datetime.datetime | None = None,
) -> Response:
    """Sign up, or change the answer, for ``student`` (per-child forms) or the user's family.
    ``expected_response_id`` is the answer the user saw (None: none yet), so that an answer another
    guardian saved meanwhile is never overwritten unseen. All or nothing."""
    now = now or timezone.now()
    _check_open(form, now)
    if form.per_child and student is None:
        raise SignupError(_("Choose the child you answer for."))
    student = student if form.per_child else None
    _check_choices(form, choices)
    added: set[int] = set()
    try:
        with transaction.atomic():
            child_ids = _lock_students(form, user, student)
            response = _lock_response(form, user, student, child_ids)
            if (response.pk if response else None) != expected_response_id:
                raise AnsweredMeanwhile(_answered_meanwhile(response, student))
            old = set(response.answers.filter(option__isnull=False).values_list("option_id", flat=True)) if response \
                else set()
            added, removed = set(choices.options) - old, old - set(choices.options)
            locked = _lock_options(added | removed)
            full = [locked[pk] for pk in sorted(added) if locked[pk].is_full]
            if full:
                raise _Full(full)
            if response is None:
                response = Response.objects.create(
                    form=form, student=student, family_user=None if student else user, responded_by=user
                )
            else:
                response.responded_by = user
                response.save(update_fields=["responded_by", "updated_at"])
            if removed:
                Answer.objects.filter(response=response, option_id__in=removed).delete()
                Option.objects.filter(pk__in=removed).update(taken=F("taken") - 1)
            if added:
                question_of = {pk: option.question_id for pk, option in locked.items()}
                Answer.objects.bulk_create(
                    Answer(response=response, question_id=question_of[pk], option_id=pk) for pk in sorted(added)
                )
                Option.objects.filter(pk__in=added).update(taken=F("taken") + 1)
            _save_texts(response, choices.texts)
            return response
    except _Full as full:
        raise _option_full([option.pk for option in full.options]) from None
    except IntegrityError:
        # The database's last line: a place taken by a bug elsewhere, or another guardian who made
        # the child's or family's answer first.
        if added and any(option.is_full for option in Option.objects.filter(pk__in=list(added))):
            raise _option_full(added) from None
        raise AnsweredMeanwhile(_answered_meanwhile(current_response(form, user, student), student)) from None


def _answered_meanwhile(response: Response | None, student) -> str:
    if response is None:
        return _("The answer was withdrawn meanwhile. Please check the form and save again.")
    if student is not None:
        return _("Another parent has just answered for %(child)s. Their answer is shown now; change it if needed.") % {
            "child": student.first_name
        }
    return _("Another parent has just answered for your family. Their answer is shown now; change it if needed.")


def _save_texts(response: Response, texts: dict[int, str]) -> None:
    existing = {a.question_id: a for a in Answer.objects.filter(response=response, option__isnull=True)}
    for question_id, text in texts.items():
        text = text.strip()
        answer = existing.get(question_id)
        if not text:
            if answer is not None:
                answer.delete()
        elif answer is None:
            Answer.objects.create(response=response, question_id=question_id, text=text)
        elif answer.text != text:
            answer.text = text
            answer.save(update_fields=["text"])


def withdraw(response: Response, user, *, now: datetime.datetime | None = None) -> bool:
    """Withdraw the answer (until the deadline): its places come free. Returns whether there was
    anything to withdraw."""
    now = now or timezone.now()
    _check_open(response.form, now)
    with transaction.atomic():
        locked = Response.objects.select_for_update(no_key=True, of=("self",)).filter(pk=response.pk).first()
        if locked is None:
            return False
        option_ids = list(locked.answers.filter(option__isnull=False).values_list("option_id", flat=True))
        _lock_options(option_ids)
        Option.objects.filter(pk__in=option_ids).update(taken=F("taken") - 1)
        locked.delete()
        return True


def set_capacity(option: Option, capacity: int | None) -> Option:
    """Change the number of places of an option; never below the parents already signed up."""
    with transaction.atomic():
        locked = Option.objects.select_for_update(no_key=True, of=("self",)).get(pk=option.pk)
        if capacity is not None and capacity < locked.taken:
            raise SignupError(
                ngettext(
                    "%(count)d parent has signed up already: the number of places cannot be lower.",
                    "%(count)d parents have signed up already: the number of places cannot be lower.",
                    locked.taken,
                )
                % {"count": locked.taken}
            )
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        return locked
