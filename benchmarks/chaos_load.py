"""The fault harness's load (benchmarks/chaos.py starts it): locust users reading the site.

    .venv/bin/python benchmarks/chaos_load.py --host http://127.0.0.1:8766 \\
        --paths paths.json --out requests.tsv --users 10 --max-seconds 600

Runs locust as a library in its own process (locust patches the standard library with
gevent, which the harness's Django writer must not share). Each user reads, with a short
think time: GET /api/search/ (a fixed mix of queries and filters), the search page, and case
study pages, weighted 6:2:2, every request sent as a TLS-terminating proxy would send it
(X-Forwarded-Proto: https; redirects are not followed, so one shows as a 3xx). Every
request is written as it ends, one tab-separated line:

    start (epoch seconds)  name  status (0: no answer)  milliseconds  backend

where backend is the API's `backend` (elasticsearch or database; - for pages). The harness
splits the lines into its phases by their start. It stops on SIGTERM or SIGINT, or by itself
after --max-seconds.
"""

import argparse
import itertools
import json
import random
import re
import signal
import sys
import time

import gevent
from locust import FastHttpUser, between, events, task
from locust.env import Environment

USER_SEEDS = itertools.count(1)
HEADERS = {"X-Forwarded-Proto": "https", "Accept": "text/html,application/json"}
BACKEND = re.compile(rb'"backend"\s*:\s*"(\w+)"')
PATHS = {"api": [], "search page": [], "case study": []}
OUT = None


class Reader(FastHttpUser):
    wait_time = between(0.2, 1.0)
    # Longer than gunicorn's worker timeout: a worker killed for hanging shows as no answer.
    network_timeout = 45.0
    connection_timeout = 10.0

    def get(self, name):
        path = self.rng.choice(PATHS[name])
        self.client.get(path, name=name, headers=HEADERS, allow_redirects=False)

    def on_start(self):
        self.rng = random.Random(next(USER_SEEDS))  # each user its own sequence, run after run

    @task(6)
    def api(self):
        self.get("api")

    @task(2)
    def search_page(self):
        self.get("search page")

    @task(2)
    def case_study(self):
        self.get("case study")


def record(request_type, name, response_time, response_length, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    backend = "-"
    if name == "api" and status == 200:
        found = BACKEND.search(response.content or b"")
        backend = found.group(1).decode() if found else "?"
    start = kwargs.get("start_time") or time.time() - response_time / 1000
    OUT.write(f"{start:.3f}\t{name}\t{status}\t{response_time:.1f}\t{backend}\n")


def main():
    global OUT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", required=True)
    parser.add_argument("--paths", required=True, help="JSON: {name: [path, ...]}")
    parser.add_argument("--out", required=True)
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--max-seconds", type=float, default=600)
    args = parser.parse_args()
    with open(args.paths, encoding="utf-8") as f:
        PATHS.update(json.load(f))
    OUT = open(args.out, "w", buffering=1, encoding="utf-8")  # noqa: SIM115 (line-buffered log)
    events.request.add_listener(record)
    env = Environment(user_classes=[Reader], host=args.host, events=events)
    runner = env.create_local_runner()
    for signum in (signal.SIGTERM, signal.SIGINT):
        gevent.signal_handler(signum, runner.quit)
    gevent.spawn_later(args.max_seconds, runner.quit)
    runner.start(args.users, spawn_rate=args.users)
    print(f"chaos_load: {args.users} users on {args.host}", file=sys.stderr, flush=True)
    runner.greenlet.join()
    OUT.close()


if __name__ == "__main__":
    main()
