from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import managed_school_or_404
from .actions import add_module_closure, set_module_switches
from .forms import ModuleClosureForm
from .models import ModuleClosure, ModuleSwitch
from .modules import MODULES, ModuleInfo


def _enabled(school) -> set[str]:
    return set(ModuleSwitch.objects.filter(school=school, enabled=True).values_list("module", flat=True))


def _module_or_404(code: str) -> ModuleInfo:
    if code not in MODULES:
        raise Http404
    return MODULES[code]


@login_required
def modules(request, school_id: int):
    """The modules as a list (state, what each does, a switch), and the closed periods. Switching a
    module off and closing one for a period first show what parents lose (``module_off`` and the
    confirmation step of the closure form)."""
    school = managed_school_or_404(request.user, school_id)
    closure_form = ModuleClosureForm(prefix="closure")
    if request.method == "POST":
        closure_form = ModuleClosureForm(request.POST, prefix="closure")
        if closure_form.is_valid() and "edit" not in request.POST:  # "edit": back from the confirmation
            if "confirm" not in request.POST:
                module = MODULES.get(closure_form.cleaned_data["module"])
                return render(
                    request,
                    "core/module_closure_confirm.html",
                    {"school": school, "form": closure_form, "module": module, "closure": closure_form.cleaned_data},
                )
            add_module_closure(school, request.user, **closure_form.cleaned_data)
            messages.success(request, _("The closed period has been added."))
            return redirect("core:modules", school.pk)
    enabled = _enabled(school)
    rows = [{"info": info, "enabled": code in enabled} for code, info in MODULES.items()]
    closures = ModuleClosure.objects.filter(school=school).order_by("-starts_on")[:50]
    return render(
        request,
        "core/modules.html",
        {"school": school, "modules": rows, "closure_form": closure_form, "closures": closures},
    )


@login_required
def module_off(request, school_id: int, module: str):
    """GET: what parents lose when this module goes off; nothing changes. POST: switch it off."""
    school = managed_school_or_404(request.user, school_id)
    info = _module_or_404(module)
    enabled = _enabled(school)
    if request.method == "POST":
        set_module_switches(school, enabled - {module}, request.user)
        messages.success(request, _("%(module)s is switched off.") % {"module": info.label})
        return redirect("core:modules", school.pk)
    return render(request, "core/module_off_confirm.html",
                  {"school": school, "module": info, "enabled": module in enabled})


@login_required
@require_POST
def module_on(request, school_id: int, module: str):
    school = managed_school_or_404(request.user, school_id)
    info = _module_or_404(module)
    set_module_switches(school, _enabled(school) | {module}, request.user)
    messages.success(request, _("%(module)s is switched on.") % {"module": info.label})
    return redirect("core:modules", school.pk)


@login_required
@require_POST
def delete_closure(request, school_id: int, closure_id: int):
    school = managed_school_or_404(request.user, school_id)
    deleted, _count = ModuleClosure.objects.filter(school=school, pk=closure_id).delete()
    if not deleted:
        raise Http404
    messages.success(request, _("The closed period has been removed."))
    return redirect("core:modules", school.pk)
