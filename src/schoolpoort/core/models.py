"""The school world: boards, schools, school years, groups, pupils, guardians and staff, the
module switches, and the audit log. Who may see what lives in ``access.py`` and is reached
through the ``visible_to(user)`` managers below."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import access
from .consent_models import Consent, ImageTag, Use  # noqa: F401  (models of core, kept apart)
from .modules import module_choices


class Board(models.Model):
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("board")
        verbose_name_plural = _("boards")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.school_q(user))


class School(models.Model):
    class Region(models.TextChoices):
        NORTH = "noord", _("North")
        MIDDLE = "midden", _("Middle")
        SOUTH = "zuid", _("South")

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools", verbose_name=_("board"))
    name = models.CharField(_("name"), max_length=200)
    brin = models.CharField(_("BRIN code"), max_length=6, unique=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="schools/logos/", blank=True)
    region = models.CharField(_("vacation region"), max_length=6, choices=Region, default=Region.MIDDLE)
    registration_code_days = models.PositiveSmallIntegerField(
        _("registration codes valid for (days)"), default=14
    )

    objects = SchoolQuerySet.as_manager()

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolYearQuerySet(models.QuerySet):
    def current(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(starts_on__lte=today, ends_on__gte=today).first()


class SchoolYear(models.Model):
    """A Dutch school year runs from 1 August to 31 July and is the same for every school."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_date(cls, day: datetime.date) -> "SchoolYear":
        first_year = day.year if day.month >= 8 else day.year - 1
        year, _created = cls.objects.get_or_create(
            name=f"{first_year}-{first_year + 1}",
            defaults={
                "starts_on": datetime.date(first_year, 8, 1),
                "ends_on": datetime.date(first_year + 1, 7, 31),
            },
        )
        return year


class GroupQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.group_q(user))

    def current(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(school_year__starts_on__lte=today, school_year__ends_on__gte=today)


class Group(models.Model):
    """A class ("groep"): groep 1 to 8, or a combination group such as 5/6."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="groups", verbose_name=_("school"))
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.PROTECT, related_name="groups", verbose_name=_("school year")
    )
    name = models.CharField(_("name"), max_length=50)
    grades = models.CharField(_("grades"), max_length=20, help_text=_("For example 3, or 5/6."))
    teachers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="taught_groups", verbose_name=_("teachers")
    )
    sis_id = models.CharField(_("administration key"), max_length=64, blank=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["school_year", "grades", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="group_unique_name_per_year")
        ]

    def __str__(self) -> str:
        return self.name


class StudentQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.student_q(user))

    def active(self):
        return self.filter(archived_at__isnull=True)


class Student(models.Model):
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="students", verbose_name=_("school"))
    sis_id = models.CharField(_("pupil number"), max_length=64, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    infix = models.CharField(_("infix"), max_length=30, blank=True, help_text=_("For example: de, van, van der."))
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    archived_at = models.DateTimeField(_("left school at"), null=True, blank=True)
    groups = models.ManyToManyField(Group, through="Enrollment", related_name="students")

    objects = StudentQuerySet.as_manager()

    class Meta:
        verbose_name = _("pupil")
        verbose_name_plural = _("pupils")
        ordering = ["first_name", "last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "sis_id"], condition=~Q(sis_id=""), name="student_unique_sis_id_per_school"
            )
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)


class Enrollment(models.Model):
    """A pupil in a group in a school year (the year is the group's)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="enrollments")

    class Meta:
        verbose_name = _("enrollment")
        verbose_name_plural = _("enrollments")
        constraints = [models.UniqueConstraint(fields=["student", "group"], name="enrollment_unique")]

    def __str__(self) -> str:
        return f"{self.student} – {self.group}"


class Guardianship(models.Model):
    """A guardian slot of a pupil. It exists before the guardian registers (``user`` is empty
    then) and carries its own rights: being a family contact is not the same as parental
    authority."""

    class Relation(models.TextChoices):
        MOTHER = "mother", _("mother")
        FATHER = "father", _("father")
        PARENT = "parent", _("parent")
        GUARDIAN = "guardian", _("legal guardian")
        FOSTER = "foster", _("foster parent")
        OTHER = "other", _("other")

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="guardianships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guardianships",
        verbose_name=_("account"),
    )
    relation = models.CharField(_("relation"), max_length=10, choices=Relation, default=Relation.PARENT)
    # What the administration system knows, before and beside the account.
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail known to the school"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    has_parental_authority = models.BooleanField(
        _("parental authority"),
        default=True,
        help_text=_("Decides access to the child's records."),
    )
    sees_class_pages = models.BooleanField(
        _("sees class pages"),
        default=True,
        help_text=_(
            "Off for a parent without authority who only gets the important information the "
            "school must give (Dutch civil code art. 1:377c)."
        ),
    )
    receives_mail = models.BooleanField(_("receives mail"), default=True)
    hides_contact_from_other_guardians = models.BooleanField(
        _("hides own contact details from the other guardian"), default=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "user"], condition=Q(user__isnull=False), name="guardianship_unique_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.student})"

    @property
    def display_name(self) -> str:
        if self.user_id and self.user.full_name:
            return self.user.full_name
        return " ".join(p for p in (self.first_name, self.last_name) if p) or self.email or str(_("guardian"))

    @property
    def is_registered(self) -> bool:
        return self.user_id is not None


class StaffMembership(models.Model):
    class Role(models.TextChoices):
        TEACHER = "teacher", _("teacher")
        ADMINISTRATION = "administration", _("administration")
        DIRECTOR = "director", _("director / school admin")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_memberships")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="staff_memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [models.UniqueConstraint(fields=["user", "school", "role"], name="staff_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.school}"


class BoardMembership(models.Model):
    """A board admin: sees and manages every school of the board."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_memberships")
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")

    class Meta:
        verbose_name = _("board admin")
        verbose_name_plural = _("board admins")
        constraints = [models.UniqueConstraint(fields=["user", "board"], name="board_membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.board}"


class ModuleSwitch(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="module_switches")
    module = models.CharField(_("module"), max_length=20, choices=module_choices)
    enabled = models.BooleanField(_("switched on"), default=False)

    class Meta:
        verbose_name = _("module switch")
        verbose_name_plural = _("module switches")
        constraints = [models.UniqueConstraint(fields=["school", "module"], name="module_switch_unique")]

    def __str__(self) -> str:
        return f"{self.school} – {self.get_module_display()}: {'on' if self.enabled else 'off'}"


class ModuleClosure(models.Model):
    """A period in which a switched-on module is closed to parents, e.g. around report time."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="module_closures")
    module = models.CharField(_("module"), max_length=20, choices=module_choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    message = models.CharField(_("message for parents"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["starts_on"]
        indexes = [models.Index(fields=["school", "module", "ends_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.get_module_display()} {self.starts_on}–{self.ends_on}"


class AuditEntry(models.Model):
    """Who did or read what sensitive thing, and when. Written, never edited."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    school = models.ForeignKey(School, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at"]
        # "Who at school viewed my child's records" looks entries up by the object.
        indexes = [models.Index(fields=["object_type", "object_id", "created_at"], name="audit_object")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"

    @classmethod
    def record(cls, actor, action: str, obj=None, school=None, **detail) -> "AuditEntry":
        return cls.objects.create(
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            school=school,
            action=action,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            detail=detail,
        )


# Defined beside its functions in staging.py; imported here so that Django registers it with core.
from .staging import StagedUpload  # noqa: E402, F401
from .worker_models import WorkerLease  # noqa: E402, F401


class CacheTable(models.Model):
    """A database cache's table (the columns ``createcachetable`` makes), declared as a model so
    that migrations create it and every process shares its rows. Only the cache reads and writes it."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        abstract = True
        default_permissions = ()

    def __str__(self) -> str:
        return self.cache_key


class VersionEntry(CacheTable):
    """A row of the "versions" cache when no Redis is configured (core/versions.py: the tokens of
    the reach and of the content topics; core/version_cache.py). Kept apart from the rate limits'
    table, so that neither culls the other's rows."""

    class Meta(CacheTable.Meta):
        db_table = "schoolpoort_versions"
