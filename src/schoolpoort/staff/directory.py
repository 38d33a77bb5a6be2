"""The staff directory of one school: who works there, as each agreed to be shown. Three queries,
whatever the number of staff: the memberships, the profiles and the groups they teach."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from schoolpoort.core.models import Group, School, StaffMembership

from .models import StaffProfile

ROLE_ORDER = {StaffMembership.Role.DIRECTOR: 0, StaffMembership.Role.TEACHER: 1, StaffMembership.Role.ADMINISTRATION: 2}


@dataclass
class Person:
    user_id: int
    name: str
    role: str
    initials: str
    photo_url: str | None = None
    days: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    sort_key: tuple = ()


def _initials(name: str) -> str:
    words = [word for word in name.split() if word[:1].isupper()] or name.split()
    return "".join(word[0] for word in (words[:1] + words[-1:] if len(words) > 1 else words)).upper()


def directory(school: School, today=None) -> list[Person]:
    roles: dict[int, list[str]] = {}
    users = {}
    for membership in StaffMembership.objects.filter(school=school).select_related("user"):
        roles.setdefault(membership.user_id, []).append(membership.role)
        users[membership.user_id] = membership.user
    profiles = {profile.user_id: profile for profile in StaffProfile.objects.filter(school=school)}
    taught: dict[int, list[Group]] = {}
    teaching = (
        Group.teachers.through.objects.filter(group__in=Group.objects.current(today).filter(school=school))
        .select_related("group")
        .order_by("group__grades", "group__name")
    )
    for row in teaching:
        taught.setdefault(row.user_id, []).append(row.group)

    labels = dict(StaffMembership.Role.choices)
    people = []
    for user_id, user in users.items():
        if not user.is_active:
            continue
        profile = profiles.get(user_id) or StaffProfile(user=user, school=school)
        member_roles = sorted(roles[user_id], key=lambda role: ROLE_ORDER.get(role, 9))
        name = profile.display_name or user.full_name
        role = profile.role_text or ", ".join(str(labels[role]) for role in member_roles).capitalize()
        groups = taught.get(user_id, [])
        person = Person(
            user_id=user_id,
            name=name,
            role=role,
            initials=_initials(name) or "?",
            sort_key=(ROLE_ORDER.get(member_roles[0], 9), groups[0].grades if groups else "", name.lower()),
        )
        if profile.pk and profile.show_photo and profile.photo:
            person.photo_url = photo_url(profile)
        if profile.show_days:
            person.days = profile.day_labels
        if profile.show_groups:
            person.groups = groups
        people.append(person)
    return sorted(people, key=lambda person: person.sort_key)


def photo_url(profile: StaffProfile) -> str:
    return f"{reverse('staff:photo', args=[profile.pk])}?v={int(profile.updated_at.timestamp())}"
