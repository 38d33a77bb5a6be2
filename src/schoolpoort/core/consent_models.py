"""The data of image consent (toestemming beeldgebruik), which every module that shows photos asks
through ``core.consent``: the guardians' answers per child, school year and use, and which children
staff tagged in a photo of any module. Imported by ``core.models``; the rule is in ``consent.py``."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .scopes import school_scoped


class Use(models.TextChoices):
    """What images of a child may be used for: one answer per use, per school year."""

    PORTAL = "portal", _("In the portal, for the parents of the group")
    WEBSITE = "website", _("On the school website")
    SOCIAL = "social", _("On the school's social media")
    GUIDE = "guide", _("In the school guide")


class Consent(models.Model):
    """A guardian's answer for one child, one school year and one use. No row: not answered,
    which counts as no consent. The table is the one the albums made (moved without a copy)."""

    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="image_consents")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    use = models.CharField(_("use"), max_length=10, choices=Use)
    given = models.BooleanField(_("consent given"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)

    objects = school_scoped(school="student__school")

    class Meta:
        db_table = "albums_consent"
        verbose_name = _("image consent")
        verbose_name_plural = _("image consents")
        constraints = [
            models.UniqueConstraint(fields=["student", "school_year", "use"], name="albums_consent_unique"),
        ]
        indexes = [models.Index(fields=["school_year", "use", "given"], name="albums_consent_year_use")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.school_year_id} {self.use}: {'yes' if self.given else 'no'}"


class ImageTag(models.Model):
    """Staff looked at an image of any module (a news photo, a message's image, an image document):
    one row per child they tagged in it, or a single row without a child: "no child recognisable".
    An image without any row has not been looked at yet and is shown to no other family."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    image = GenericForeignKey("content_type", "object_id")
    student = models.ForeignKey(
        "core.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="image_tags"
    )
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("child in an image")
        verbose_name_plural = _("children in images")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id", "student"], name="image_tag_unique"),
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=Q(student__isnull=True), name="image_tag_one_none"
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="image_tag_image")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.student_id or 'none'}"
