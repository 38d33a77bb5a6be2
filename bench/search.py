"""Search (/zoeken/) on the board world (bench/generate.py): SQL queries and the median time of
the page for a parent, a director and the board admin, for a word in a sixth of the titles, a word
in every post's body, and a word in none; and PostgreSQL's plan of the news part for the board
admin (who may see all 50,000 posts). In-process, Django's test client. Prints JSON.

    DATABASE_URL=postgres://... .venv/bin/python bench/search.py
"""

from __future__ import annotations

import json
import statistics
import time
from urllib.parse import urlencode

from prepare import setup

WORDS = {"title": "schoolreis", "every body": "gymkleding", "none": "xylofoon"}
PEOPLE = {
    "parent": "ouder0@bench.example", "director": "directie0@bench.example", "board admin": "bestuur@bench.example",
}
RUNS = 5


def main() -> None:
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from schoolpoort.accounts import second_factor as factor
    from schoolpoort.accounts.models import User
    from schoolpoort.lib.search import parse_query, text_match
    from schoolpoort.news.models import Post
    from schoolpoort.news.search import FIELDS, _usable_q

    result: dict = {}
    for role, email in PEOPLE.items():
        user = User.objects.get(email=email)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        session = client.session
        session[factor.VERIFIED_KEY] = user.pk  # staff: as after the second factor (no TOTP here)
        session.save()
        for label, word in WORDS.items():
            url = f"/zoeken/?{urlencode({'q': word})}"
            client.get(url)  # warm
            times = []
            for _ in range(RUNS):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, (role, response.status_code, response.get("Location"))
            result[f"{role} / {label}"] = {"queries": len(queries), "median ms": round(statistics.median(times), 1)}
    admin = User.objects.get(email=PEOPLE["board admin"])
    with scopes_disabled():
        posts = Post.objects.visible_to(admin).filter(_usable_q(admin)).only("pk")
        found = text_match(posts, FIELDS, parse_query(WORDS["title"]), newest=("-publish_at", "-pk"))[:6]
        sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}", params)
        result["plan (board admin, news, 'schoolreis')"] = [row[0] for row in cursor.fetchall()]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
