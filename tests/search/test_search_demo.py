"""The demo school (DEMO.md) as the spec of search and reactions: Smit (groep 3) finds groep 3's
trip to Artis and not groep 6's museum trip, De Ark's teacher finds nothing of De Regenboog, and
De Regenboog lets parents react to news while De Ark does not."""

from django.urls import reverse

from schoolpoort.lib.demo import ARK, REGENBOOG
from schoolpoort.news.models import Post, PostReaction, SchoolNewsSettings
from tests.search.helpers import search_url


def test_the_demo_searches_and_reacts_as_the_families_expect(client, demo):
    users = demo.users
    client.force_login(users["smit@ouders.example"])
    page = client.get(search_url("Artis")).content.decode()
    assert "Schoolreisje naar Artis" in page and "<mark>" in page
    assert "Excursie naar het Spoorwegmuseum" not in client.get(search_url("Spoorwegmuseum")).content.decode()

    client.force_login(users["leerkracht.groep5@deark.example"])
    assert 'id="search-nothing"' in client.get(search_url("Artis")).content.decode()

    assert SchoolNewsSettings.objects.get(school=demo.schools[REGENBOOG]).reactions
    assert not SchoolNewsSettings.objects.filter(school=demo.schools[ARK], reactions=True).exists()
    assert PostReaction.objects.exists()
    fixed = ["jansen@ouders.example", "devries@ouders.example", "bakker@ouders.example",
             "elmoussaoui@ouders.example", "smit@ouders.example"]
    assert not PostReaction.objects.filter(user__email__in=fixed).exists()  # their choices stay theirs
    artis = Post.objects.get(title="Schoolreisje naar Artis")
    client.force_login(users["smit@ouders.example"])
    detail = client.get(reverse("news:detail", args=[artis.pk])).content.decode()
    assert 'id="reactions"' in detail and 'name="kind"' in detail
