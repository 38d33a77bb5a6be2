from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .access import managed_school_or_404
from .actions import add_module_closure, set_module_switches
from .forms import ModuleClosureForm, ModuleSwitchesForm
from .models import ModuleClosure, ModuleSwitch


@login_required
def modules(request, school_id: int):
    school = managed_school_or_404(request.user, school_id)
    enabled = set(ModuleSwitch.objects.filter(school=school, enabled=True).values_list("module", flat=True))
    switches_form = ModuleSwitchesForm(enabled=enabled)
    closure_form = ModuleClosureForm(prefix="closure")
    if request.method == "POST":
        if "save_switches" in request.POST:
            switches_form = ModuleSwitchesForm(request.POST, enabled=enabled)
            if switches_form.is_valid():
                chosen = {code for code, on in switches_form.cleaned_data.items() if on}
                set_module_switches(school, chosen, request.user)
                messages.success(request, _("The modules have been saved."))
                return redirect("core:modules", school.pk)
        else:
            closure_form = ModuleClosureForm(request.POST, prefix="closure")
            if closure_form.is_valid():
                add_module_closure(school, request.user, **closure_form.cleaned_data)
                messages.success(request, _("The closed period has been added."))
                return redirect("core:modules", school.pk)
    closures = ModuleClosure.objects.filter(school=school).order_by("-starts_on")[:50]
    return render(
        request,
        "core/modules.html",
        {"school": school, "switches_form": switches_form, "closure_form": closure_form, "closures": closures},
    )


@login_required
@require_POST
def delete_closure(request, school_id: int, closure_id: int):
    school = managed_school_or_404(request.user, school_id)
    deleted, _count = ModuleClosure.objects.filter(school=school, pk=closure_id).delete()
    if not deleted:
        raise Http404
    messages.success(request, _("The closed period has been removed."))
    return redirect("core:modules", school.pk)
