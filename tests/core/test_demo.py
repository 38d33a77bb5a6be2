"""The demo school of DEMO.md: the same world on every run, with every fixed account and family
it promises, and ``serve_demo`` running the web server and the worker together."""

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Q
from django.utils import timezone

from schoolpoort.accounts import registration
from schoolpoort.accounts.models import RegistrationCode, User
from schoolpoort.core.access import roles_of
from schoolpoort.core.models import (
    BoardMembership,
    Group,
    Guardianship,
    ModuleSwitch,
    School,
    StaffMembership,
    Student,
)
from schoolpoort.core.modules import MODULES
from schoolpoort.demo.world import build_demo
from schoolpoort.lib.demo import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def world(demo):
    """The demo school (tests/demo_snapshot.py); the tests of building it call build_demo."""
    return demo


def snapshot():
    """Everything that makes the world this world, in a comparable form."""
    rows = []
    slots = Guardianship.objects.select_related("student", "user").prefetch_related("student__groups__school")
    for slot in slots:
        for group in slot.student.groups.all():
            email = slot.user.email if slot.user else slot.email
            rows.append((group.school.name, group.name, slot.student.full_name, email, slot.relation))
    models = (User, School, Group, Student, Guardianship, StaffMembership, ModuleSwitch, RegistrationCode)
    counts = {model.__name__: model.objects.count() for model in models}
    return sorted(rows), counts


def guardian_of(email: str) -> dict[str, tuple[str, str]]:
    """Pupil full name → (school BRIN, group name) for every child of the account."""
    return {
        slot.student.full_name: (group.school.brin, group.name)
        for slot in Guardianship.objects.filter(user__email=email).select_related("student")
        for group in slot.student.groups.select_related("school")
    }


def test_building_twice_gives_the_same_world(world):
    first, first_counts = snapshot()

    again = build_demo(verbosity=0)

    second, second_counts = snapshot()
    assert second == first
    assert second_counts == first_counts
    assert again.registration_code == world.registration_code
    assert first_counts["School"] == 2 and first_counts["Group"] == 16


def test_the_world_is_plausible(world):
    for group in Group.objects.all():
        assert 18 <= group.enrollments.count() <= 28, group
        assert group.teachers.exists(), group
    per_pupil = Counter(Guardianship.objects.values_list("student_id", flat=True))
    assert set(per_pupil.values()) == {1, 2}
    assert 0.05 < list(per_pupil.values()).count(1) / len(per_pupil) < 0.3
    # Brothers and sisters share their guardians' accounts.
    assert max(Counter(Guardianship.objects.exclude(user=None).values_list("user", flat=True)).values()) >= 2
    # Not everyone has registered; for some the school knows no e-mail address at all.
    assert Guardianship.objects.filter(user=None).exclude(email="").exists()
    assert Guardianship.objects.filter(user=None, email="").count() > 1
    assert Guardianship.objects.filter(has_parental_authority=False).exists()
    assert Student.objects.filter(infix="van der").exists() or Student.objects.filter(infix="van").exists()
    assert not Student.objects.filter(last_name__regex=r"^(van|de|der|den) ").exists()
    assert User.objects.filter(language="en").exists()


def test_a_parent_without_class_pages_is_not_a_fixed_account(world):
    restricted = Guardianship.objects.filter(sees_class_pages=False).select_related("user")
    assert restricted.exists()
    assert all(slot.user and slot.user.email not in world.users for slot in restricted)


def test_every_fixed_account_has_the_demo_password(world):
    fixed = [
        "bestuur@stichting.example", "directie@regenboog.example", "administratie@regenboog.example",
        "leerkracht.groep3@regenboog.example", "leerkracht.groep6@regenboog.example",
        "leerkracht.groep5@deark.example", "jansen@ouders.example", "devries@ouders.example",
        "bakker@ouders.example", "elmoussaoui@ouders.example", "smit@ouders.example",
    ]
    assert sorted(world.users) == sorted(fixed)
    for email in fixed:
        user = User.objects.get(email=email)
        assert user.check_password(PASSWORD), email
        assert user.first_name and user.last_name, email


def test_staff_accounts_have_their_roles(world):
    regenboog, ark = School.objects.get(brin="99AA"), School.objects.get(brin="99BB")

    board = roles_of(User.objects.get(email="bestuur@stichting.example"))
    assert board.board_school_ids == {regenboog.pk, ark.pk}
    assert BoardMembership.objects.filter(user__email="bestuur@stichting.example", board=world.board).exists()

    director = roles_of(User.objects.get(email="directie@regenboog.example"))
    assert director.manages(regenboog) and director.administers(regenboog) and not director.is_staff_at(ark)

    administration = roles_of(User.objects.get(email="administratie@regenboog.example"))
    assert administration.has_role(regenboog, "administration") and administration.administers(regenboog)
    assert not administration.manages(regenboog)

    for email, school, grade in [
        ("leerkracht.groep3@regenboog.example", regenboog, "3"),
        ("leerkracht.groep6@regenboog.example", regenboog, "6"),
        ("leerkracht.groep5@deark.example", ark, "5"),
    ]:
        teacher = User.objects.get(email=email)
        roles = roles_of(teacher)
        assert roles.has_role(school, "teacher") and not roles.administers(school), email
        assert list(teacher.taught_groups.values_list("school", "grades")) == [(school.pk, grade)], email
        assert not roles.is_guardian


def test_jansen_has_noor_and_sem(world):
    assert guardian_of("jansen@ouders.example") == {
        "Noor Jansen": ("99AA", "Groep 3"),
        "Sem Jansen": ("99AA", "Groep 6"),
    }
    assert roles_of(User.objects.get(email="jansen@ouders.example")).is_guardian
    assert not roles_of(User.objects.get(email="jansen@ouders.example")).is_staff


def test_lotte_has_two_separated_guardians_with_their_own_accounts(world):
    assert guardian_of("devries@ouders.example") == {"Lotte de Vries": ("99AA", "Groep 6")}
    assert guardian_of("bakker@ouders.example") == {"Lotte de Vries": ("99AA", "Groep 6")}
    lotte = Student.objects.get(first_name="Lotte", infix="de", last_name="Vries")
    slots = {slot.user.email: slot for slot in lotte.guardianships.select_related("user")}
    assert set(slots) == {"devries@ouders.example", "bakker@ouders.example"}
    assert slots["bakker@ouders.example"].hides_contact_from_other_guardians
    assert all(slot.has_parental_authority for slot in slots.values())


def test_el_moussaoui_spans_two_schools(world):
    assert guardian_of("elmoussaoui@ouders.example") == {
        "Yasmina El Moussaoui": ("99AA", "Groep 6"),
        "Adam El Moussaoui": ("99BB", "Groep 5"),
    }


def test_smit_has_daan(world):
    assert guardian_of("smit@ouders.example") == {"Daan Smit": ("99AA", "Groep 3")}
    assert world.students["Daan Smit"].school.brin == "99AA"


def test_finn_vissers_unregistered_guardian_has_a_usable_code(world):
    finn = Student.objects.get(first_name="Finn", last_name="Visser")
    assert list(finn.groups.values_list("school__brin", "name")) == [("99AA", "Groep 6")]
    slot = finn.guardianships.get(user=None)
    assert slot.email == ""
    code = RegistrationCode.objects.get(guardianship=slot)
    assert code.code_hash == registration.hash_code(world.registration_code)
    assert code.used_at is None and code.expires_at > timezone.now() and code.is_usable
    assert registration.find_usable_code(world.registration_code) == code


def test_de_ark_is_in_its_first_phase_and_de_regenboog_has_everything(world):
    switches = dict(ModuleSwitch.objects.filter(school__brin="99BB").values_list("module", "enabled"))
    assert switches == {code: code in {"news", "calendar", "absences"} for code in MODULES}
    assert set(
        ModuleSwitch.objects.filter(school__brin="99AA", enabled=True).values_list("module", flat=True)
    ) == set(MODULES)


def test_load_demo_prints_the_accounts_and_the_code(db):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    code = RegistrationCode.objects.get()
    assert code.guardianship.student.full_name == "Finn Visser"
    assert "Demo-wachtwoord-2026" in text
    assert "bakker@ouders.example" in text and "leerkracht.groep5@deark.example" in text
    assert "Registration code for Finn Visser's guardian: " in text
    assert "/registreren/?code=" in text
    assert "TOTP secret JBSWY3DPEHPK3PXP" in text


def test_every_staff_account_has_the_demo_totp_secret_and_parents_none(world):
    import pyotp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff = User.objects.filter(Q(staff_memberships__isnull=False) | Q(board_memberships__isnull=False)).distinct()
    devices = {device.user_id: device for device in TOTPDevice.objects.filter(confirmed=True)}
    assert set(devices) == set(staff.values_list("pk", flat=True))
    assert len(devices) > 6  # the fixed staff and the generated teachers
    device = devices[User.objects.get(email="leerkracht.groep3@regenboog.example").pk]
    assert device.verify_token(pyotp.TOTP("JBSWY3DPEHPK3PXP").now())


# --- serve_demo -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def fetch(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers.get("Content-Type", ""), response.read()


def test_serve_demo_serves_pages_and_css_and_ctrl_c_stops_both(tmp_path):
    env = {
        **os.environ,
        "SCHOOLPOORT_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DEBUG": "false",
        "DJANGO_SETTINGS_MODULE": "schoolpoort.settings",
    }
    env.pop("EMAIL_HOST", None)
    env.pop("REDIS_URL", None)
    env.pop("SITE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=120)
    port = free_port()
    server = subprocess.Popen([*manage, "serve_demo", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines: list[str] = []  # read as it comes, so the test can wait for the worker's start
    reader = threading.Thread(target=lambda: lines.extend(line.decode() for line in server.stdout), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status, _type, body = fetch(f"http://127.0.0.1:{port}/inloggen/")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "".join(lines)
                assert time.monotonic() < deadline, "the web server did not answer"
                time.sleep(0.2)
        assert status == 200
        status, content_type, css = fetch(f"http://127.0.0.1:{port}/static/web/schoolpoort.css")
        assert status == 200 and content_type.startswith("text/css") and len(css) > 100

        children = children_of(server.pid)
        assert len(children) == 2  # the web server and the task worker
        # The demo honours its address: every link both make (agenda feed, e-mails, letters) uses this port.
        for pid in children:
            environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
            assert f"SITE_URL=http://127.0.0.1:{port}".encode() in environ
        # Ctrl-C only once the worker has started (on a busy machine its imports take seconds).
        while not any("Starting worker" in line for line in lines):
            assert time.monotonic() < deadline + 40, "the worker did not start: " + "".join(lines)
            time.sleep(0.2)
        server.send_signal(signal.SIGINT)
        assert server.wait(timeout=15) == 0
        reader.join(timeout=5)
        output = "".join(lines)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert f"http://127.0.0.1:{port}/" in output and str(tmp_path / "mail") in output
    assert "Starting worker" in output
    for pid in children:
        assert not Path(f"/proc/{pid}").exists(), f"child {pid} still running"

