import pytest

from schoolpoort.core.models import Guardianship
from tests.factories import GroupFactory, GuardianshipFactory, SchoolFactory, UserFactory, enrolled_student


@pytest.fixture
def school(db):
    return SchoolFactory(name="De Regenboog")


@pytest.fixture
def group(school):
    return GroupFactory(school=school, grades="3", name="Groep 3")


@pytest.fixture
def noor(group):
    """A pupil whose guardians have not registered yet."""
    return enrolled_student(group, first_name="Noor", last_name="Jansen")


@pytest.fixture
def free_slot(noor) -> Guardianship:
    """Noor's mother, known to the school without an e-mail address: she gets a letter."""
    return GuardianshipFactory(
        student=noor, user=None, first_name="Anna", last_name="Jansen", relation=Guardianship.Relation.MOTHER
    )


@pytest.fixture
def parent(db):
    return UserFactory(email="ouder@example.org", first_name="Sanne", last_name="de Vries")
