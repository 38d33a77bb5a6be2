"""Accounts: one per e-mail address (case-insensitive), and the registration codes that schools
print on letters (stored hashed, single use, expiring)."""

import datetime
import uuid

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.models import CacheTable
from schoolpoort.lib.encryption import encrypted_storage

from .standing_links import end_standing_links


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: activation link first
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in: a guardian, a staff member, or both. Roles live in ``core``."""

    class Language(models.TextChoices):
        DUTCH = "nl", _("Nederlands")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=Language, default=Language.DUTCH)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("site administrator"), default=False, help_text=_("May use the technical admin site.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    # Rotated by "log out on all devices": every session signed with the old value ends.
    session_generation = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_case_insensitive")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.first_name or self.email

    def _get_session_auth_hash(self, secret=None):
        # Django signs sessions with the password hash; adding the generation lets a user end
        # every session without changing the password.
        return salted_hmac(
            "schoolpoort.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def save(self, *args, **kwargs):
        # set_password() keeps the new password in _password until the save: a change of an
        # existing account's password ends its standing links, whatever path changed it.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            end_standing_links(self)

    def end_all_sessions(self) -> None:
        """ "Log out on all devices": every session and every standing link (agenda feed) ends."""
        self.session_generation = uuid.uuid4()
        self.save(update_fields=["session_generation"])
        end_standing_links(self)


class RegistrationCode(models.Model):
    """A short readable code for one guardian slot of one child, printed on a letter. Only its
    hash is stored; the code itself is shown once, when it is made."""

    guardianship = models.ForeignKey(
        "core.Guardianship", on_delete=models.CASCADE, related_name="registration_codes"
    )
    code_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    used_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("registration code")
        verbose_name_plural = _("registration codes")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} #{self.pk}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.expires_at > timezone.now()


def data_export_path(instance: "DataExport", filename: str) -> str:
    # A random name: the file is a Fernet token, never served from a URL of the storage.
    return f"exports/{uuid.uuid4().hex}"


class DataExportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the user's own exports: another user's answers 404."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def running(self):
        return self.filter(status__in=[DataExport.Status.PENDING, DataExport.Status.BUILDING])

    def stuck(self, now=None):
        """Running for longer than any build takes: the worker stopped (they are marked failed)."""
        now = now or timezone.now()
        return self.running().filter(requested_at__lt=now - DataExport.STUCK_AFTER)

    def expired(self, now=None):
        """Ready exports past their 24 hours whose file is still stored."""
        now = now or timezone.now()
        return self.filter(expires_at__lt=now).exclude(file="")


class DataExport(models.Model):
    """A guardian's request for a copy of the family's data (AVG art. 15 and 20). The worker builds
    the ZIP (``accounts.data_export``), stores it encrypted with the records key and mails that it
    is ready; the link works for ``LIFETIME`` and the sweep then deletes the file."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the worker")
        BUILDING = "building", _("being made")
        READY = "ready", _("ready to download")
        FAILED = "failed", _("could not be made")
        EXPIRED = "expired", _("expired")

    STUCK_AFTER = datetime.timedelta(hours=6)  # no build takes this long; the worker stopped

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # in the URL
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    ready_at = models.DateTimeField(_("ready at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)
    # Encrypted at rest like every private file (lib.encryption), so the key rotation covers it.
    file = models.FileField(upload_to=data_export_path, storage=encrypted_storage, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)  # of the ZIP
    digest = models.CharField(max_length=64, blank=True)  # SHA-256 of the ZIP
    downloaded_at = models.DateTimeField(null=True, blank=True)

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user_id} {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.BUILDING)

    def is_downloadable(self, now=None) -> bool:
        now = now or timezone.now()
        ready = self.status == self.Status.READY and bool(self.file)
        return ready and self.expires_at is not None and now < self.expires_at


class RateLimitEntry(CacheTable):
    """A row of the "limits" cache when no Redis is configured (``core.models.CacheTable``): the
    rate limits' and lockouts' counts, shared by every process."""

    class Meta(CacheTable.Meta):
        db_table = "schoolpoort_limits"


class PhoneLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the user's own links: another user's answers 404."""
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)


class PhoneLink(models.Model):
    """Signing in on a phone by scanning a QR code on a computer that is already signed in
    (``accounts.phone_link``). The QR code holds ``<selector>.<secret>``: the selector finds the
    row, only a hash of the secret is stored and compared in constant time. The phone that scans
    first claims the link with a secret of its own session; the computer confirms or refuses."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("waiting for a phone")
        SCANNED = "scanned", _("waiting for confirmation")
        CONFIRMED = "confirmed", _("confirmed")
        SIGNED_IN = "signed_in", _("signed in")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("replaced by a new code")
        CONTESTED = "contested", _("opened on two phones: stopped")
        ENDED = "ended", _("logged out")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_links")
    selector = models.CharField(max_length=32, unique=True)
    secret_hash = models.CharField(max_length=64)
    claim_hash = models.CharField(max_length=64, blank=True)  # of the secret in the phone's session
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.WAITING)
    match_code = models.CharField(max_length=8, blank=True)  # shown on both screens
    device = models.CharField(_("device"), max_length=100, blank=True)  # from the phone's User-Agent
    # The computer's session had proved the second factor when it confirmed (see phone_link.py).
    verified = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    session_key = models.CharField(max_length=40, blank=True)  # the phone's session, to end it
    session_check = models.CharField(max_length=64, blank=True)  # hash of the user's session hash then

    objects = PhoneLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("phone sign-in")
        verbose_name_plural = _("phone sign-ins")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "status"], name="phone_link_user_status")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.status} {self.created_at:%Y-%m-%d %H:%M}"

    def is_expired(self, now=None) -> bool:
        return (now or timezone.now()) >= self.expires_at
