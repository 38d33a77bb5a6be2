"""The load generator: locust's FastHttpUser driven as a library, in a process of its own (gevent
patches everything it imports beside, so it never shares a process with Django).

    taskset -c 1 .venv/bin/python bench/loadgen.py spec.json result.json

The spec: ``host``, ``users`` (concurrent virtual users, all started at once), ``think`` (seconds
each user waits after a response: 0 is closed-loop), ``warmup`` and ``duration`` (seconds), and
``visits``: a list of ``{"path", "headers"}``, user i takes visit i modulo their number. A visit
counts as an error unless it answers 200 (redirects are not followed: a lost session shows up as
a 302, not as a fast login page). The result: every response time of the measured window (ms,
exact, not locust's rounded buckets), the errors by kind, and the requests per second.
"""

from __future__ import annotations

import itertools
import json
import sys
import time
from collections import Counter


def main() -> None:
    spec = json.loads(open(sys.argv[1]).read())
    import gevent
    from locust import FastHttpUser, constant, events, task
    from locust.env import Environment

    visits = spec["visits"]
    numbers = itertools.count()

    class Visitor(FastHttpUser):
        host = spec["host"]
        wait_time = constant(spec.get("think", 0))
        max_redirects = 0
        network_timeout = 30.0
        connection_timeout = 10.0

        def on_start(self):
            visit = visits[next(numbers) % len(visits)]
            self.path, self.headers = visit["path"], visit.get("headers", {})

        @task
        def visit(self):
            with self.client.get(
                self.path, headers=self.headers, name="page", catch_response=True, allow_redirects=False
            ) as response:
                if response.status_code != 200:
                    response.failure(f"HTTP {response.status_code}")

    times: list[float] = []
    errors: Counter = Counter()
    measuring = {"on": False}

    def on_request(response_time, exception, **kwargs):
        if measuring["on"]:
            times.append(response_time)
            if exception is not None:
                errors[str(exception)[:60]] += 1

    events.request.add_listener(on_request)
    env = Environment(user_classes=[Visitor], events=events)
    runner = env.create_local_runner()
    runner.start(spec["users"], spawn_rate=max(spec["users"], 1))
    gevent.sleep(spec.get("warmup", 2))
    measuring["on"] = True
    started = time.monotonic()
    gevent.sleep(spec["duration"])
    measuring["on"] = False
    elapsed = time.monotonic() - started
    runner.quit()
    result = {
        "times_ms": times,
        "errors": dict(errors),
        "count": len(times),
        "seconds": elapsed,
        "rps": len(times) / elapsed if elapsed else 0.0,
    }
    open(sys.argv[2], "w").write(json.dumps(result))


if __name__ == "__main__":
    main()
