"""The demo's results (DEMO.md): every De Regenboog child has test results; this year's first report
card is not yet visible to parents, last year's are."""

import pytest
from django.urls import reverse
from django.utils import timezone

from schoolpoort.records.results.models import MethodTest, ReportCard, StandardisedTest


@pytest.mark.django_db(transaction=True)
def test_the_demo_children_have_results_and_an_unreleased_report_card(client, demo):
    world = demo
    today = timezone.localdate()
    noor, sem = world.students["Noor Jansen"], world.students["Sem Jansen"]
    assert StandardisedTest.objects.filter(student=noor).exists()
    moments = {t.moment for t in StandardisedTest.objects.filter(student=sem, test="CITO Rekenen-Wiskunde")}
    assert moments >= {"M3", "E3"}
    assert all(t.taken_on <= today for t in StandardisedTest.objects.filter(student__school=noor.school))
    assert MethodTest.objects.filter(student=sem).exists() or today.month == 8
    unreleased = ReportCard.objects.filter(student=sem, period__released_on__gt=today)
    assert unreleased.exists()
    client.force_login(world.users["jansen@ouders.example"])
    page = client.get(reverse("results:report_cards", args=[sem.pk])).content.decode()
    assert f'id="report-card-{unreleased.first().pk}"' not in page
    assert (
        page.count('class="card report-card"')
        == ReportCard.objects.filter(student=sem, period__released_on__lte=today).count()
        > 0
    )
