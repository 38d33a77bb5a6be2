"""Class lists: what each family chose to share with the other parents of a group, and how a school
shows the children's names. Nothing is shared until a guardian switches it on."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.scopes import school_scoped


class ClassListSettings(models.Model):
    """How the class lists of one school show the children."""

    class Names(models.TextChoices):
        FULL = "full", _("first name and last name")
        FIRST = "first", _("first name only")

    school = models.OneToOneField(
        "core.School", on_delete=models.CASCADE, related_name="classlist_settings", verbose_name=_("school")
    )
    names = models.CharField(_("children's names on the class list"), max_length=5, choices=Names,
                             default=Names.FULL)

    class Meta:
        verbose_name = _("class list settings")
        verbose_name_plural = _("class list settings")

    def __str__(self) -> str:
        return f"{self._meta.verbose_name}: {self.school}"

    @classmethod
    def for_school(cls, school_id: int) -> "ClassListSettings":
        """The school's settings, or the defaults (unsaved) when it has none yet."""
        return cls.objects.filter(school_id=school_id).first() or cls(school_id=school_id)

    def child_name(self, student) -> str:
        return student.first_name if self.names == self.Names.FIRST else student.full_name


class SharingChoice(models.Model):
    """What one guardian account shares with the parents of one group. Every switch is off by
    default; a guardian without a row shares nothing."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classlist_choices", verbose_name=_("account")
    )
    group = models.ForeignKey(
        "core.Group", on_delete=models.CASCADE, related_name="classlist_choices", verbose_name=_("group")
    )
    share_name = models.BooleanField(_("my name"), default=False)
    share_phone = models.BooleanField(_("my phone number"), default=False)
    share_email = models.BooleanField(_("my e-mail address"), default=False)
    share_address = models.BooleanField(_("my address"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(school="group__school")

    class Meta:
        verbose_name = _("sharing choice")
        verbose_name_plural = _("sharing choices")
        constraints = [models.UniqueConstraint(fields=["user", "group"], name="classlist_choice_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.group}"

    @property
    def shares_anything(self) -> bool:
        return self.share_name or self.share_phone or self.share_email or self.share_address


class GuardianContact(models.Model):
    """Contact details a guardian typed in for the class list that the account does not hold."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="classlist_contact", verbose_name=_("account")
    )
    address = models.CharField(
        _("address"), max_length=200, blank=True, help_text=_("Street and number, postal code and town.")
    )

    class Meta:
        verbose_name = _("contact details for class lists")
        verbose_name_plural = _("contact details for class lists")

    def __str__(self) -> str:
        return str(self.user)

