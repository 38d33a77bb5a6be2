"""Sign-ups and polls (intekenlijsten): a form for the whole school or some of its groups with a
deadline — volunteer slots with a capacity, single and multiple choice, open questions — answered
once per child or once per family; and the school square (schoolplein): posts by staff that
parents react to (help requests, a quick poll, asking for input), with moderation.

Capacity is never exceeded: ``signing.py`` takes the row locks of the options it touches, checks
``taken`` under those locks and moves it with F() in the same transaction, and the database
refuses ``taken > capacity`` (a CheckConstraint), so even a bug elsewhere cannot overbook a slot.
Who may see what lives in ``access.py`` and is reached through the ``visible_to(user)`` querysets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from schoolpoort.core.scopes import school_scoped

from . import access


class Audience(models.TextChoices):
    SCHOOL = "school", _("the school")
    GROUPS = "groups", _("groups")


class FormQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.visible_form_q(user))

    def published(self):
        return self.filter(published_at__isnull=False)


class Form(models.Model):
    class Per(models.TextChoices):
        FAMILY = "family", _("one answer per family")
        CHILD = "child", _("one answer per child")

    school = models.ForeignKey(
        "core.School", on_delete=models.CASCADE, related_name="signup_forms", verbose_name=_("school")
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience, default=Audience.GROUPS)
    groups = models.ManyToManyField("core.Group", blank=True, related_name="signup_forms", verbose_name=_("groups"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    deadline = models.DateTimeField(
        _("deadline"), help_text=_("Until then parents may sign up, change and withdraw.")
    )
    per = models.CharField(_("answered"), max_length=10, choices=Per, default=Per.FAMILY)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Empty while the form is a draft: only staff who manage it see it then.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(FormQuerySet, school="school")

    class Meta:
        verbose_name = _("sign-up form")
        verbose_name_plural = _("sign-up forms")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["school", "deadline"], name="signups_form_school_deadline")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("signups:form", args=[self.pk])

    @property
    def notification_key(self) -> str:
        return f"signups.form:{self.pk}"

    @property
    def published(self) -> bool:
        return self.published_at is not None

    def is_open(self, now=None) -> bool:
        """Parents may sign up, change and withdraw: published, and the deadline not passed."""
        return self.published and (now or timezone.now()) < self.deadline

    @property
    def per_child(self) -> bool:
        return self.per == self.Per.CHILD

    @property
    def audience_label(self) -> str:
        """"Groep 3, Groep 4" or the school's name. Uses prefetched groups."""
        if self.audience == Audience.SCHOOL:
            return self.school.name
        return ", ".join(group.name for group in sorted(self.groups.all(), key=lambda g: (g.grades, g.name)))


class Question(models.Model):
    class Kind(models.TextChoices):
        SLOTS = "slots", _("volunteer slots (each with a number of places)")
        SINGLE = "single", _("single choice")
        MULTIPLE = "multiple", _("multiple choice")
        OPEN = "open", _("open question")

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    text = models.CharField(_("question"), max_length=300)
    required = models.BooleanField(_("an answer is required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = school_scoped(school="form__school")

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind != self.Kind.OPEN

    @property
    def many(self) -> bool:
        """Several options may be chosen (volunteer slots and multiple choice)."""
        return self.kind in (self.Kind.SLOTS, self.Kind.MULTIPLE)


class Option(models.Model):
    """A choice of a question; a volunteer slot has a capacity (any option may have one). ``taken``
    is the number of answers that chose it, moved in the transaction that adds or removes one."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("label"), max_length=200)
    capacity = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    taken = models.PositiveIntegerField(default=0, editable=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = school_scoped(school="question__form__school")

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=F("capacity")),
                name="signups_option_taken_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def free(self) -> int | None:
        """Places left; None when the option has no limit."""
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity


class Response(models.Model):
    """One answer to a form: for one child (per-child forms) or for one family (per-family forms,
    keyed on the guardian who answered first; the other guardians of the same children see it and
    may change or withdraw it)."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="responses")
    student = models.ForeignKey(
        "core.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="signup_responses"
    )
    family_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(school="form__school")

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(student__isnull=False, family_user__isnull=True)
                | Q(student__isnull=True, family_user__isnull=False),
                name="signups_response_for_a_child_or_a_family",
            ),
            models.UniqueConstraint(
                fields=["form", "student"], condition=Q(student__isnull=False), name="signups_one_response_per_child"
            ),
            models.UniqueConstraint(
                fields=["form", "family_user"],
                condition=Q(family_user__isnull=False),
                name="signups_one_response_per_family",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form_id}: {self.student_id or self.family_user_id}"


class Answer(models.Model):
    """A chosen option, or the text of an open question."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    option = models.ForeignKey(Option, on_delete=models.CASCADE, null=True, blank=True, related_name="answers")
    text = models.TextField(blank=True)

    objects = school_scoped(school="response__form__school")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "option"], condition=Q(option__isnull=False), name="signups_answer_option_once"
            ),
            models.UniqueConstraint(
                fields=["response", "question"], condition=Q(option__isnull=True), name="signups_answer_text_once"
            ),
        ]

    def __str__(self) -> str:
        return self.text or str(self.option_id)


# --- The school square ---------------------------------------------------------------------------


class SquarePostQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(access.visible_square_post_q(user))


class SquarePost(models.Model):
    """A post on the school square by a staff member, that the parents of its audience react to."""

    class Kind(models.TextChoices):
        HELP = "help", _("help request")
        POLL = "poll", _("quick poll")
        QUESTION = "question", _("asking for input")

    school = models.ForeignKey(
        "core.School", on_delete=models.CASCADE, related_name="square_posts", verbose_name=_("school")
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience, default=Audience.GROUPS)
    groups = models.ManyToManyField("core.Group", blank=True, related_name="square_posts", verbose_name=_("groups"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind, default=Kind.QUESTION)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reactions_open = models.BooleanField(_("parents may react"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = school_scoped(SquarePostQuerySet, school="school")

    class Meta:
        verbose_name = _("school square post")
        verbose_name_plural = _("school square posts")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "created_at"], name="signups_square_school_created")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("signups:square_post", args=[self.pk])

    @property
    def notification_key(self) -> str:
        return f"signups.square:{self.pk}"

    @property
    def is_poll(self) -> bool:
        return self.kind == self.Kind.POLL

    @property
    def audience_label(self) -> str:
        if self.audience == Audience.SCHOOL:
            return self.school.name
        return ", ".join(group.name for group in sorted(self.groups.all(), key=lambda g: (g.grades, g.name)))


class SquarePollOption(models.Model):
    post = models.ForeignKey(SquarePost, on_delete=models.CASCADE, related_name="poll_options")
    label = models.CharField(_("label"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)

    objects = school_scoped(school="post__school")

    class Meta:
        verbose_name = _("poll option")
        verbose_name_plural = _("poll options")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class ReactionQuerySet(models.QuerySet):
    def shown(self):
        """What parents see: not removed."""
        return self.filter(removed_at__isnull=True)


class Reaction(models.Model):
    """A parent's reaction: a text, or a vote in a poll (one per parent, which they may change).
    A removed reaction disappears for parents; staff see that it was removed."""

    post = models.ForeignKey(SquarePost, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(_("reaction"), blank=True)
    option = models.ForeignKey(
        SquarePollOption, on_delete=models.CASCADE, null=True, blank=True, related_name="votes"
    )
    created_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = school_scoped(ReactionQuerySet, school="post__school")

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | Q(option__isnull=False), name="signups_reaction_has_text_or_vote"
            ),
            models.UniqueConstraint(
                fields=["post", "user"], condition=Q(option__isnull=False), name="signups_one_vote_per_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:50] or str(self.option_id)

    @property
    def is_removed(self) -> bool:
        return self.removed_at is not None
