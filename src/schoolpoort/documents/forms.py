from __future__ import annotations

from pathlib import PurePath

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from schoolpoort.core.models import Group, Guardianship, School, Student

from .editing import Rights
from .models import Document, Folder, Shelf
from .uploads import accepted_extensions, accepted_types_text, prepare_upload


def folder_paths(folders: list[Folder]) -> dict[int, str]:
    """"Protocollen / Gezondheid" for every folder of a shelf, from the shelf's folders in one list."""
    by_id = {folder.pk: folder for folder in folders}
    paths: dict[int, str] = {}

    def path(folder: Folder, seen: frozenset = frozenset()) -> str:
        if folder.pk in paths:
            return paths[folder.pk]
        parent = by_id.get(folder.parent_id)
        if parent is None or parent.pk in seen:
            result = folder.title
        else:
            result = f"{path(parent, seen | {folder.pk})} / {folder.title}"
        paths[folder.pk] = result
        return result

    for folder in folders:
        path(folder)
    return paths


class FolderChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, paths: dict[int, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = paths or {}

    def label_from_instance(self, obj: Folder) -> str:
        return self.paths.get(obj.pk, obj.title)


def _folder_field(shelf: Shelf, label, exclude: set[int] = frozenset()) -> FolderChoiceField:
    every = list(shelf.folders.all())
    paths = folder_paths(every)
    folders = [folder for folder in every if folder.pk not in exclude]
    folders.sort(key=lambda folder: paths[folder.pk].lower())
    field = FolderChoiceField(
        label=label,
        queryset=Folder.objects.filter(shelf=shelf).exclude(pk__in=exclude),
        required=False,
        empty_label=gettext_lazy("— none: on the shelf itself"),
        paths=paths,
    )
    field.choices = [("", field.empty_label)] + [(folder.pk, paths[folder.pk]) for folder in folders]
    return field


class GuardianChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Guardianship) -> str:
        label = f"{obj.display_name} ({obj.get_relation_display()})"
        if not obj.is_registered:
            label += " — " + _("not registered yet: sees it after registering")
        return label


class ShelfForm(forms.ModelForm):
    student = forms.ModelChoiceField(
        label=gettext_lazy("Pupil"),
        queryset=Student.objects.none(),
        required=False,
        help_text=gettext_lazy("A letter for one family: choose the pupil, then tick which of the parents get it."),
    )

    class Meta:
        model = Shelf
        fields = ["title", "audience", "groups", "guardianships", "position"]
        widgets = {
            "audience": forms.RadioSelect,
            "groups": forms.CheckboxSelectMultiple,
            "guardianships": forms.CheckboxSelectMultiple,
        }
        field_classes = {"guardianships": GuardianChoiceField}
        help_texts = {"title": gettext_lazy("For example: School guide and protocols, or Groep 6.")}

    def __init__(self, *args, school: School, rights: Rights, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        audiences = rights.audiences(school.pk)
        self.fields["audience"].choices = [(value, label) for value, label in Shelf.Audience.choices
                                           if value in audiences]
        if audiences and self.initial.get("audience") not in audiences:
            self.initial["audience"] = audiences[0]
        groups = Group.objects.current().filter(school=school).order_by("grades", "name")
        if not rights.administers(school.pk):
            groups = groups.filter(pk__in=rights.taught_at(school.pk))
        self.fields["groups"].queryset = groups
        self.fields["groups"].required = False
        if Shelf.Audience.GUARDIANS in audiences:
            self.fields["student"].queryset = Student.objects.filter(school=school, archived_at__isnull=True).order_by(
                "first_name", "last_name", "pk"
            )
            student_id = self._student_id()
            if student_id and not self.is_bound:
                self.initial["student"] = student_id
            self.fields["guardianships"].queryset = (
                Guardianship.objects.filter(student_id=student_id, student__school=school)
                .select_related("user")
                .order_by("pk")
                if student_id
                else Guardianship.objects.none()
            )
            self.fields["guardianships"].required = False
            self.fields["guardianships"].error_messages["invalid_choice"] = _(
                "Tick the parents again: the pupil has changed."
            )
        else:
            del self.fields["student"], self.fields["guardianships"]

    def _student_id(self) -> int | None:
        raw = None
        if self.is_bound:
            raw = self.data.get("student")
        elif self.initial.get("student"):
            raw = self.initial["student"]
        elif self.instance.pk and self.instance.audience == Shelf.Audience.GUARDIANS:
            first = self.instance.guardianships.order_by("pk").first()
            raw = first.student_id if first else None
        try:
            return int(raw) if raw else None
        except (TypeError, ValueError):
            return None

    @property
    def named_student(self) -> Student | None:
        """The pupil whose parents can be ticked (for the page's heading of the choices)."""
        if "student" not in self.fields:
            return None
        student_id = self._student_id()
        return self.fields["student"].queryset.filter(pk=student_id).first() if student_id else None

    def clean(self):
        data = super().clean()
        audience = data.get("audience")
        if audience == Shelf.Audience.GROUPS and not data.get("groups"):
            self.add_error("groups", _("Choose the groups whose parents see this shelf."))
        if audience == Shelf.Audience.GUARDIANS:
            student = data.get("student")
            if student is None:
                self.add_error("student", _("Choose the pupil whose parents get this shelf."))
            elif not data.get("guardianships") and "guardianships" not in self.errors:
                self.add_error("guardianships", _("Tick the parents of %(pupil)s who get this shelf.")
                               % {"pupil": student.full_name})
        return data


class UploadForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Title"), max_length=200, required=False,
        help_text=gettext_lazy("Left empty: the file's name."),
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        error_messages={"required": gettext_lazy("Choose the file to add.")},
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    notify = forms.BooleanField(
        label=gettext_lazy("Tell the parents who see this shelf"), required=False, initial=True,
        help_text=gettext_lazy("A notification with the title; for a letter to one family only its named parents."),
    )

    def __init__(self, *args, shelf: Shelf, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"] = _folder_field(shelf, gettext_lazy("Folder"))
        self.order_fields(["title", "file", "description", "folder", "notify"])
        self.fields["file"].help_text = accepted_types_text()
        self.fields["file"].widget.attrs["accept"] = ",".join(accepted_extensions())

    def clean_file(self):
        return prepare_upload(self.cleaned_data["file"])

    def clean(self):
        data = super().clean()
        prepared = data.get("file")
        if not data.get("title") and prepared is not None:
            data["title"] = PurePath(prepared.name).stem[:200]
        return data


class ReplaceForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("New version"),
        error_messages={"required": gettext_lazy("Choose the file of the new version.")},
    )
    note = forms.CharField(
        label=gettext_lazy("What changed"), max_length=300, required=False,
        help_text=gettext_lazy("For example: new dates for the spring holiday. Staff see it in the history."),
    )
    notify = forms.BooleanField(
        label=gettext_lazy("Tell the parents who see this shelf about the new version"), required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = accepted_types_text()
        self.fields["file"].widget.attrs["accept"] = ",".join(accepted_extensions())

    def clean_file(self):
        return prepare_upload(self.cleaned_data["file"])


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["folder"] = _folder_field(self.instance.shelf, gettext_lazy("Folder"))
        self.initial.setdefault("folder", self.instance.folder_id)


class FolderForm(forms.ModelForm):
    class Meta:
        model = Folder
        fields = ["title"]

    def __init__(self, *args, shelf: Shelf, **kwargs):
        super().__init__(*args, **kwargs)
        exclude = _self_and_below(self.instance, list(shelf.folders.all())) if self.instance.pk else set()
        self.fields["parent"] = _folder_field(shelf, gettext_lazy("Inside folder"), exclude)
        if self.instance.pk:
            self.initial.setdefault("parent", self.instance.parent_id)


def _self_and_below(folder: Folder, folders: list[Folder]) -> set[int]:
    found = {folder.pk}
    changed = True
    while changed:
        changed = False
        for other in folders:
            if other.parent_id in found and other.pk not in found:
                found.add(other.pk)
                changed = True
    return found

