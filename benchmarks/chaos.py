"""Practice Exchange under faults: search keeps answering and the index loses nothing.

    make chaos                      (scripts/chaos.sh: its own database and Elasticsearch)
    make chaos NODES=3              (a three-node cluster, the index with one replica)
    CHAOS_PHASES=baseline,es-kill CHAOS_PHASE_SECONDS=15 make chaos
    .venv/bin/python benchmarks/chaos.py --database-url postgres://... \\
        --elasticsearch-url http://127.0.0.1:9250 --es-instance chaos --es-port 9250

scripts/chaos.sh starts PostgreSQL (a database of the run's own, practice_chaos) and an
Elasticsearch instance of its own (scripts/elasticsearch.sh with ES_INSTANCE=chaos, port 9250;
never the default node), and stops what it started. This script then loads the corpus
(benchmarks/corpus.py, --records of it, through import_case_studies), builds the index
(search_index --rebuild), starts gunicorn as in production (settings.production, DEBUG off,
two workers, behind what it takes for a TLS proxy: X-Forwarded-Proto) and locust
(benchmarks/chaos_load.py, --users readers of the search API, the search page and case
study pages), and runs the phases, each about --phase-seconds long:

    baseline      nothing goes wrong
    es-restart    Elasticsearch stopped cleanly, then started
    es-kill       kill -9 of Elasticsearch (every node), then started
    es-freeze     SIGSTOP for --freeze-seconds, then SIGCONT
    rebuild       search_index --rebuild under the load and the writer
    node-kill     (a cluster) kill -9 of one node (--node), started again a while later
    node-freeze   (a cluster) SIGSTOP of one node for --freeze-seconds

Throughout, a writer thread in this process (the project's settings and ORM, the same
database and Elasticsearch) edits and publishes, unpublishes and restricts (a Wagtail
password restriction) and lifts restrictions on case study pages, as editors do, and
remembers what each page should now look like in the index; an observer reads the index
every second to see when each change arrives. After the phases the load goes on for
--settle-seconds with the writer stopped, so the site's own replay of the outbox has its
chance; then `search_index --replay`, and the check, made directly on the index: every
public case study in it with its current text, nothing else in it.

    lost change        a page that should be visible is missing, or its text is not the
                       database's (the writer's change, or any other page's)
    hidden page found  a page that is unpublished or restricted is in the index

Printed, one line a phase (and one for the run), for other tools to read:

    chaos phase=NAME seconds=.. requests=.. 5xx=.. no_answer=.. p50_ms=.. p95_ms=..
          fallbacks=.. changes=.. change_errors=.. changes_indexed=.. changes_lost=..
          index_lag_p95_s=.. fault_s=..

(fallbacks: API answers from the database backend; changes_indexed: changes seen in the
index, or a page's last change found right at the end; changes_lost: a page's last change
not in the index at the end; index_lag: from commit to seen, to about a second; fault_s:
how long Elasticsearch, or the node, was down or frozen) and the failures found, each on a
line of its own; the figures also go to benchmarks/results/chaos-N-node.json. Exit status 1 on any
5xx (or request with no answer), any lost change, any hidden page, or a rebuild that
failed; 0 otherwise. --inject checks the check: it changes one page's text and unpublishes
another straight in the database, bypassing every signal, before the final check, which
must then report both.
"""

import argparse
import contextlib
import datetime
import json
import logging
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from scale import (
    LONG_QUERIES,
    SHORT_QUERIES,
    gunicorn_command,
    machine,
    percentile,
    production_env,
    request_mix,
    rounded,
    write_slice,
)

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PHASES = ("baseline", "es-restart", "es-kill", "es-freeze", "rebuild")
CLUSTER_PHASES = ("node-kill", "node-freeze")
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
SEED = 12


def env_default(name, default):
    return os.environ.get(name) or default


def log(message):
    print(f"# {message}", file=sys.stderr, flush=True)


class Stop(Exception):
    """SIGTERM: unwind and clean up, as for Ctrl-C."""


# --- processes ---------------------------------------------------------------------------


def manage(command, env, logfile, timeout=900):
    """Run a manage.py command, its output to the log; (status, output, seconds)."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    with open(logfile, "a", encoding="utf-8") as f:
        f.write(f"$ manage.py {' '.join(command)}  (exit {result.returncode})\n")
        f.write(result.stdout + result.stderr + "\n")
    return result.returncode, result.stdout + result.stderr, time.monotonic() - started


def manage_or_die(command, env, logfile, timeout=900):
    status, output, seconds = manage(command, env, logfile, timeout)
    if status:
        sys.exit(f"manage.py {' '.join(command)} failed ({status}):\n{output[-3000:]}")
    return output, seconds


def port_free(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def http_get(port, path, timeout=30):
    """(status, body) of a GET as the proxy would send it."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", path, headers=PROXY_HEADERS)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


CHILDREN_FILE = None


def note_child(process):
    """Each child runs in a session of its own (Ctrl-C reaches only us; we stop them in
    order); scripts/chaos.sh stops any that a killed run left behind."""
    if CHILDREN_FILE:
        with open(CHILDREN_FILE, "a") as f:
            f.write(f"{process.pid}\n")
    return process


class Web:
    """gunicorn as in production: settings.production, DEBUG off, two sync workers."""

    def __init__(self, env, port, timeout, logfile):
        self.env, self.port, self.timeout, self.logfile = env, port, timeout, logfile
        self.process = None

    def start(self):
        if not port_free(self.port):
            sys.exit(f"Something already listens on 127.0.0.1:{self.port} (set --web-port)")
        self.process = subprocess.Popen(
            gunicorn_command(self.port, self.timeout),
            env=self.env,
            cwd=ROOT,
            stdout=open(self.logfile, "a"),  # noqa: SIM115 (the child holds it)
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        note_child(self.process)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn exited ({self.process.returncode}); see {self.logfile}")
            try:
                status, _ = http_get(self.port, "/healthz", timeout=5)
                if status in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        sys.exit("gunicorn did not answer within 90 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Load:
    """benchmarks/chaos_load.py (locust) in its own process group."""

    def __init__(self, port, users, paths_file, out, max_seconds, logfile):
        self.args = [
            sys.executable,
            str(ROOT / "benchmarks" / "chaos_load.py"),
            f"--host=http://127.0.0.1:{port}",
            f"--paths={paths_file}",
            f"--out={out}",
            f"--users={users}",
            f"--max-seconds={max_seconds}",
        ]
        self.out, self.logfile, self.process = out, logfile, None

    def start(self):
        self.process = subprocess.Popen(
            self.args,
            cwd=ROOT,
            stdout=open(self.logfile, "a"),  # noqa: SIM115 (the child holds it)
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        note_child(self.process)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def records(self):
        rows = []
        if not Path(self.out).exists():
            return rows
        for line in Path(self.out).read_text().splitlines():
            parts = line.split("\t")
            if len(parts) == 5:
                rows.append((float(parts[0]), parts[1], int(parts[2]), float(parts[3]), parts[4]))
        return rows


class Search:
    """The run's Elasticsearch instance, through scripts/elasticsearch.sh."""

    def __init__(self, instance, port, nodes, logfile):
        self.nodes, self.logfile = nodes, logfile
        self.env = {**os.environ, "ES_INSTANCE": instance, "ES_PORT": str(port)}
        self.frozen = False

    def script(self, *args, timeout=400):
        started = time.monotonic()
        with open(self.logfile, "a", encoding="utf-8") as f:
            f.write(f"$ elasticsearch.sh {' '.join(args)}\n")
            f.flush()
            result = subprocess.run(
                ["bash", str(ROOT / "scripts" / "elasticsearch.sh"), *args],
                env=self.env,
                stdout=subprocess.PIPE,
                stderr=f,
                text=True,
                timeout=timeout,
            )
            f.write(result.stdout)
        return result.returncode, time.monotonic() - started

    def start(self):
        args = ["start", "--nodes", str(self.nodes)] if self.nodes > 1 else ["start"]
        status, seconds = self.script(*args)
        if status:
            raise RuntimeError(f"elasticsearch.sh start failed ({status}); see {self.logfile}")
        return seconds

    def stop(self):
        return self.script("stop")[1]

    def signal(self, name, node=None):
        args = ["signal", name] + (["--node", str(node)] if node else [])
        status, _ = self.script(*args)
        if name == "STOP":
            self.frozen = True
        elif name in ("CONT", "KILL"):
            self.frozen = False
        return status

    def master(self, urls):
        """The elected master's node name, as a node that answers says."""
        import urllib.request

        for url in urls:
            try:
                with urllib.request.urlopen(f"{url}/_cat/master?h=node", timeout=5) as answer:
                    return answer.read().decode().strip()
            except OSError:
                continue
        return "unknown"

    def wait_answering(self, urls, limit=120):
        """Seconds until every node answers again (None: not within the limit)."""
        import urllib.request

        started = time.monotonic()
        while time.monotonic() - started < limit:
            try:
                for url in urls:
                    with urllib.request.urlopen(
                        f"{url}/_cluster/health?wait_for_status=yellow&timeout=1s", timeout=5
                    ):
                        pass
                return time.monotonic() - started
            except OSError:
                time.sleep(0.5)
        return None


# --- the writer ----------------------------------------------------------------------------


@dataclass
class Change:
    seq: int
    page: int
    action: str
    phase: str
    at: float  # epoch seconds, when it committed (or failed)
    ms: float
    visible: bool  # what the index should now show of the page
    title: str
    summary: str
    error: str = ""
    seen_at: float | None = None  # when the observer first saw it in the index
    # After the final check: "indexed" (seen, or the page's last change and the page right
    # in the index at the end), "lost" (the page's last change, the page wrong at the end),
    # "superseded" (a later change came before it was seen; its effect cannot be told).
    outcome: str = ""


@dataclass
class PageState:
    live: bool
    restricted: bool
    base_title: str
    base_summary: str
    last: Change | None = None

    @property
    def visible(self):
        return self.live and not self.restricted


class Writer(threading.Thread):
    """Editors at work: publish, unpublish, restrict, lift restrictions; each change kept."""

    def __init__(self, pool, interval, phase):
        super().__init__(name="writer", daemon=True)
        self.pool, self.interval, self.phase = pool, interval, phase
        self.rng = random.Random(SEED)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.changes: list[Change] = []
        self.pages: dict[int, PageState] = {}
        self.crashed = None

    def load(self):
        from wagtail.models import PageViewRestriction

        from knowledgebase.case_studies import CaseStudyPage

        restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))
        for page in CaseStudyPage.objects.filter(pk__in=self.pool):
            self.pages[page.pk] = PageState(
                page.live, page.pk in restricted, page.title, page.summary
            )

    def run(self):
        from django.db import connection

        try:
            while not self.stopping.is_set():
                self.change(self.rng.choice(self.pool))
                self.stopping.wait(self.interval)
        except Exception as exc:  # a harness bug: say so loudly, the run fails
            self.crashed = repr(exc)
            logging.getLogger("chaos").exception("the writer stopped")
        finally:
            connection.close()

    def change(self, pk):
        from django.db import transaction
        from wagtail.models import PageViewRestriction

        from knowledgebase.case_studies import CaseStudyPage

        state = self.pages[pk]
        if state.live and not state.restricted:
            action = self.rng.choices(["edit", "unpublish", "restrict"], weights=[2, 1, 1])[0]
        elif not state.live:
            action = "republish"
        else:
            action = self.rng.choice(["unrestrict", "unrestrict", "edit"])
        seq = len(self.changes) + 1
        title, summary = state.base_title, state.base_summary
        if state.last:
            title, summary = state.last.title, state.last.summary
        live, restricted, error = state.live, state.restricted, ""
        started = time.perf_counter()
        try:
            with transaction.atomic():
                page = CaseStudyPage.objects.get(pk=pk)
                if action in ("edit", "republish"):
                    page.title = title = f"{state.base_title} (chaos edit {seq})"
                    page.summary = summary = f"{state.base_summary} Chaos edit {seq}."
                    page.save_revision().publish()
                    live = True
                elif action == "unpublish":
                    page.unpublish()
                    live = False
                elif action == "restrict":
                    PageViewRestriction.objects.create(
                        page=page,
                        restriction_type=PageViewRestriction.PASSWORD,
                        password="chaos-harness",
                    )
                    restricted = True
                else:  # unrestrict
                    for restriction in PageViewRestriction.objects.filter(page_id=pk):
                        restriction.delete()
                    restricted = False
            # Leaving atomic() committed it and ran its on-commit work (the index update).
        except Exception as exc:
            # What the database holds now is what the index must show.
            error = f"{type(exc).__name__}: {str(exc)[:200]}"
            page = CaseStudyPage.objects.get(pk=pk)
            live, title, summary = page.live, page.title, page.summary
            restricted = PageViewRestriction.objects.filter(page_id=pk).exists()
        ms = (time.perf_counter() - started) * 1000
        record = Change(
            seq, pk, action, self.phase(), time.time(), ms, live and not restricted,
            title, summary, error,
        )  # fmt: skip
        with self.lock:
            state.live, state.restricted, state.last = live, restricted, record
            self.changes.append(record)

    def inject(self):
        """Two changes the index cannot know of: queryset updates send no signals, so no
        outbox row and no replay. The check must report both. (pages edited, unpublished)"""
        from wagtail.models import Page

        from knowledgebase.case_studies import CaseStudyPage

        with self.lock:
            edited, hidden = [pk for pk, s in self.pages.items() if s.visible][:2]
        for pk, action in ((edited, "inject-edit"), (hidden, "inject-unpublish")):
            state = self.pages[pk]
            title = state.last.title if state.last else state.base_title
            summary = state.last.summary if state.last else state.base_summary
            if action == "inject-edit":
                summary = f"{state.base_summary} Injected without signals."
                CaseStudyPage.objects.filter(pk=pk).update(summary=summary)
            else:
                Page.objects.filter(pk=pk).update(live=False)
            record = Change(
                len(self.changes) + 1, pk, action, self.phase(), time.time(), 0.0,
                action == "inject-edit", title, summary,
            )  # fmt: skip
            with self.lock:
                state.last = record
                state.live = action == "inject-edit"
                self.changes.append(record)
        return edited, hidden


class Observer(threading.Thread):
    """Reads the index every second: when did each page's latest change arrive?"""

    def __init__(self, writer, es, alias):
        super().__init__(name="observer", daemon=True)
        self.writer, self.es, self.alias = writer, es, alias
        self.stopping = threading.Event()

    def run(self):
        while not self.stopping.wait(1.0):
            # Down, frozen or rebuilding: look again in a second.
            with contextlib.suppress(Exception):
                self.look()

    def look(self):
        with self.writer.lock:
            waiting = {
                pk: s.last
                for pk, s in self.writer.pages.items()
                if s.last and s.last.seen_at is None
            }
        if not waiting:
            return
        answer = self.es.options(request_timeout=2).mget(
            index=self.alias, ids=[str(pk) for pk in waiting], source_includes=["title", "summary"]
        )
        now = time.time()
        for doc in answer["docs"]:
            change = waiting[int(doc["_id"])]
            source = doc.get("_source") or {}
            if change.visible:
                arrived = doc.get("found") and (source.get("title"), source.get("summary")) == (
                    change.title,
                    change.summary,
                )
            else:
                arrived = not doc.get("found")
            if arrived:
                with self.writer.lock:
                    if change.seen_at is None:
                        change.seen_at = max(now, change.at)


# --- the check -------------------------------------------------------------------------------


def text_fields():
    from search.documents import FIELDS

    return [f.name for f in FIELDS if f.kind == "text"]


def check_index(es, alias, writer):
    """The index against the database: ({page: lost change}, {page: hidden page found},
    notes, counts)."""
    from elasticsearch import helpers
    from wagtail.models import PageViewRestriction

    from knowledgebase.case_studies import CaseStudyPage
    from search.documents import documents_in_batches, public_document

    fields = text_fields()
    es.indices.refresh(index=alias)
    behind = list(es.indices.get_alias(name=alias))
    indexed = {
        int(hit["_id"]): hit["_source"]
        for hit in helpers.scan(es, index=alias, _source=fields, size=1000)
    }
    public = CaseStudyPage.objects.live().public()
    expected = {
        page.pk: public_document(page, only=fields) for page in documents_in_batches(public)
    }
    everything = dict(CaseStudyPage.objects.values_list("pk", "live"))
    restricted = set(PageViewRestriction.objects.values_list("page_id", flat=True))

    def ledger(pk):
        state = writer.pages.get(pk)
        if state and state.last:
            c = state.last
            return f" (last change #{c.seq} {c.action} in {c.phase}{', error' if c.error else ''})"
        return " (a page the writer never touched)"

    lost, hidden, notes = {}, {}, []
    for pk, document in sorted(expected.items()):
        if pk not in indexed:
            lost[pk] = f"page {pk} is public but missing from the index{ledger(pk)}"
            continue
        differs = [name for name in fields if indexed[pk].get(name) != document[name]]
        if differs:
            name = differs[0]
            lost[pk] = (
                f"page {pk}: the index has an old {', '.join(differs)}{ledger(pk)}: "
                f"{str(indexed[pk].get(name))[-60:]!r} where the database has "
                f"{str(document[name])[-60:]!r}"
            )
    for pk in sorted(set(indexed) - set(expected)):
        why = (
            "deleted"
            if pk not in everything
            else "unpublished"
            if not everything[pk]
            else "restricted"
            if pk in restricted
            else "not public"
        )
        hidden[pk] = f"page {pk} is {why} but in the index{ledger(pk)}"
    # The writer's own record must agree with the database (else the harness is wrong).
    for pk, state in writer.pages.items():
        if state.visible != (pk in expected):
            notes.append(
                f"harness disagreement: page {pk} should be "
                f"{'visible' if state.visible else 'hidden'} by the writer's record{ledger(pk)}"
            )
    if len(behind) != 1:
        notes.append(f"the alias {alias} points to {len(behind)} indices: {behind}")
    return lost, hidden, notes, {"indexed": len(indexed), "public": len(expected)}


# --- figures -------------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    start: float = 0.0  # epoch seconds
    end: float = 0.0
    events: list = field(default_factory=list)
    fault_s: float | None = None
    rebuild_status: int | None = None


def phase_figures(phase, requests, changes):
    rows = [r for r in requests if phase.start <= r[0] < phase.end]
    ms = [r[3] for r in rows if r[2] and r[2] < 500]
    api = [r for r in rows if r[1] == "api" and r[2] == 200]
    made = [c for c in changes if phase.start <= c.at < phase.end]
    lags = [c.seen_at - c.at for c in made if c.outcome == "indexed" and c.seen_at is not None]
    by_name = {}
    for name in ("api", "search page", "case study"):
        timed = [r[3] for r in rows if r[1] == name and r[2] and r[2] < 500]
        by_name[name] = {
            "requests": sum(1 for r in rows if r[1] == name),
            "p50_ms": rounded(statistics.median(timed)) if timed else None,
            "p95_ms": rounded(percentile(timed, 95)),
        }
    return {
        "phase": phase.name,
        "seconds": round(phase.end - phase.start, 1),
        "requests": len(rows),
        "5xx": sum(1 for r in rows if r[2] >= 500),
        "no_answer": sum(1 for r in rows if r[2] == 0),
        "4xx": sum(1 for r in rows if 400 <= r[2] < 500),
        "3xx": sum(1 for r in rows if 300 <= r[2] < 400),
        "p50_ms": rounded(statistics.median(ms)) if ms else None,
        "p95_ms": rounded(percentile(ms, 95)),
        "max_ms": rounded(max(ms)) if ms else None,
        "fallbacks": sum(1 for r in api if r[4] == "database"),
        "changes": len(made),
        "change_errors": sum(1 for c in made if c.error),
        "change_p95_ms": rounded(percentile([c.ms for c in made], 95)),
        "changes_indexed": sum(1 for c in made if c.outcome == "indexed"),
        "changes_lost": sum(1 for c in made if c.outcome == "lost"),
        "index_lag_p50_s": rounded(statistics.median(lags)) if lags else None,
        "index_lag_p95_s": rounded(percentile(lags, 95)),
        "fault_s": rounded(phase.fault_s),
        "by_request": by_name,
        "events": phase.events,
    }


def line(prefix, figures, keys):
    return prefix + " " + " ".join(f"{k}={figures.get(k)}" for k in keys)


PHASE_KEYS = (
    "seconds requests 5xx no_answer p50_ms p95_ms fallbacks changes change_errors "
    "changes_indexed changes_lost index_lag_p95_s fault_s"
).split()


RUN_KEYS = (
    "requests 5xx no_answer p50_ms p95_ms fallbacks changes_made changes_indexed "
    "changes_superseded change_errors lost_changes hidden_pages_found verdict"
).split()


# --- the run ---------------------------------------------------------------------------------


def quiet_django_logging(logfile):
    """The harness's own Django logs (each failed index update warns) go to a file."""
    handler = logging.FileHandler(logfile)
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    loggers = [logging.getLogger()] + [
        logging.getLogger(name) for name in list(logging.root.manager.loggerDict)
    ]
    for logger in loggers:
        for old in list(logger.handlers):
            if isinstance(old, logging.StreamHandler) and not isinstance(old, logging.FileHandler):
                logger.removeHandler(old)
                if handler not in logger.handlers:
                    logger.addHandler(handler)
    logging.getLogger().addHandler(handler)


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--elasticsearch-url", required=True, help="comma-separated nodes")
    parser.add_argument("--es-instance", default=env_default("ES_INSTANCE", "chaos"))
    parser.add_argument("--es-port", type=int, default=int(env_default("ES_PORT", "9250")))
    parser.add_argument("--nodes", type=int, default=int(env_default("NODES", "1")))
    parser.add_argument(
        "--phases",
        default=env_default("CHAOS_PHASES", ""),
        help=f"comma-separated, from {', '.join(PHASES + CLUSTER_PHASES)} (default: all that "
        "apply: the node- phases need --nodes 2 or more)",
    )
    number = lambda name, default: float(env_default(name, default))  # noqa: E731
    parser.add_argument("--phase-seconds", type=float, default=number("CHAOS_PHASE_SECONDS", 20))
    parser.add_argument("--freeze-seconds", type=float, default=number("CHAOS_FREEZE_SECONDS", 10))
    parser.add_argument("--settle-seconds", type=float, default=number("CHAOS_SETTLE_SECONDS", 15))
    parser.add_argument("--records", type=int, default=int(number("CHAOS_RECORDS", 2000)))
    parser.add_argument("--users", type=int, default=int(number("CHAOS_USERS", 10)))
    parser.add_argument("--pool", type=int, default=60, help="case studies the writer changes")
    parser.add_argument("--write-interval", type=float, default=number("CHAOS_WRITE_INTERVAL", 0.5))
    parser.add_argument(
        "--node", type=int, default=int(number("CHAOS_NODE", 1)), help="node-* phases"
    )
    parser.add_argument("--vectors", action="store_true", help="compute the corpus's vectors")
    parser.add_argument(
        "--inject", action="store_true", default=bool(os.environ.get("CHAOS_INJECT"))
    )
    parser.add_argument("--web-port", type=int, default=8766)
    parser.add_argument("--gunicorn-timeout", type=int, default=30)
    parser.add_argument("--alias", default="practice-chaos")
    parser.add_argument("--output", default=str(RESULTS / "chaos.json"))
    parser.add_argument(
        "--children-file", help="where to note the process groups started (for scripts/chaos.sh)"
    )
    args = parser.parse_args()
    cluster = args.nodes > 1
    if args.phases:
        args.phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    else:
        args.phases = list(PHASES + (CLUSTER_PHASES if cluster else ()))
    for name in args.phases:
        if name not in PHASES + CLUSTER_PHASES:
            parser.error(f"unknown phase {name!r}")
        if name in CLUSTER_PHASES and not cluster:
            parser.error(f"{name} needs a cluster (--nodes 2 or more)")
    return args


def run_environment(args):
    env = production_env(
        args.database_url, args.elasticsearch_url, args.alias, EMBEDDING_THREADS="1"
    )
    if args.nodes > 1:
        env.setdefault("ELASTICSEARCH_REPLICAS", "1")
    return env


def drop_indices(es, alias):
    for name in es.indices.get(index=f"{alias}*", expand_wildcards="all"):
        es.indices.delete(index=name)


def prepare(args, env, work, logs):
    """Schema, content and index; (paths for the load, the writer's pool of page ids)."""
    log(f"loading {args.records} case studies into the run's database")
    manage_or_die(["migrate", "-v0"], env, logs / "setup.log")
    manage_or_die(["collectstatic", "--noinput", "-v0"], env, logs / "setup.log")
    records = work / "records.jsonl"
    write_slice(records, 0, args.records)
    out, seconds = manage_or_die(
        ["import_case_studies", str(records), "--defer-vectors"], env, logs / "setup.log"
    )
    log(f"imported in {seconds:.0f}s")
    if args.vectors:
        manage_or_die(["search_index", "--vectors"], env, logs / "setup.log")
    records.unlink()
    _, seconds = manage_or_die(["search_index", "--rebuild"], env, logs / "setup.log")
    log(f"index rebuilt in {seconds:.0f}s")


def load_paths(args, pool_urls):
    status, body = http_get(args.web_port, "/api/search/")
    if status != 200:
        sys.exit(f"GET /api/search/ answered {status}: {body[:300]!r}")
    facets = {
        name: [v["value"] for v in values]
        for name, values in json.loads(body)["facets"].items()
        if values
    }
    api = request_mix(facets, 300, seed=SEED)
    rng = random.Random(SEED)
    queries = SHORT_QUERIES + LONG_QUERIES
    pages = ["/search/?" + urlencode({"q": q}) for q in queries]
    pages += ["/search/?" + urlencode({"q": rng.choice(queries), "page": 2}) for _ in range(10)]
    case_studies = []
    for page in range(1, 6):
        status, body = http_get(args.web_port, f"/api/search/?page={page}&page_size=50")
        if status == 200:
            case_studies += [r["url"] for r in json.loads(body)["results"]]
    # The writer's pages too: a reader may land on one as it is unpublished or restricted.
    case_studies += pool_urls
    return {"api": api, "search page": pages, "case study": case_studies}


def run_phases(args, env, search, writer, current, phases, urls, logs):
    """Each phase: a few seconds of load, the fault, the recovery, load until its time is up."""
    lead_in = min(3.0, args.phase_seconds / 5)
    for name in args.phases:
        phase = Phase(name, start=time.time())
        phases.append(phase)
        current[0] = name
        log(f"phase {name}")
        begun = time.monotonic()

        def event(text, phase=phase):
            phase.events.append(f"+{time.time() - phase.start:.1f}s {text}")

        time.sleep(lead_in)
        if name == "es-restart":
            event(f"stopped cleanly in {search.stop():.1f}s")
            seconds = search.start()
            event(f"started, answering after {seconds:.1f}s")
            phase.fault_s = time.time() - phase.start - lead_in
        elif name == "es-kill":
            search.signal("KILL")
            event("kill -9")
            fault = time.monotonic()
            time.sleep(2)
            seconds = search.start()
            phase.fault_s = time.monotonic() - fault
            event(f"started, answering after {seconds:.1f}s")
        elif name in ("es-freeze", "node-freeze"):
            node = args.node if name == "node-freeze" else None
            search.signal("STOP", node)
            event(f"SIGSTOP{f' node {node}' if node else ''}")
            fault = time.monotonic()
            time.sleep(args.freeze_seconds)
            search.signal("CONT", node)
            back = search.wait_answering(urls)
            phase.fault_s = time.monotonic() - fault
            event(f"SIGCONT, answering after {back if back is None else round(back, 1)}s")
        elif name == "rebuild":
            event("search_index --rebuild")
            status, output, seconds = manage(
                ["search_index", "--rebuild"], env, logs / "rebuild.log"
            )
            phase.rebuild_status = status
            event(f"rebuild exited {status} after {seconds:.1f}s")
            if status:
                event("rebuild output: " + output.strip().splitlines()[-1][-200:])
        elif name == "node-kill":
            master = search.master(urls)
            search.signal("KILL", args.node)
            event(f"kill -9 node {args.node} (the elected master was {master})")
            fault = time.monotonic()
            # Degraded for most of the phase, then the node comes back.
            time.sleep(max(2.0, args.phase_seconds / 2 - lead_in))
            seconds = search.start()
            phase.fault_s = time.monotonic() - fault
            event(f"node {args.node} started again, the cluster whole after {seconds:.1f}s")
        if writer.crashed:
            raise RuntimeError(f"the writer stopped: {writer.crashed}")
        # At least a few seconds after any recovery, so that its effects show in the phase.
        floor = 5.0 if name != "baseline" else 0.0
        time.sleep(max(args.phase_seconds - (time.monotonic() - begun), floor))
        phase.end = time.time()


def stop_on_sigterm(signum, frame):
    raise Stop()


def main():
    global CHILDREN_FILE
    args = arguments()
    CHILDREN_FILE = args.children_file
    env = run_environment(args)
    urls = [u.strip() for u in args.elasticsearch_url.split(",") if u.strip()]
    work = Path(tempfile.mkdtemp(prefix="px-chaos-"))
    logs = work / "logs"
    logs.mkdir()
    log(f"logs in {logs}")
    signal.signal(signal.SIGTERM, stop_on_sigterm)

    from elasticsearch import Elasticsearch

    es = Elasticsearch(urls, request_timeout=30, max_retries=3, retry_on_timeout=True)
    drop_indices(es, args.alias)
    prepare(args, env, work, logs)

    # This process is an editor too: the project's settings, ORM and signals.
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    quiet_django_logging(logs / "writer.log")
    from knowledgebase.case_studies import CaseStudyPage

    ids = sorted(CaseStudyPage.objects.live().public().values_list("pk", flat=True))
    pool = random.Random(SEED).sample(ids, min(args.pool, len(ids) // 3))
    pool_urls = [p.url for p in CaseStudyPage.objects.filter(pk__in=pool)]

    search = Search(args.es_instance, args.es_port, args.nodes, logs / "elasticsearch.log")
    web = Web(env, args.web_port, args.gunicorn_timeout, logs / "gunicorn.log")
    phases, current = [], ["setup"]
    writer = Writer(pool, args.write_interval, lambda: current[0])
    writer.load()
    observer = Observer(writer, es, args.alias)
    budget = len(args.phases) * (args.phase_seconds + 60) + args.settle_seconds + 120
    load = None
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "config": {
            k: getattr(args, k)
            for k in "records users nodes phases phase_seconds freeze_seconds settle_seconds "
            "pool write_interval node inject".split()
        },
    }
    index = next(iter(es.indices.get_settings(index=args.alias).values()))["settings"]["index"]
    report["config"]["index"] = {
        "shards": index["number_of_shards"],
        "replicas": index["number_of_replicas"],
    }
    log(f"index: {index['number_of_shards']} shards, {index['number_of_replicas']} replicas")
    failures = []
    try:
        web.start()
        paths_file = work / "paths.json"
        paths_file.write_text(json.dumps(load_paths(args, pool_urls)))
        load = Load(
            args.web_port, args.users, paths_file, work / "requests.tsv", budget, logs / "load.log"
        )
        load.start()
        time.sleep(2)
        writer.start()
        observer.start()
        run_phases(args, env, search, writer, current, phases, urls, logs)

        writer.stopping.set()
        writer.join(timeout=120)
        current[0] = "settle"
        settle = Phase("settle", start=time.time())
        phases.append(settle)
        log(f"settle: {args.settle_seconds:.0f}s of load, no writes (the site's replay)")
        if args.inject:
            edited, hidden = writer.inject()
            settle.events.append(f"injected: page {edited} edited, page {hidden} unpublished")
        time.sleep(args.settle_seconds)
        settle.end = time.time()
        load.stop()
        observer.stopping.set()

        from search.backends.elasticsearch.sync import pending_count

        queued = pending_count()
        status, output, _ = manage(["search_index", "--help"], env, logs / "setup.log")
        if "--replay" in output:
            status, output, _ = manage(["search_index", "--replay"], env, logs / "replay.log")
            replay = f"search_index --replay exited {status}: {output.strip()[-200:]}"
        else:
            from search.backends.elasticsearch.sync import flush

            replay = f"sync.flush() applied {flush()}"
        settle.events.append(f"{queued} updates queued before the replay; {replay}")
        log(replay)
        search.wait_answering(urls)
        observer.look()  # the last changes, seen or not
        lost, hidden_found, notes, counts = check_index(es, args.alias, writer)
    finally:
        writer.stopping.set()
        observer.stopping.set()
        if load:
            load.stop()
        web.stop()
        if search.frozen:  # never leave it frozen for whoever stops it
            search.signal("CONT", None)

    changes = writer.changes
    last = {s.last.seq for s in writer.pages.values() if s.last}
    for c in changes:
        if c.seq in last:
            c.outcome = "lost" if c.page in lost or c.page in hidden_found else "indexed"
        else:
            c.outcome = "indexed" if c.seen_at is not None else "superseded"
    requests = load.records()
    rows = [phase_figures(p, requests, changes) for p in phases]
    for row in rows:
        print(line(f"chaos phase={row['phase']}", row, PHASE_KEYS), flush=True)
        for text in row["events"]:
            print(f"#   {row['phase']}: {text}", file=sys.stderr)
    total = phase_figures(Phase("all", phases[0].start, phases[-1].end), requests, changes)
    rebuild_failed = [p for p in phases if p.rebuild_status]
    summary = {
        "requests": total["requests"],
        "5xx": total["5xx"],
        "no_answer": total["no_answer"],
        "p50_ms": total["p50_ms"],
        "p95_ms": total["p95_ms"],
        "fallbacks": total["fallbacks"],
        "changes_made": len(changes),
        "changes_indexed": total["changes_indexed"],
        "changes_superseded": sum(1 for c in changes if c.outcome == "superseded"),
        "change_errors": sum(1 for c in changes if c.error),
        "lost_changes": len(lost),
        "hidden_pages_found": len(hidden_found),
        "public_pages": counts["public"],
        "indexed_documents": counts["indexed"],
    }
    if summary["5xx"] or summary["no_answer"]:
        failures.append(f"{summary['5xx']} answers were 5xx, {summary['no_answer']} had no answer")
    failures += [f"lost change: {x}" for x in lost.values()]
    failures += [f"hidden page found: {x}" for x in hidden_found.values()]
    failures += [f"rebuild failed in phase {p.name}" for p in rebuild_failed]
    failures += notes
    summary["verdict"] = "FAIL" if failures else "PASS"
    print(line("chaos run", summary, RUN_KEYS), flush=True)
    for text in failures[:40]:
        print(f"chaos failure: {text}", flush=True)
    if len(failures) > 40:
        print(f"chaos failure: ... and {len(failures) - 40} more (all in the JSON)", flush=True)
    errors = [c for c in changes if c.error]
    for c in errors[:5]:
        print(
            f"# change #{c.seq} {c.action} of page {c.page} in {c.phase} failed: {c.error}",
            file=sys.stderr,
        )
    report.update(
        phases=rows,
        summary=summary,
        failures=failures,
        changes=[asdict(c) for c in changes],
        logs=str(logs),
    )
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2) + "\n")
    log(f"figures in {output}; logs in {logs}")
    return 1 if failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (KeyboardInterrupt, Stop):
        log("interrupted; everything this run started has been stopped")
        sys.exit(130)
