"""The load generator of the rushes (P6, P7, P8 and the photo upload): gevent greenlets, one per
parent or teacher, each with its own connection, session cookie and CSRF header, that read the real
pages and post exactly what the forms post. In a process of its own (gevent patches everything it
imports beside), pinned to one core by bench/rushes.py.

    taskset -c 1 .venv/bin/python bench/rush.py spec.json result.json

"The same instant": every greenlet is started and waits on one gevent Event; the gate opens when
all of them wait. The result: every request as (name, HTTP status, ms, wall-clock start), what
each client ended with, and the scenario's own marks (wall-clock times, comparable with the
database's timestamps on the same machine).
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
import uuid
from urllib.parse import urlencode, urlsplit

CSRF_TOKEN = "benchcsrftoken0123456789abcdefgh"  # as bench/sessions.py


class Client:
    """One browser: a connection of its own, the session cookie, and a log of its requests."""

    def __init__(self, host: str, session: str, log: list):
        from geventhttpclient import HTTPClient

        parts = urlsplit(host)
        self.base = host
        self.http = HTTPClient(
            parts.hostname, parts.port, concurrency=1, connection_timeout=30.0, network_timeout=120.0
        )
        self.headers = {"Cookie": f"sessionid={session}; csrftoken={CSRF_TOKEN}"}
        self.log = log

    def request(self, name: str, method: str, path: str, body: bytes = b"", headers=None) -> tuple[int, str, str]:
        """(status, body, Location); status 0 when the connection failed."""
        started_wall, started = time.time(), time.perf_counter()
        try:
            response = self.http.request(method, path, body=body, headers={**self.headers, **(headers or {})})
            text = response.read().decode("utf-8", "replace")
            status, location = response.status_code, response.get("location") or ""
        except Exception as exc:  # noqa: BLE001 - counted as an error, the client goes on
            status, text, location = 0, str(exc), ""
        self.log.append((name, status, (time.perf_counter() - started) * 1000, started_wall))
        return status, text, location

    def get(self, name: str, path: str) -> tuple[int, str, str]:
        return self.request(name, "GET", path)

    def follow(self, name: str, location: str, default: str) -> tuple[int, str, str]:
        """GET the page a redirect sends to, with its query (a lost booking's ``?bezet=``), as a
        browser does."""
        target = urlsplit(location)
        path = (target.path or default) + (f"?{target.query}" if target.query else "")
        return self.get(name, path)

    def post(self, name: str, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        body = urlencode([("csrfmiddlewaretoken", CSRF_TOKEN), *fields]).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": CSRF_TOKEN,
            "Referer": self.base + path,
        }
        return self.request(name, "POST", path, body, headers)

    def post_file(self, name: str, path: str, field: str, filename: str, content: bytes, accept: str):
        """A multipart POST of one file, as the upload page's script sends it."""
        boundary = uuid.uuid4().hex
        body = b"".join(
            [
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
                f"{CSRF_TOKEN}\r\n".encode(),
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                "Content-Type: image/jpeg\r\n\r\n".encode(),
                content,
                f"\r\n--{boundary}--\r\n".encode(),
            ]
        )
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "X-CSRFToken": CSRF_TOKEN,
            "Referer": self.base + path,
            "Accept": accept,
        }
        return self.request(name, "POST", path, body, headers)


def _section(html: str, marker: str) -> str:
    """The part of the page from ``marker`` to the next card section."""
    start = html.find(marker)
    if start < 0:
        return ""
    end = html.find("<section", start + len(marker))
    return html[start : end if end > 0 else len(html)]


# --- What a parent reads on the pages (module-level: tests/bench checks them on the real pages) ----


def conference_pick(html: str, students: list[int], rng: random.Random) -> str | None:
    """The form value a parent posts: for two children the first back-to-back suggestion, for one
    one of the first three free times (people go for the early ones); on the page a lost booking
    is sent back to, the card's one-tap alternatives come first. None when nothing is free."""
    if len(students) > 1:
        values = [v for v in re.findall(r'name="pick" value="([\d:,]+)"', html) if v.count(":") == len(students)]
        return values[0] if values else None
    slots = re.findall(rf'name="pick" value="{students[0]}:(\d+)"', html)
    return f"{students[0]}:{rng.choice(slots[:3])}" if slots else None


def conference_booked(html: str, student: int) -> bool:
    return "data-booking=" in _section(html, f'id="kind-{student}"')


def free_options(html: str, field: str) -> list[str]:
    """The volunteer slots of the question that may still be ticked (a full one is disabled)."""
    found = re.finditer(rf'<input type="checkbox" name="{field}" value="(\d+)"[^>]*>', html)
    return [m.group(1) for m in found if "disabled" not in m.group(0)]


def pupil_status(html: str, student: int) -> str | None:
    """The status of a pupil's row on the teacher's list of the day ("present" when not away)."""
    row = re.search(rf'id="pupil-{student}"[^>]*data-status="([a-z_]+)"', html)
    return row.group(1) if row else None


# --- P6: a conference round opening --------------------------------------------------------------


def conference(spec: dict, gate, log: list, rng: random.Random) -> list[dict]:
    """Each parent opens the round's page at the opening, books (a single child: one of the first
    free times, as people go for the early ones; a family with two children: the first
    back-to-back suggestion) and, when the time was taken meanwhile, tries again from the page the
    redirect shows, up to ``attempts`` times."""
    outcomes: list[dict] = []

    def parent(client: dict):
        c = Client(spec["host"], client["session"], log)
        students, outcome = client["students"], {"students": client["students"], "result": "gave up", "tries": 0}
        gate.wait()
        status, html, _ = c.get("round page", spec["round_path"])
        for _attempt in range(spec["attempts"]):
            if status != 200:
                outcome["result"] = f"HTTP {status}"
                break
            value = conference_pick(html, students, rng)
            if value is None:
                outcome["result"] = "nothing free"
                break
            outcome["tries"] += 1
            status, _, location = c.post("book (POST)", spec["book_path"], [("pick", value)])
            if status != 302:
                outcome["result"] = f"HTTP {status}"
                break
            status, html, _ = c.follow("round page", location, spec["round_path"])
            if status == 200 and all(conference_booked(html, s) for s in students):
                outcome["result"] = "booked"
                break
        outcomes.append(outcome)

    return parent, outcomes


# --- P7: a volunteer sign-up rush ----------------------------------------------------------------


def signup(spec: dict, gate, log: list, rng: random.Random):
    """Each parent opens the form, ticks one volunteer slot that still has places (one parent in
    three ticks two) and signs up; a refusal (the page again, with the places as they are now)
    makes them choose again, up to ``attempts`` times."""
    outcomes: list[dict] = []
    field = spec["field"]

    def parent(client: dict):
        c = Client(spec["host"], client["session"], log)
        outcome = {"result": "gave up", "tries": 0}
        gate.wait()
        status, html, _ = c.get("form page", spec["form_path"])
        for _attempt in range(spec["attempts"]):
            free = free_options(html, field) if status == 200 else []
            if not free:
                outcome["result"] = "full" if status == 200 else f"HTTP {status}"
                break
            picks = rng.sample(free, min(len(free), 2 if rng.random() < 1 / 3 else 1))
            outcome["tries"] += 1
            status, html, location = c.post(
                "sign up (POST)", spec["respond_path"], [("response", ""), *((field, p) for p in picks), ("save", "")]
            )
            if status == 302:
                status, html, _ = c.follow("form page", location, spec["form_path"])
                outcome["result"] = "signed up"
                break
            if status != 200:
                outcome["result"] = f"HTTP {status}"
                break
        outcomes.append(outcome)

    return parent, outcomes


# --- P8: the morning absence peak ----------------------------------------------------------------


def absence(spec: dict, gate, log: list, rng: random.Random):
    """Parents arrive spread evenly over ``duration`` seconds: the report form, the report (a sick
    child, from today), the overview the redirect shows. Beside them teachers keep their group's
    "today" list open, reloading it every ``poll`` seconds, and note when each reported pupil of
    their group first shows as away."""
    import gevent

    outcomes: list[dict] = []
    reported: dict[int, float] = {}  # student id -> wall time the parent had the confirmation
    seen: dict[int, float] = {}
    done = {"parents": 0}
    n = len(spec["clients"])

    def parent(client: dict):
        c = Client(spec["host"], client["session"], log)
        gate.wait()
        gevent.sleep(client["offset"])
        student = client["student"]
        c.get("report form", spec["report_path"] + f"?kind={student}")
        fields = [
            ("student", str(student)),
            ("reason", "sick"),
            ("starts_on", spec["today"]),
            ("ends_on", ""),
            ("from_time", ""),
            ("until_time", ""),
            ("note", ""),
        ]
        status, _, location = c.post("report (POST)", spec["report_path"], fields)
        if status == 302:
            reported[student] = time.time()
            c.follow("absences page", location, spec["report_path"])
        outcomes.append({"student": student, "status": status})
        done["parents"] += 1

    def teacher(watch: dict):
        c = Client(spec["host"], watch["session"], log)
        waiting = set(watch["students"])
        gate.wait()
        deadline = time.monotonic() + spec["duration"] + 30
        while waiting and time.monotonic() < deadline:
            status, html, _ = c.get("teacher's today list", watch["path"])
            now = time.time()
            if status == 200:
                for student in list(waiting):
                    if pupil_status(html, student) not in (None, "present"):
                        seen[student] = now
                        waiting.discard(student)
            if done["parents"] >= n and not waiting:
                break
            gevent.sleep(spec["poll"])

    def run(client: dict):
        if client.get("teacher"):
            teacher(client)
        else:
            parent(client)

    def marks() -> dict:
        return {"reported": reported, "seen": seen}

    run.marks = marks
    return run, outcomes


# --- The photo upload ----------------------------------------------------------------------------


def upload(spec: dict, gate, log: list, rng: random.Random):
    """A teacher uploads the files from the album's upload page: its script sends one file per
    request, ``parallel`` at a time, asking for JSON."""
    import gevent

    outcomes: list[dict] = []
    files = [open(path, "rb").read() for path in spec["files"]]
    queue = list(enumerate(files))

    def sender(client: dict):
        c = Client(spec["host"], client["session"], log)
        gate.wait()
        while queue:
            index, content = queue.pop(0)
            status, body, _ = c.post_file(
                "upload (POST)", spec["upload_path"], "files", f"IMG_{index:04d}.jpg", content, "application/json"
            )
            accepted = status == 200 and '"accepted": [{' in body
            outcomes.append({"file": index, "status": status, "accepted": accepted, "done": time.time()})
            gevent.sleep(0)

    return sender, outcomes


SCENARIOS = {"conference": conference, "signup": signup, "absence": absence, "upload": upload}


def main() -> None:
    spec = json.loads(open(sys.argv[1]).read())
    from gevent import monkey

    monkey.patch_all()
    import gevent
    from gevent.event import Event

    log: list = []
    gate = Event()
    rng = random.Random(spec.get("seed", 6))
    run, outcomes = SCENARIOS[spec["scenario"]](spec, gate, log, rng)
    greenlets = [gevent.spawn(run, client) for client in spec["clients"]]
    gevent.sleep(0.5)  # every greenlet is waiting on the gate now
    opened_at = time.time()
    gate.set()
    gevent.joinall(greenlets)
    result = {
        "opened_at": opened_at,
        "finished_at": time.time(),
        "requests": log,
        "outcomes": outcomes,
        "marks": run.marks() if hasattr(run, "marks") else {},
        "crashed": sum(1 for g in greenlets if g.exception is not None),
    }
    open(sys.argv[2], "w").write(json.dumps(result))


if __name__ == "__main__":
    main()
