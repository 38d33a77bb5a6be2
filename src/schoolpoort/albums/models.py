"""Photo albums (fotoalbums) with image consent (toestemming beeldgebruik).

An album belongs to one school and is for the whole school or for some of its groups. Its photos
and short videos are stored privately, and the uploaded original is never served (it carries
EXIF and GPS data, or a video's location, device and date). For an image, what is served are the
web version and the thumbnail that ``processing.py`` re-encodes without any metadata; for a video,
a copy remuxed without any metadata (``video.py``: not transcoded) and a poster-frame thumbnail.

Staff tag the children a photo shows. A child's guardians record per school year, per use,
whether the school may use images of the child (``core.Consent``); no answer means no consent.
Who may see which photo lives in ``access.py`` (asking the one consent rule, ``core.consent``) and
is reached through ``Photo.objects.visible_to(user)``."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.models import Use
from schoolpoort.core.scopes import school_scoped

from . import access

WEB_SIZE = 1600
THUMB_SIZE = 400

# Why a video could not be processed (Photo.error holds the code): shown in the reader's language.
VIDEO_ERRORS = {
    "video_unreadable": _("The file could not be read as a video. Export it again from the phone or camera as MP4 "
                          "or MOV and upload it once more."),
    "video_no_picture": _("The file holds no pictures, only sound or data."),
    "video_too_large": _("The video's picture has too many pixels to be processed."),
}


class AlbumQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.visible_album_q(user))


class Album(models.Model):
    class Audience(models.TextChoices):
        SCHOOL = "school", _("the whole school")
        GROUPS = "groups", _("groups")

    school = models.ForeignKey("core.School", on_delete=models.CASCADE, related_name="albums", verbose_name=_("school"))
    audience = models.CharField(_("audience"), max_length=10, choices=Audience)
    groups = models.ManyToManyField("core.Group", blank=True, related_name="albums", verbose_name=_("groups"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    date = models.DateField(_("date"), default=timezone.localdate, help_text=_("The day the photos were taken."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="albums"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(AlbumQuerySet, school="school")

    class Meta:
        verbose_name = _("photo album")
        verbose_name_plural = _("photo albums")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["school", "date"], name="albums_album_school_date")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("albums:detail", args=[self.pk])

    @property
    def published(self) -> bool:
        return self.published_at is not None

    @property
    def notification_key(self) -> str:
        return f"albums.album:{self.pk}"

    @property
    def audience_label(self) -> str:
        """Who it is for, e.g. "Groep 3 · OBS De Regenboog". Uses prefetched groups."""
        if self.audience == self.Audience.SCHOOL:
            return self.school.name
        names = ", ".join(group.name for group in sorted(self.groups.all(), key=lambda g: (g.grades, g.name)))
        return f"{names} · {self.school.name}"


def _random_name(folder: str, suffix: str) -> str:
    """A random name: the original file name is kept in the row, never in the path."""
    return f"albums/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def original_path(instance: Photo, filename: str) -> str:
    return _random_name("originals", PurePath(filename).suffix.lower()[:10])


def version_path(instance: Photo, filename: str) -> str:
    return _random_name("versions", PurePath(filename).suffix.lower()[:10])


class PhotoQuerySet(models.QuerySet):
    def visible_to(self, user, album=None):
        """The photos the user may see; of ``album`` only, when given (its photos' tags are all the
        consent rule reads then, not the whole board's)."""
        if album is None:
            return self.filter(access.visible_photo_q(user))
        return self.filter(access.visible_photo_q(user, albums=[album.pk]), album=album)

    def in_album_order(self):
        return self.order_by(models.F("taken_at").asc(nulls_last=True), "pk")


class Photo(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("photo")
        VIDEO = "video", _("video")

    class Status(models.TextChoices):
        PROCESSING = "processing", _("being processed")
        READY = "ready", _("ready")
        FAILED = "failed", _("could not be processed")

    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(max_length=10, choices=Kind, default=Kind.IMAGE)
    status = models.CharField(max_length=12, choices=Status, default=Status.PROCESSING)
    # The upload as it came. Never served: it may carry EXIF and GPS data, or a video's location.
    original = models.FileField(upload_to=original_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    # What is served, without metadata (processing.py): for an image the web version (a JPEG),
    # for a video the remuxed video; the thumbnail is a JPEG (a video's poster frame).
    web = models.FileField(upload_to=version_path, max_length=200, blank=True)
    thumb = models.FileField(upload_to=version_path, max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)  # of the web version, as shown
    height = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="album_photos"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(PhotoQuerySet, school="album__school")

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]
        indexes = [models.Index(fields=["album", "status"], name="albums_photo_album_status")]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("albums:photo", args=[self.album_id, self.pk])

    def url(self, name: str) -> str:
        return reverse(f"albums:{name}", args=[self.album_id, self.pk])

    @property
    def thumb_url(self) -> str:
        return self.url("thumb")

    @property
    def web_url(self) -> str:
        return self.url("web")

    @property
    def video_url(self) -> str:
        """The served (remuxed) video; the URL name is historical: the original is never served."""
        return self.url("original")

    @property
    def download_url(self) -> str:
        return self.url("download")

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.VIDEO

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def error_text(self) -> str:
        """Why processing failed, in the language of the reader (a video's error is stored as a code)."""
        return str(VIDEO_ERRORS.get(self.error, self.error))

    @property
    def thumb_size(self) -> tuple[int, int]:
        """Width and height of the thumbnail, for the img attributes (no layout shift)."""
        if not self.width or not self.height:
            return THUMB_SIZE, THUMB_SIZE
        scale = min(1, THUMB_SIZE / max(self.width, self.height))
        return max(1, round(self.width * scale)), max(1, round(self.height * scale))

    @property
    def download_name(self) -> str:
        """The file name of a download: the original's stem, with the served version's extension."""
        stem = PurePath(self.original_name).stem or "foto"
        if self.is_video:
            return f"{stem}{PurePath(self.web.name or self.original.name).suffix}"
        return f"{stem}.jpg"

    def served_file(self):
        """The file a download of this photo delivers: the clean web version of an image, the
        remuxed copy of a video (empty until it is made; never the original)."""
        return self.web


class PhotoTag(models.Model):
    """A child shown in a photo, tagged by staff. Decides who may see the photo (image consent)."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="tags")
    student = models.ForeignKey("core.Student", on_delete=models.CASCADE, related_name="photo_tags")
    tagged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = school_scoped(school="photo__album__school")

    class Meta:
        verbose_name = _("child in a photo")
        verbose_name_plural = _("children in photos")
        constraints = [models.UniqueConstraint(fields=["photo", "student"], name="albums_tag_unique")]
        indexes = [models.Index(fields=["student", "photo"], name="albums_tag_student")]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.photo_id}"


SHORT_LABELS = {
    Use.PORTAL: _("Portal"),
    Use.WEBSITE: _("Website"),
    Use.SOCIAL: _("Social media"),
    Use.GUIDE: _("School guide"),
}


class ConsentReminder(models.Model):
    """When a guardian was last reminded to answer for a school year (not more than weekly)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent reminder")
        verbose_name_plural = _("consent reminders")
        constraints = [models.UniqueConstraint(fields=["user", "school_year"], name="albums_reminder_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.school_year_id} {self.sent_at:%Y-%m-%d}"

