"""The forms of the sign-up pages: a form's settings, a question with its options, a parent's
answer (built from the form's questions), a school square post and a reaction."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.lib.forms import RichTextEditor, RichTextField

from .models import Audience, Form, Question, SquarePost
from .scope import Target, Targets
from .signing import Choices, full_message, nearest_first

MAX_OPTIONS = 30
MAX_PLACES = 999


class AudienceMixin:
    """An "audience_targets" field: the whole school, or one or more groups of one school."""

    def setup_targets(self, targets: Targets, current: list[str] | None = None):
        self.targets = targets.by_value()
        self.fields["audience_targets"].choices = [(t.value, t.label) for t in targets.targets]
        if current:
            self.initial["audience_targets"] = current
        elif len(targets.targets) == 1:
            self.initial["audience_targets"] = [targets.targets[0].value]

    def clean_audience_targets(self) -> list[Target]:
        chosen = [self.targets[value] for value in self.cleaned_data["audience_targets"]]
        schools = [t for t in chosen if t.kind == "school"]
        if schools and len(chosen) > 1:
            raise ValidationError(_("Choose the whole school, or one or more groups: not both."))
        if len({t.school_id for t in chosen}) > 1:
            raise ValidationError(_("The groups must all be of the same school."))
        return chosen

    def apply_audience(self, item) -> list[int]:
        """Set the item's school and audience; returns the group ids."""
        chosen: list[Target] = self.cleaned_data["audience_targets"]
        item.school_id = chosen[0].school_id
        if chosen[0].kind == "school":
            item.audience = Audience.SCHOOL
            return []
        item.audience = Audience.GROUPS
        return [t.pk for t in chosen]


def current_targets(item) -> list[str]:
    if item.audience == Audience.SCHOOL:
        return [f"school:{item.school_id}"]
    return [f"group:{group.pk}" for group in item.groups.all()]


def audience_field():
    return forms.MultipleChoiceField(
        label=gettext_lazy("Who is it for?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The whole school, or one or more groups."),
        error_messages={"required": gettext_lazy("Choose who it is for.")},
    )


class FormSettingsForm(AudienceMixin, forms.ModelForm):
    audience_targets = audience_field()
    deadline = forms.DateTimeField(
        label=gettext_lazy("Deadline"),
        help_text=gettext_lazy("Until then parents may sign up, change and withdraw (Dutch time)."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M"],
    )

    class Meta:
        model = Form
        fields = ["title", "description", "deadline", "per"]
        widgets = {"description": RichTextEditor(attrs={"rows": 5}), "per": forms.RadioSelect}
        field_classes = {"description": RichTextField}

    def __init__(self, *args, targets: Targets, **kwargs):
        super().__init__(*args, **kwargs)
        form = self.instance
        self.locked = bool(form.pk and form.responses.exists())
        if form.pk:
            for target in [_own_target(form, group) for group in form.groups.all()] + [_own_target(form)]:
                if target is not None:
                    targets.add(target)
            self.initial["deadline"] = timezone.localtime(form.deadline)
        self.setup_targets(targets, current_targets(form) if form.pk else None)
        if self.locked:
            # Parents have answered: who it is for and how it is answered stay as they are.
            del self.fields["audience_targets"], self.fields["per"]

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        changed = not self.instance.pk or deadline != self.instance.deadline
        if changed and deadline <= timezone.now():
            raise ValidationError(_("This moment has passed. Choose a deadline in the future."))
        return deadline


def _own_target(form, group=None) -> Target | None:
    """When editing, the form's own audience stays choosable."""
    if group is not None:
        return Target("group", group.pk, group.name, form.school_id)
    if form.audience == Audience.SCHOOL:
        return Target("school", form.school_id, form.school.name, form.school_id)
    return None


@dataclass(frozen=True)
class OptionSpec:
    label: str
    capacity: int | None


LINE = re.compile(r"^(?P<label>.*?)\s*(?:\|\s*(?P<places>\d+)\s*)?$")


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One per line. A number of places after a | sign limits an option, for example: "
            "Driving to the petting farm, 12 June | 4"
        ),
    )
    places = forms.IntegerField(
        label=gettext_lazy("Places per slot"),
        required=False,
        min_value=1,
        max_value=MAX_PLACES,
        help_text=gettext_lazy("For volunteer slots: the number of parents needed, where a line gives none."),
    )

    class Meta:
        model = Question
        fields = ["kind", "text", "required"]
        widgets = {"kind": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Question.Kind.choices
        question = self.instance
        if question.pk and question.has_options:
            self.initial["options"] = "\n".join(
                f"{o.label} | {o.capacity}" if o.capacity is not None else o.label for o in question.options.all()
            )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind is None:
            return data
        if kind == Question.Kind.OPEN:
            data["option_specs"] = []
            return data
        specs = []
        for line in (data.get("options") or "").splitlines():
            if not line.strip():
                continue
            match = LINE.match(line.strip())
            label = match["label"].strip()
            places = int(match["places"]) if match["places"] else None
            if not label:
                self.add_error("options", _("Every option needs a label before the | sign."))
                return data
            if places is not None and not 1 <= places <= MAX_PLACES:
                self.add_error(
                    "options", _("The number of places must be between 1 and %(max)d.") % {"max": MAX_PLACES}
                )
                return data
            if kind == Question.Kind.SLOTS and places is None:
                places = data.get("places")
                if places is None:
                    self.add_error("places", _("Give the number of places per slot, or one after each line."))
                    return data
            specs.append(OptionSpec(label[:200], places))
        if len(specs) < (1 if kind == Question.Kind.SLOTS else 2):
            self.add_error(
                "options",
                _("Give at least one slot.") if kind == Question.Kind.SLOTS else _("Give at least two options."),
            )
        elif len(specs) > MAX_OPTIONS:
            self.add_error("options", _("At most %(max)d options.") % {"max": MAX_OPTIONS})
        elif len({spec.label.lower() for spec in specs}) != len(specs):
            self.add_error("options", _("Every option must be different."))
        data["option_specs"] = specs
        return data


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=gettext_lazy("Places"), min_value=1, max_value=MAX_PLACES)


class ResponseForm(forms.Form):
    """A parent's answer to the form's questions; a full option can be kept, not newly chosen."""

    def __init__(self, *args, questions: list[Question], chosen: set[int] = frozenset(), texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.chosen = set(chosen)
        for question in questions:
            name = self.field_name(question)
            if question.kind == Question.Kind.OPEN:
                self.fields[name] = forms.CharField(
                    label=question.text, required=question.required, max_length=2000, widget=forms.Textarea(
                        attrs={"rows": 3})
                )
                if texts and question.pk in texts:
                    self.initial[name] = texts[question.pk]
                continue
            choices = [(str(option.pk), option.label) for option in question.options.all()]
            field_class = forms.MultipleChoiceField if question.many else forms.ChoiceField
            self.fields[name] = field_class(label=question.text, required=question.required, choices=choices)
            mine = [str(o.pk) for o in question.options.all() if o.pk in self.chosen]
            if mine:
                self.initial[name] = mine if question.many else mine[0]

    @staticmethod
    def field_name(question: Question) -> str:
        return f"q{question.pk}"

    def clean(self):
        data = super().clean()
        for question in self.questions:
            name = self.field_name(question)
            if not question.has_options or name not in data:
                continue
            picked = data[name] if question.many else ([data[name]] if data[name] else [])
            options = list(question.options.all())
            full = [o for o in options if str(o.pk) in picked and o.is_full and o.pk not in self.chosen]
            if full:
                self.add_error(name, full_message(full, nearest_first(full, [o for o in options if not o.is_full])))
        return data

    def choices(self) -> Choices:
        options, texts = set(), {}
        for question in self.questions:
            value = self.cleaned_data.get(self.field_name(question))
            if question.kind == Question.Kind.OPEN:
                texts[question.pk] = value or ""
            elif question.many:
                options.update(int(pk) for pk in value or [])
            elif value:
                options.add(int(value))
        return Choices(frozenset(options), texts)

    def rows(self) -> list[dict]:
        """Per question what the template shows: the field, its options with places, and what is
        checked (the submitted values when the form failed, else the saved answer)."""
        rows = []
        for question in self.questions:
            bound = self[self.field_name(question)]
            value = bound.value()
            values = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
            options = []
            for option in question.options.all() if question.has_options else []:
                disabled = option.is_full and option.pk not in self.chosen
                options.append({
                    "option": option,
                    "value": str(option.pk),
                    "checked": str(option.pk) in values and not disabled,
                    "disabled": disabled,
                    "id": f"{bound.auto_id}_{option.pk}",
                })
            rows.append({"question": question, "field": bound, "options": options})
        return rows


class SquarePostForm(AudienceMixin, forms.ModelForm):
    audience_targets = audience_field()
    poll_options = forms.CharField(
        label=gettext_lazy("Poll options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For a quick poll: one option per line."),
    )

    class Meta:
        model = SquarePost
        fields = ["kind", "title", "body"]
        widgets = {"kind": forms.RadioSelect, "body": RichTextEditor(attrs={"rows": 6})}
        field_classes = {"body": RichTextField}

    def __init__(self, *args, targets: Targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_targets(targets)

    def clean(self):
        data = super().clean()
        labels = [line.strip()[:200] for line in (data.get("poll_options") or "").splitlines() if line.strip()]
        if data.get("kind") == SquarePost.Kind.POLL:
            if len(labels) < 2:
                self.add_error("poll_options", _("Give at least two options."))
            elif len(labels) > MAX_OPTIONS:
                self.add_error("poll_options", _("At most %(max)d options.") % {"max": MAX_OPTIONS})
            elif len({label.lower() for label in labels}) != len(labels):
                self.add_error("poll_options", _("Every option must be different."))
        else:
            labels = []
        data["poll_labels"] = labels
        return data


class ReactionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your reaction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Write your reaction first.")},
    )

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise ValidationError(_("Write your reaction first."))
        return text
