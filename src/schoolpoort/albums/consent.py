"""Asking for image consent (toestemming beeldgebruik): each school year, the guardians of a child answer per
use whether the school may use images of the child. Any guardian with parental authority may
answer for the child; the answer is the child's, so both parents see the same one (the last answer
counts). No answer counts as no consent.

Only children at schools where the albums module is switched on are asked. The answers are
``core.Consent``; the rule that every photo asks is ``core.consent``."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from schoolpoort.core.access import managed_school_ids, open_module_school_ids, taught_group_ids
from schoolpoort.core.models import AuditEntry, Consent, Enrollment, Group, Guardianship, SchoolYear, Student, Use
from schoolpoort.core.versions import content_changed

from .access import MODULE, enabled_module_school_ids
from .models import ConsentReminder

USES = [use.value for use in Use]
REMIND_EVERY = datetime.timedelta(days=7)


def current_year() -> SchoolYear:
    return SchoolYear.for_date(timezone.localdate())


def _this_year_q(prefix: str = "") -> Q:
    today = timezone.localdate()
    return Q(**{f"{prefix}school_year__starts_on__lte": today, f"{prefix}school_year__ends_on__gte": today})


# --- Guardians ---------------------------------------------------------------------------------


def guardian_children(user) -> list[Guardianship]:
    """The user's children at schools where the albums are open to them, with whether the user
    may answer for them (parental authority). One query."""
    return list(
        Guardianship.objects.filter(
            user=user, student__archived_at__isnull=True, student__school_id__in=open_module_school_ids(MODULE)
        )
        .select_related("student__school")
        .order_by("student__first_name", "student__pk")
    )


def pending_children(user) -> list[Student]:
    """The children the user may answer for and whose questions of this year are not all answered
    yet (for the home page). One query."""
    slots = (
        Guardianship.objects.filter(
            user=user,
            has_parental_authority=True,
            student__archived_at__isnull=True,
            student__school_id__in=open_module_school_ids(MODULE),
        )
        .annotate(answers=Count("student__image_consents", filter=_this_year_q("student__image_consents__")))
        .filter(answers__lt=len(USES))
        .select_related("student")
        .order_by("student__first_name", "student__pk")
    )
    return [slot.student for slot in slots]


def answers_for(student_ids, year: SchoolYear) -> dict[int, dict[str, Consent]]:
    """student id → use → answer, for the given year. One query."""
    answers: dict[int, dict[str, Consent]] = defaultdict(dict)
    for consent in Consent.objects.filter(student_id__in=list(student_ids), school_year=year):
        answers[consent.student_id][consent.use] = consent
    return answers


@transaction.atomic
def save_answers(user, student: Student, year: SchoolYear, given: dict[str, bool]) -> int:
    """Record the user's answers for one child; returns how many changed. The caller checked that
    the user may answer for the child."""
    existing = {c.use: c for c in Consent.objects.select_for_update().filter(student=student, school_year=year)}
    now = timezone.now()
    changed = 0
    for use, value in given.items():
        if use not in USES:
            raise ValueError(f"unknown use {use!r}")
        consent = existing.get(use)
        if consent is None:
            Consent.objects.create(student=student, school_year=year, use=use, given=value, answered_by=user,
                                   answered_at=now)
        elif consent.given != value:
            Consent.objects.filter(pk=consent.pk).update(given=value, answered_by=user, answered_at=now)
            content_changed("images")  # update() passes the signals (core/signals.py)
        else:
            continue
        changed += 1
    if changed:
        AuditEntry.record(user, "albums.consent_answered", student, school=student.school,
                          year=year.name, answers={use: given[use] for use in sorted(given)})
    return changed


# --- Staff ---------------------------------------------------------------------------------------


def staff_groups(user):
    """Current groups whose consent overview the user may see: every group of the schools they
    manage or administer, and the groups they teach; only where the albums are switched on."""
    return (
        Group.objects.current()
        .filter(Q(school_id__in=managed_school_ids(user)) | Q(pk__in=taught_group_ids(user)))
        .filter(school_id__in=enabled_module_school_ids())
        .select_related("school")
        .order_by("school__name", "grades", "name")
    )


@dataclass
class ChildRow:
    student: Student
    answers: dict[str, Consent | None]

    @property
    def cells(self) -> list[tuple[str, Consent | None]]:
        return [(use, self.answers.get(use)) for use in USES]

    @property
    def answered(self) -> bool:
        return all(self.answers.get(use) is not None for use in USES)

    @property
    def portal(self) -> bool:
        consent = self.answers.get(Use.PORTAL)
        return consent is not None and consent.given


@dataclass
class GroupOverview:
    group: Group
    year: SchoolYear
    rows: list[ChildRow] = field(default_factory=list)

    @property
    def unanswered(self) -> int:
        return sum(not row.answered for row in self.rows)

    @property
    def without_portal(self) -> int:
        return sum(not row.portal for row in self.rows)

    @property
    def totals(self) -> list[tuple[str, int]]:
        """(use, number of children with consent) per use."""
        return [(use, sum(1 for row in self.rows if (c := row.answers.get(use)) and c.given)) for use in USES]


def group_overview(group: Group, year: SchoolYear | None = None) -> GroupOverview:
    """The table of a group: every pupil × every use. Two queries."""
    year = year or current_year()
    students = list(
        Student.objects.filter(enrollments__group=group, archived_at__isnull=True).order_by("first_name", "last_name")
    )
    answers = answers_for([s.pk for s in students], year)
    return GroupOverview(group, year, [ChildRow(s, dict(answers.get(s.pk, {}))) for s in students])


@dataclass
class GroupSummary:
    group: Group
    pupils: int = 0
    unanswered: int = 0
    without_portal: int = 0


def group_summaries(groups, year: SchoolYear) -> list[GroupSummary]:
    """Per group: pupils, pupils not (fully) answered, pupils without portal consent. Two queries
    besides the groups."""
    groups = list(groups)
    pairs = list(
        Enrollment.objects.filter(group__in=groups, student__archived_at__isnull=True).values_list(
            "group_id", "student_id"
        )
    )
    counts: dict[int, int] = defaultdict(int)
    portal: set[int] = set()
    for student_id, use, given in Consent.objects.filter(
        school_year=year, student_id__in=[s for _g, s in pairs]
    ).values_list("student_id", "use", "given"):
        counts[student_id] += 1
        if use == Use.PORTAL and given:
            portal.add(student_id)
    summaries = {group.pk: GroupSummary(group) for group in groups}
    for group_id, student_id in pairs:
        summary = summaries[group_id]
        summary.pupils += 1
        summary.unanswered += counts[student_id] < len(USES)
        summary.without_portal += student_id not in portal
    return list(summaries.values())


# --- Reminders -----------------------------------------------------------------------------------


def unanswered_guardians(year: SchoolYear, group: Group | None = None):
    """Guardianships (with an active account and parental authority) of pupils at schools with
    the albums switched on whose questions of ``year`` are not all answered."""
    complete = (
        Consent.objects.filter(school_year=year)
        .values("student_id")
        .annotate(answers=Count("pk"))
        .filter(answers__gte=len(USES))
        .values("student_id")
    )
    slots = Guardianship.objects.filter(
        user__isnull=False,
        user__is_active=True,
        has_parental_authority=True,
        student__archived_at__isnull=True,
        student__school_id__in=enabled_module_school_ids(),
    ).exclude(student_id__in=complete)
    if group is not None:
        slots = slots.filter(student__enrollments__group=group)
    return slots


@transaction.atomic
def remind_unanswered(group: Group | None = None, actor=None, every: datetime.timedelta = REMIND_EVERY) -> int:
    """Notify the guardians who have not answered for a child yet (titles only), not more often
    than ``every``. Returns how many guardians were reminded."""
    from schoolpoort.notify.api import notify

    year = current_year()
    now = timezone.now()
    recently = ConsentReminder.objects.filter(school_year=year, sent_at__gt=now - every).values("user_id")
    rows = (
        unanswered_guardians(year, group)
        .exclude(user_id__in=recently)
        .values_list("user_id", "user__language", "student__school_id")
        .distinct()
    )
    first_seen: dict[int, tuple[str, int]] = {}
    for user_id, language, school_id in rows:
        first_seen.setdefault(user_id, (language or "nl", school_id))
    by_language: dict[tuple[str, int], set[int]] = defaultdict(set)
    for user_id, key in first_seen.items():
        by_language[key].add(user_id)
    users = set(first_seen)
    url = reverse("albums:consent")
    for (language, school_id), user_ids in sorted(by_language.items()):
        with translation.override(language):
            title = _("Photos at school: please answer the image consent questions for this school year")
        notify(sorted(user_ids), event="albums.consent_reminder", key=f"albums.consent:{year.pk}:{now:%Y%m%dT%H%M%S}",
               module=MODULE, title=title, url=url, school=school_id)
    for user_id in users:
        ConsentReminder.objects.update_or_create(user_id=user_id, school_year=year, defaults={"sent_at": now})
    if actor is not None and group is not None:
        AuditEntry.record(actor, "albums.consent_reminded", group, school=group.school, guardians=len(users))
    return len(users)
