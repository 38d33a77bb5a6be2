"""The demo content of the records is there, deterministic, and opens for jansen@."""

from django.urls import reverse

from schoolpoort.records.models import CorrectionRequest, Invoice, Note, SupportPlan


def test_the_demo_has_records_for_the_regenboog_children(demo, client):
    noor = demo.students["Noor Jansen"]
    assert Invoice.objects.filter(student=noor, status="open").exists()
    assert Invoice.objects.filter(student=noor, status="paid").exists()
    assert SupportPlan.objects.filter(student=demo.students["Sem Jansen"]).exists()
    assert Note.objects.filter(student=noor, category__open_to_guardians=False).exists()
    assert CorrectionRequest.objects.filter(student=noor, status="received").count() == 1
    client.force_login(demo.users["jansen@ouders.example"])
    for name in ["records:card", "records:medical", "records:notes", "records:invoices"]:
        assert client.get(reverse(name, args=[noor.pk])).status_code == 200
    home = client.get("/").content.decode()
    assert 'id="records-home"' in home
