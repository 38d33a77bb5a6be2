from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.core.models import Use
from schoolpoort.lib.forms import MultipleFileField

from .models import Album
from .scope import AuthoringOptions, Target
from .uploads import POLICY, accept_attribute, accepted_types_text


class AlbumForm(forms.ModelForm):
    audience_targets = forms.MultipleChoiceField(
        label=gettext_lazy("Who is it for?"),
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The whole school, or one or more groups of one school."),
        error_messages={"required": gettext_lazy("Choose who the album is for.")},
    )

    class Meta:
        model = Album
        fields = ["title", "description", "date"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, options: AuthoringOptions, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = options.by_value()
        album = self.instance
        if album.pk:
            for target in self._current_targets(album):
                self.targets.setdefault(target.value, target)
            self.initial["audience_targets"] = [t.value for t in self._current_targets(album)]
        elif len(options.targets) == 1:
            self.initial["audience_targets"] = [options.targets[0].value]
        self.fields["audience_targets"].choices = [(t.value, t.label) for t in self.targets.values()]

    @staticmethod
    def _current_targets(album: Album) -> list[Target]:
        if album.audience == Album.Audience.SCHOOL:
            return [Target("school", album.school_id, album.school.name, album.school_id)]
        return [Target("group", g.pk, f"{g.name} · {album.school.name}", album.school_id) for g in album.groups.all()]

    def clean_audience_targets(self) -> list[Target]:
        chosen = [self.targets[value] for value in self.cleaned_data["audience_targets"]]
        schools = [t for t in chosen if t.kind == "school"]
        groups = [t for t in chosen if t.kind == "group"]
        if schools and (len(schools) > 1 or groups):
            raise ValidationError(_("Choose the whole school or groups of one school, not both."))
        if len({t.school_id for t in chosen}) > 1:
            raise ValidationError(_("The groups must all be of the same school. Make an album per school."))
        return chosen

    def apply(self, creator=None) -> tuple[Album, list[int]]:
        """The album with the form's values (not saved) and the ids of its groups."""
        album = self.instance
        targets: list[Target] = self.cleaned_data["audience_targets"]
        album.school_id = targets[0].school_id
        if targets[0].kind == "school":
            album.audience = Album.Audience.SCHOOL
            group_ids = []
        else:
            album.audience = Album.Audience.GROUPS
            group_ids = [t.pk for t in targets]
        if creator is not None and not album.pk:
            album.created_by = creator
        return album, group_ids


class UploadForm(forms.Form):
    files = MultipleFileField(label=gettext_lazy("Photos and videos"), allow_empty_file=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["files"]
        field.help_text = accepted_types_text()
        field.widget.attrs.update({"accept": accept_attribute(), "multiple": True})

    def clean_files(self):
        files = self.cleaned_data["files"]
        if len(files) > POLICY.max_files:
            raise ValidationError(
                _("Choose at most %(max)d files at a time.") % {"max": POLICY.max_files}, code="too_many"
            )
        return files


YES, NO = "yes", "no"


class ConsentForm(forms.Form):
    """Per child, per use: yes or no. Fields are named "<student id>-<use>"."""

    def __init__(self, *args, children, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = children
        for student in children:
            for use in Use:
                name = f"{student.pk}-{use.value}"
                self.fields[name] = forms.ChoiceField(
                    label=use.label,
                    choices=[(YES, _("Yes")), (NO, _("No"))],
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Please answer yes or no.")},
                )
                consent = answers.get(student.pk, {}).get(use.value)
                if consent is not None:
                    self.initial[name] = YES if consent.given else NO

    def rows(self):
        """(student, [bound field per use]) for the template."""
        return [(s, [self[f"{s.pk}-{use.value}"] for use in Use]) for s in self.children]

    def answers(self) -> dict[int, dict[str, bool]]:
        return {
            s.pk: {use.value: self.cleaned_data[f"{s.pk}-{use.value}"] == YES for use in Use} for s in self.children
        }
