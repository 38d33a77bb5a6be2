"""Results of a pupil that come from the school: report cards per report period, method tests
(the tests at the end of a block of a teaching method) and standardised tests of the pupil
monitoring system (LVS, e.g. CITO), with the ability score and the level per moment.

Who sees what is decided in ``access.py`` (``visible_to``/``editable_by`` below); the pages reach a
pupil through ``records.access.student_for_part_or_404`` first."""

from __future__ import annotations

import datetime
import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.scopes import school_scoped

from . import access


class Source(models.TextChoices):
    IMPORT = "import", _("import")
    MANUAL = "manual", _("entered by hand")


# --- Report cards ---------------------------------------------------------------------------


class ReportPeriodQuerySet(models.QuerySet):
    def released(self, today: datetime.date | None = None):
        return self.filter(released_on__lte=today or timezone.localdate())


class ReportPeriod(models.Model):
    """A report moment of a school year ("Rapport 1"). Guardians see the report cards of the
    period from ``released_on`` on; staff always see them."""

    school = models.ForeignKey(
        "core.School", on_delete=models.CASCADE, related_name="report_periods", verbose_name=_("school")
    )
    school_year = models.ForeignKey(
        "core.SchoolYear", on_delete=models.PROTECT, related_name="report_periods", verbose_name=_("school year")
    )
    name = models.CharField(_("name"), max_length=60, help_text=_("For example: Rapport 1."))
    released_on = models.DateField(_("visible to parents from"))

    objects = ReportPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("report period")
        verbose_name_plural = _("report periods")
        ordering = ["school_year__starts_on", "released_on", "name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "name"], name="report_period_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.school_year}"

    def is_released(self, today: datetime.date | None = None) -> bool:
        return self.released_on <= (today or timezone.localdate())


def report_card_path(card: ReportCard, filename: str) -> str:
    # A random name on disk: the original name is kept for the download only.
    extension = PurePath(filename).suffix.lower()[:10] or ".pdf"
    return f"results/report-cards/{uuid.uuid4().hex}{extension}"


class ReportCardQuerySet(models.QuerySet):
    def visible_to(self, user, today: datetime.date | None = None):
        return self.filter(access.report_card_q(user, today))

    def editable_by(self, user):
        return self.filter(access.editor_student_q(user))


class ReportCard(models.Model):
    """A pupil's report card of one period: a PDF from the administration system, structured
    grades (``lines``), or both."""

    student = models.ForeignKey(
        "core.Student", on_delete=models.CASCADE, related_name="report_cards", verbose_name=_("pupil")
    )
    period = models.ForeignKey(
        ReportPeriod, on_delete=models.CASCADE, related_name="report_cards", verbose_name=_("report period")
    )
    group = models.ForeignKey(
        "core.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("group"),
        help_text=_("The group the pupil was in at the time."),
    )
    file = models.FileField(_("report card (PDF)"), upload_to=report_card_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=255, blank=True)  # the original name, for the download
    remark = models.TextField(_("remark of the teacher"), blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(ReportCardQuerySet, school="student__school")

    class Meta:
        verbose_name = _("report card")
        verbose_name_plural = _("report cards")
        constraints = [models.UniqueConstraint(fields=["student", "period"], name="report_card_unique_period")]

    def __str__(self) -> str:
        return f"{self.student} – {self.period}"


class ReportCardLine(models.Model):
    """One subject on a report card: a grade ("7,5", "G", "V+") and/or a short text."""

    report_card = models.ForeignKey(ReportCard, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveSmallIntegerField(default=0)
    subject = models.CharField(_("subject"), max_length=80)
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    text = models.CharField(_("comment"), max_length=500, blank=True)

    objects = school_scoped(school="report_card__student__school")

    class Meta:
        verbose_name = _("report card line")
        verbose_name_plural = _("report card lines")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return f"{self.subject}: {self.grade}"


# --- Method tests ---------------------------------------------------------------------------


class Subject(models.TextChoices):
    ARITHMETIC = "rekenen", _("arithmetic")
    LANGUAGE = "taal", _("language")
    SPELLING = "spelling", _("spelling")
    READING = "lezen", _("reading")
    COMPREHENSION = "begrijpend_lezen", _("reading comprehension")
    WORLD = "wereldorientatie", _("world orientation")
    ENGLISH = "engels", _("English")
    OTHER = "overig", _("other")


class ScoreKind(models.TextChoices):
    PERCENTAGE = "percentage", _("percentage")
    GRADE = "grade", _("grade (1–10)")


class ResultQuerySet(models.QuerySet):
    def visible_to(self, user, today: datetime.date | None = None):
        return self.filter(access.result_q(user, self.model.PART, today))

    def editable_by(self, user):
        return self.filter(access.editor_student_q(user))


class MethodTest(models.Model):
    PART = "method_tests"

    student = models.ForeignKey(
        "core.Student", on_delete=models.CASCADE, related_name="method_tests", verbose_name=_("pupil")
    )
    subject = models.CharField(_("subject"), max_length=20, choices=Subject)
    method = models.CharField(_("method"), max_length=80, help_text=_("For example: Pluspunt, Staal."))
    block = models.CharField(_("block or chapter"), max_length=40, blank=True)
    taken_on = models.DateField(_("date"))
    score_kind = models.CharField(_("score as"), max_length=10, choices=ScoreKind, default=ScoreKind.PERCENTAGE)
    score = models.DecimalField(
        _("score"), max_digits=4, decimal_places=1, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    norm = models.DecimalField(
        _("norm"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("The score from which the block counts as mastered, if the method gives one."),
    )
    remark = models.CharField(_("remark"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(ResultQuerySet, school="student__school")

    class Meta:
        verbose_name = _("method test")
        verbose_name_plural = _("method tests")
        ordering = ["taken_on", "pk"]
        indexes = [models.Index(fields=["student", "taken_on"], name="method_test_student_date")]
        constraints = [
            # The natural key an import updates by, so importing a file twice changes nothing.
            models.UniqueConstraint(
                fields=["student", "subject", "method", "block", "taken_on"], name="method_test_unique_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.get_subject_display()} {self.block} {self.taken_on}"

    def clean(self):
        super().clean()
        if self.score_kind == ScoreKind.GRADE:
            for name in ("score", "norm"):
                value = getattr(self, name)
                if value is not None and not 1 <= value <= 10:
                    raise ValidationError({name: _("A grade is between 1 and 10.")})

    @property
    def passed(self) -> bool | None:
        return None if self.norm is None else self.score >= self.norm

    @property
    def max_score(self) -> int:
        return 10 if self.score_kind == ScoreKind.GRADE else 100


# --- Standardised tests (LVS) ---------------------------------------------------------------

MOMENT_RE = re.compile(r"^[BME][1-8]$")
MOMENT_HALVES = {"B": 0, "M": 1, "E": 2}


def moment_order(moment: str) -> int:
    """M3 < E3 < M4 < ...: the position of a test moment in a school career."""
    return int(moment[1]) * 3 + MOMENT_HALVES[moment[0]]


def validate_moment(value: str) -> None:
    if not MOMENT_RE.match(value or ""):
        raise ValidationError(_("A moment is B, M or E followed by the group, for example M3 or E6."))


class LevelScheme(models.TextChoices):
    ROMAN = "I-V", _("I to V")
    LETTERS = "A-E", _("A to E")
    REFERENCE = "F-S", _("reference levels (1F, 2F, 1S)")


# Best first, per scheme: a lower index is a better level.
LEVELS = {
    LevelScheme.ROMAN: ["I", "II", "III", "IV", "V"],
    LevelScheme.LETTERS: ["A", "B", "C", "D", "E"],
    LevelScheme.REFERENCE: ["2F", "1S", "1F", "<1F"],
}
ALL_LEVELS = {level: scheme for scheme, levels in LEVELS.items() for level in levels}


def normalise_level(value: str) -> str:
    """ "iii" → "III", " 1f " → "1F", "Iv" → "IV"; unknown levels are returned upper-cased."""
    return (value or "").strip().upper().replace(" ", "")


class StandardisedTest(models.Model):
    PART = "standardised_tests"

    student = models.ForeignKey(
        "core.Student", on_delete=models.CASCADE, related_name="standardised_tests", verbose_name=_("pupil")
    )
    test = models.CharField(_("test"), max_length=80, help_text=_("For example: CITO Rekenen-Wiskunde."))
    moment = models.CharField(_("moment"), max_length=2, validators=[validate_moment], help_text=_("M3, E3, M4 …"))
    school_year = models.ForeignKey(
        "core.SchoolYear", on_delete=models.PROTECT, related_name="+", verbose_name=_("school year")
    )
    taken_on = models.DateField(_("date"))
    ability_score = models.DecimalField(_("ability score"), max_digits=5, decimal_places=1, null=True, blank=True)
    level = models.CharField(_("level"), max_length=4, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.MANUAL)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(ResultQuerySet, school="student__school")

    class Meta:
        verbose_name = _("standardised test")
        verbose_name_plural = _("standardised tests")
        ordering = ["taken_on", "test", "pk"]
        indexes = [models.Index(fields=["student", "taken_on"], name="std_test_student_date")]
        constraints = [
            # One result per test and moment in a school year: what an import updates by.
            models.UniqueConstraint(fields=["student", "test", "moment", "school_year"], name="std_test_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.student} – {self.test} {self.moment}"

    @property
    def order(self) -> int:
        return moment_order(self.moment)


class LevelBand(models.Model):
    """Where a level starts on the ability scale, for one test at one moment of a school (the
    norm tables of the test publisher, imported or entered once). A score belongs to the band with
    the highest lower bound at or below it."""

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="+")
    test = models.CharField(_("test"), max_length=80)
    moment = models.CharField(_("moment"), max_length=2, validators=[validate_moment])
    level = models.CharField(_("level"), max_length=4)
    lower_bound = models.DecimalField(_("from score"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("level band")
        verbose_name_plural = _("level bands")
        ordering = ["test", "moment", "lower_bound"]
        constraints = [models.UniqueConstraint(fields=["school", "test", "moment", "level"], name="level_band_unique")]

    def __str__(self) -> str:
        return f"{self.test} {self.moment} {self.level} ≥ {self.lower_bound}"


def level_for(bands: list[LevelBand], score) -> str:
    """The level of ``score`` by the bands of one test and moment; "" without bands or score."""
    if score is None:
        return ""
    level = ""
    for band in sorted(bands, key=lambda b: b.lower_bound):
        if score >= band.lower_bound:
            level = band.level
    return level or (min(bands, key=lambda b: b.lower_bound).level if bands else "")
