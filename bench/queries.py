"""P3: SQL queries per page, for the main parent of a world (bench/prepare.py), with Django's
test client in-process. Prints JSON: {page: queries}.

    python bench/queries.py board|demo
"""

from __future__ import annotations

import json
import sys

from prepare import personas, setup


def main() -> None:
    setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from schoolpoort.accounts.models import User

    info = personas(sys.argv[1])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(pk=info["parent_id"]))
    result = {"children": info["children"], "album_photos": info["album_photos"]}
    for page in ("home", "feed", "classlist", "album", "calendar", "ical"):
        path = info["paths"][page]
        if path is None:
            result[page] = None
            continue
        client.get(path)  # warm caches that live per process (templates, module switches)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        result[page] = len(queries) if response.status_code == 200 else f"HTTP {response.status_code}"
    print(json.dumps(result))


if __name__ == "__main__":
    main()
