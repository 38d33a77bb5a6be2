"""Every form of the project renders through the kernel's one form rendering (lib/forms.py,
FORM_RENDERER): labels without a colon, no "---------" as an empty choice, and errors tied to their
input. The forms are collected from the code, so a new module's form is checked without a line here."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.forms.models import BaseModelForm
from django.template.loader import render_to_string
from django_scopes import scopes_disabled

import schoolpoort
from schoolpoort.core.models import School
from schoolpoort.lib.forms import BoundField, Renderer
from tests.world import build_world

SKIP_MODULES = (".migrations", ".management", ".settings", ".wsgi", ".urls", ".asgi")


def _import_everything() -> None:
    for info in pkgutil.walk_packages(schoolpoort.__path__, "schoolpoort."):
        if not any(part in info.name for part in SKIP_MODULES):
            importlib.import_module(info.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def project_form_classes() -> list[type[forms.BaseForm]]:
    _import_everything()
    found = {cls for cls in _subclasses(forms.BaseForm) if cls.__module__.startswith("schoolpoort.")}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


FORM_CLASSES = project_form_classes()


def _arguments(world) -> dict:
    """Values for the keyword arguments forms commonly take, by name."""
    with scopes_disabled():
        from schoolpoort.core.models import Student

        students = Student.objects.filter(pk__in=[world.child.pk])
    director = world.users["director"]
    return {
        "school": world.school,
        "group": world.group3,
        "student": world.child,
        "students": students,
        "user": director,
        "enabled": set(),
        "current": {},
        "children": [],
        "answers": {},
        "questions": [],
        "slots": [],
        "parties": [],
        "blocks": [],
        "manages": True,
        "paths": {},
        "days": 30,
    }


def build(cls, world, data=None):
    """The form as its view would build it where the arguments are simple; otherwise with its declared
    fields only (its __init__ skipped), which still shows how those fields render."""
    values = _arguments(world)
    parameters = inspect.signature(cls.__init__).parameters
    needed = {
        name: values[name]
        for name, parameter in parameters.items()
        if name in values and parameter.kind in (parameter.KEYWORD_ONLY, parameter.POSITIONAL_OR_KEYWORD)
        and name not in ("data", "files")
    }
    try:
        return cls(data=data, **needed)
    except Exception:  # noqa: BLE001 - a form that needs more than simple values: its declared fields
        form = cls.__new__(cls)
        (BaseModelForm if issubclass(cls, BaseModelForm) else forms.BaseForm).__init__(form, data=data)
        for field in form.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.queryset is None:  # its __init__ sets it
                field.queryset = School.objects.none()
        return form


@pytest.fixture
def world(db):
    return build_world()


def test_the_project_uses_the_kernel_renderer():
    form = forms.Form()
    assert isinstance(form.renderer, Renderer)
    assert FORM_CLASSES, "no forms were found"
    assert len(FORM_CLASSES) > 40  # every module's forms, not a handful


def name(cls) -> str:
    return f"{cls.__module__}.{cls.__name__}"


def test_every_form_renders_without_colons_or_dashes(world):
    wrong = []
    with scopes_disabled():
        for cls in FORM_CLASSES:
            form = build(cls, world)
            html = str(form) + "".join(render_to_string("lib/_field.html", {"field": field}) for field in form)
            if ":</label>" in html or "---------" in html or not all(isinstance(f, BoundField) for f in form):
                wrong.append(name(cls))
    assert wrong == []


def test_a_field_with_an_error_is_marked_invalid_and_names_its_error(world):
    checked = 0
    with scopes_disabled():
        for cls in FORM_CLASSES:
            form = build(cls, world, data={})
            form.is_valid()
            html = str(form)
            wrong = [field for field in form.visible_fields() if field.errors]
            if not wrong:
                continue
            checked += 1
            assert 'class="error-summary" role="alert"' in html, name(cls)  # the summary at the top
            for field in wrong:
                assert f'id="{field.errors_id}"' in html, name(cls)
                if field.use_fieldset:
                    continue
                tag = re.search(rf'<(?:input|select|textarea)[^>]*\bname="{re.escape(field.html_name)}"[^>]*>', html)
                assert tag, (name(cls), field.html_name)
                assert 'aria-invalid="true"' in tag.group(0), (name(cls), field.html_name)
                described = re.search(r'aria-describedby="([^"]*)"', tag.group(0))
                assert described and field.errors_id in described.group(1).split(), (name(cls), field.html_name)
    assert checked > 20


def test_a_select_without_its_own_empty_label_asks_to_choose():
    class Pick(forms.Form):
        colour = forms.ChoiceField(choices=[("", "---------"), ("r", "Rood")])
        maybe = forms.ChoiceField(choices=[("", "---------"), ("r", "Rood")], required=False)

    html = str(Pick())
    assert "---------" not in html
    assert "Kies…" in html and "Geen" in html or "Choose…" in html
