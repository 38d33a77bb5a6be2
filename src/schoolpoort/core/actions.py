"""Actions on the school world that the pages and the API share. Each is atomic."""

from django.db import transaction

from .models import AuditEntry, ModuleClosure, ModuleSwitch
from .modules import MODULES


@transaction.atomic
def set_module_switches(school, enabled: set[str], actor) -> list[str]:
    """Switch the school's modules to exactly ``enabled``; returns the codes that changed."""
    current = {s.module: s for s in ModuleSwitch.objects.select_for_update().filter(school=school)}
    changed = []
    for code in MODULES:
        want = code in enabled
        switch = current.get(code)
        if switch is None:
            ModuleSwitch.objects.create(school=school, module=code, enabled=want)
            changed += [code] if want else []
        elif switch.enabled != want:
            switch.enabled = want
            switch.save(update_fields=["enabled"])
            changed.append(code)
    if changed:
        AuditEntry.record(actor, "modules.switched", school=school, changed=changed, enabled=sorted(enabled))
    return changed


@transaction.atomic
def add_module_closure(school, actor, **fields) -> ModuleClosure:
    closure = ModuleClosure.objects.create(school=school, **fields)
    AuditEntry.record(actor, "modules.closed", closure, school=school, module=closure.module)
    return closure
