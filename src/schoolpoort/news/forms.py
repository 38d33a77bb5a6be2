from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.core.forms import KeptFilesMixin
from schoolpoort.lib.forms import MultipleFileField, RichTextEditor, RichTextField

from . import uploads
from .audience import Audience
from .authoring import AuthoringOptions, Target
from .models import Post
from .rendering import HTML, IMAGE_SRC
from .uploads import accepted_extensions, accepted_types_text


class PostForm(KeptFilesMixin, forms.ModelForm):
    PUBLISH_NOW, PUBLISH_LATER = "now", "later"

    audience_targets = forms.MultipleChoiceField(
        label=gettext_lazy("Who is it for?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The whole board, one school, or one or more groups of one school."),
        error_messages={"required": gettext_lazy("Choose who the message is for.")},
    )
    publish = forms.ChoiceField(
        label=gettext_lazy("When"),
        widget=forms.RadioSelect,
        choices=[(PUBLISH_NOW, gettext_lazy("Publish now")), (PUBLISH_LATER, gettext_lazy("Publish later"))],
        initial=PUBLISH_NOW,
        required=False,
    )
    publish_at = forms.DateTimeField(
        label=gettext_lazy("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
    )
    body = RichTextField(label=Post._meta.get_field("body").verbose_name, required=False, image_src=IMAGE_SRC)
    attachments = MultipleFileField(
        label=gettext_lazy("Photos and attachments"),
        required=False,
    )
    remove_attachments = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Remove attachments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Post
        fields = ["title", "body", "pinned", "urgent"]

    kept_kind = "news.attachment"

    def __init__(self, *args, options: AuthoringOptions, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = options
        self.user = user
        self.fields["body"].widget = RichTextEditor(image_upload_url=reverse("news:upload_image"))
        if self.instance.pk and self.instance.body_format != HTML and not self.is_bound:
            self.initial["body"] = self.instance.body_html  # a Markdown post opens in the editor as it reads
        self._setup_kept(user)  # files chosen before (a preview, a count, a correction) are kept
        self.targets = options.by_value()
        self.fields["audience_targets"].choices = [(t.value, t.label) for t in options.targets]
        self.fields["attachments"].help_text = accepted_types_text()
        self.fields["attachments"].widget.attrs["accept"] = ",".join(accepted_extensions())
        post = self.instance
        if post.pk:
            self.initial["audience_targets"] = self._current_targets(post)
            self.fields["remove_attachments"].queryset = post.attachments.all()
            self.fields["remove_attachments"].label_from_instance = lambda attachment: attachment.original_name
            if post.notified_at is not None or post.is_published:
                # Published: its time is history, and editing does not notify again.
                del self.fields["publish"], self.fields["publish_at"]
            else:
                self.initial["publish"] = self.PUBLISH_LATER
                self.initial["publish_at"] = timezone.localtime(post.publish_at)
        else:
            del self.fields["remove_attachments"]
            if len(options.targets) == 1:
                self.initial["audience_targets"] = [options.targets[0].value]
        if not options.may_send_urgent:
            del self.fields["urgent"]

    @staticmethod
    def _current_targets(post: Post) -> list[str]:
        if post.audience == Post.Audience.BOARD:
            return [f"board:{post.board_id}"]
        if post.audience == Post.Audience.SCHOOL:
            return [f"school:{post.school_id}"]
        return [f"group:{group.pk}" for group in post.groups.all()]

    @property
    def is_scheduling(self) -> bool:
        return "publish" in self.fields

    def clean_audience_targets(self) -> list[Target]:
        chosen = [self.targets[value] for value in self.cleaned_data["audience_targets"]]
        wide = [t for t in chosen if t.kind in ("board", "school")]
        groups = [t for t in chosen if t.kind == "group"]
        if wide and (len(wide) > 1 or groups):
            raise ValidationError(
                _("Choose the whole board, one school, or groups of one school: not more than one of these.")
            )
        if groups and len({t.school_id for t in groups}) > 1:
            raise ValidationError(_("The groups must all be of the same school. Write a message per school."))
        return chosen

    def clean_attachments(self):
        """Each accepted file is parked at once as a draft (kept through a preview or a correction);
        the refused ones are named."""
        files = self.cleaned_data.get("attachments") or []
        existing = self.instance.attachments.filter(inline=False).count() if self.instance.pk else 0
        if existing + len(self.kept) + len(files) > uploads.POLICY.max_files:
            raise ValidationError(
                _("A message can have at most %(max)d attachments.") % {"max": uploads.POLICY.max_files}
            )
        prepared, errors = uploads.check_all(files)
        self.keep(prepared)
        if errors:
            raise ValidationError(errors)
        return []

    def clean(self):
        data = super().clean()
        if self.is_scheduling and data.get("publish") == self.PUBLISH_LATER:
            when = data.get("publish_at")
            if when is None:
                if "publish_at" not in self.errors:
                    self.add_error("publish_at", _("Give the date and time to publish at."))
            elif when <= timezone.now():
                self.add_error("publish_at", _("This moment has passed. Choose a time in the future, or publish now."))
        targets = data.get("audience_targets")
        if data.get("urgent") and targets:
            target = targets[0]
            allowed = (
                target.board_id in self.options.urgent_board_ids
                if target.kind == "board"
                else target.school_id in self.options.urgent_school_ids
            )
            if not allowed:
                self.add_error("urgent", _("Only the school's director can send an urgent message to this audience."))
        return data

    # --- what the view and the action need -------------------------------------------------------

    def audience(self) -> Audience:
        targets: list[Target] = self.cleaned_data["audience_targets"]
        first = targets[0]
        if first.kind == "board":
            return Audience(Post.Audience.BOARD, first.board_id)
        if first.kind == "school":
            return Audience(Post.Audience.SCHOOL, first.board_id, first.school_id)
        return Audience(Post.Audience.GROUPS, first.board_id, first.school_id, tuple(sorted(t.pk for t in targets)))

    def publish_time(self):
        """When the post goes out: None for "now" (or: unchanged, for a published post)."""
        if self.is_scheduling and self.cleaned_data.get("publish") == self.PUBLISH_LATER:
            return self.cleaned_data["publish_at"]
        return None

    def apply(self, author=None) -> Post:
        """The post with the form's values, not saved yet (the action saves it)."""
        post = self.instance
        audience = self.audience()
        post.audience = audience.kind
        post.board_id = audience.board_id
        post.school_id = audience.school_id
        post.body_format = HTML
        if author is not None and post.author_id is None and not post.pk:
            post.author = author
        if self.is_scheduling:
            post.publish_at = self.publish_time() or timezone.now()
        return post
