"""The reach cache keeps each user's module states (``request_modules``) pickled. A registered
module's ``ModuleInfo`` is pickled by its code and read back as the registry's own object: pickled
whole, its lazy translations built a proxy class each when read back, 5 ms on every page of a
board's parent (bench/ profile of the feed)."""

import pickle

from schoolpoort.core.access import ModuleState, SchoolModules
from schoolpoort.core.modules import MODULES, ModuleInfo
from tests.factories import SchoolFactory


def test_every_registered_module_comes_back_as_the_registrys_object():
    for code, info in MODULES.items():
        assert pickle.loads(pickle.dumps(info)) is info, code


def test_an_unregistered_module_info_comes_back_by_value():
    stray = ModuleInfo("stray", "Stray", "Not installed", "icon-x", "web:home")
    back = pickle.loads(pickle.dumps(stray))
    assert back == stray and back is not stray


def test_cached_module_states_hold_no_lazy_translation(db):
    school = SchoolFactory()
    states = [ModuleState(info, True, None) for info in MODULES.values()]
    data = pickle.dumps([SchoolModules(school, states, as_staff=False)])
    assert b"lazy" not in data and b"gettext" not in data
    (back,) = pickle.loads(data)
    assert [state.info for state in back.states] == list(MODULES.values())
    assert all(state.info is MODULES[state.info.code] for state in back.states)
