"""Absences in a real Chromium, on 360 px phones, against the demo school: a parent reports her child
sick; the teacher gets a notification, sees the child on the group's list of today and confirms;
the parent sees that the school has seen it."""

from django.core.management import call_command
from playwright.sync_api import expect

from tests.e2e.test_foundation_flows import assert_fits_the_phone, signed_in_phone

PARENT = "smit@ouders.example"  # Daan Smit, groep 3 of De Regenboog
TEACHER = "leerkracht.groep3@regenboog.example"


def run_worker():
    call_command("db_worker", "--batch", "--queue-name", "*", "--no-startup-delay", verbosity=0)



def unread_count(page) -> int:
    badge = page.locator("header .bell .badge")
    return int(badge.inner_text()) if badge.count() else 0


def test_a_parent_reports_a_child_sick_and_the_teacher_sees_it_on_todays_list(demo, browser, live_server):
    daan = demo.students["Daan Smit"]
    group3 = demo.groups["99AA", "3"]
    teacher = signed_in_phone(browser, live_server, TEACHER)
    teacher_unread = unread_count(teacher)
    teacher.goto(f"{live_server.url}/absenties/groep/{group3.pk}/")
    expect(teacher.locator(f"#pupil-{daan.pk}")).to_have_attribute("data-status", "present")

    parent = signed_in_phone(browser, live_server, PARENT)
    expect(parent.locator("#absences-home")).to_be_visible()  # the home page's absences block
    parent.locator("#absences-home a[href='/absenties/melden/']").click()
    expect(parent).to_have_url(f"{live_server.url}/absenties/melden/")
    expect(parent.locator(f"input[name=student][value='{daan.pk}']")).to_be_checked()  # the only child
    parent.check("input[name=reason][value=sick]")
    parent.fill("textarea[name=note]", "Daan heeft koorts.")
    assert_fits_the_phone(parent)
    parent.click("main form.card button[type=submit]")
    expect(parent).to_have_url(f"{live_server.url}/absenties/")
    current = parent.locator("#current-absences .absences-item")
    expect(current).to_have_count(1)
    expect(current).to_contain_text("Daan")
    expect(current.locator("form.absences-better button")).to_have_count(2)  # open until better

    run_worker()  # the notifications to the other parent, the teacher and the administration

    teacher.goto(f"{live_server.url}/absenties/")
    assert unread_count(teacher) == teacher_unread + 1
    teacher.locator(f"a[href='/absenties/groep/{group3.pk}/']").first.click()
    row = teacher.locator(f"#pupil-{daan.pk}")
    expect(row).to_have_attribute("data-status", "reported")
    expect(row).to_contain_text("Daan Smit")
    expect(row).to_contain_text("Daan heeft koorts.")
    assert_fits_the_phone(teacher)

    row.locator("form button[type=submit]").click()  # confirm, in place (htmx)
    expect(row.locator(".absences-confirmed")).to_be_visible()
    expect(teacher).to_have_url(f"{live_server.url}/absenties/groep/{group3.pk}/")

    parent.reload()
    expect(parent.locator("#current-absences .absences-item .status-ok")).to_be_visible()


def test_a_teacher_marks_a_pupil_absent_in_place(demo, browser, live_server):
    group3 = demo.groups["99AA", "3"]
    daan = demo.students["Daan Smit"]
    teacher = signed_in_phone(browser, live_server, TEACHER)
    teacher.goto(f"{live_server.url}/absenties/groep/{group3.pk}/")
    row = teacher.locator(f"#pupil-{daan.pk}")
    row.locator("button.absences-mark").click()
    expect(teacher.locator(f"#pupil-{daan.pk}")).to_have_attribute("data-status", "unexplained")
    teacher.locator(f"#pupil-{daan.pk} form button[type=submit]").click()  # here after all
    expect(teacher.locator(f"#pupil-{daan.pk}")).to_have_attribute("data-status", "present")
