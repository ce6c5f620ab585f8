"""Practice Exchange at scale: search, the case study page, import, vectors and rebuild at
1,000, 10,000 and 100,000 case studies, on PostgreSQL and Elasticsearch.

    make benchmark-scale                          (SIZES="1000 10000 100000")
    make benchmark-scale SIZES="1000 10000"       (a quick run, under 20 minutes)
    .venv/bin/python benchmarks/scale.py --sizes 1000 10000 \\
        --database-url postgres://... --elasticsearch-url http://...

The case studies come from benchmarks/corpus.py (realistic, distinct, deterministic). The
sizes are loaded one after another into one database: each adds the next records of the
same corpus, whose first N records are the corpus of size N, so a vector is computed once.
At each size:

- import: the new records with `import_case_studies --defer-vectors` (Elasticsearch on, as
  in production); the rate is the one the command reports (process start-up left out);
- vectors: `search_index --vectors` for the new case studies;
- rebuild: `search_index --rebuild`, every document from its stored vector;
- then gunicorn (production settings, DEBUG off, two workers) answers a fixed mix of
  requests to GET /api/search/ (short and long queries, no query, one to three filters,
  page 1 and deep pages; facets and highlights are in every answer) and GET of case study
  pages (with their related practice), first on Elasticsearch, then on the database
  backend (Elasticsearch not configured: the fallback's own speed).

For each request the API's Server-Timing header gives Elasticsearch's own time ("took",
summed over the requests a search makes) and the query embedding's. Printed, one line a
figure set, for other tools to read:

    scale size=N backend=elasticsearch search_p50_ms=.. search_p95_ms=.. es_took_p95_ms=..
          overhead_p95=.. page_p95_ms=..
    scale size=N backend=database search_p50_ms=.. search_p95_ms=.. page_p95_ms=..
    scale size=N import_per_s=.. vectors_per_s=.. rebuild_per_s=.. peak_rss_mb=..

overhead_p95 is the p95 of the end-to-end time over the p95 of took plus the embedding.
peak_rss_mb is the largest resident memory of any process measured (import, vectors,
rebuild, web workers); web_rss_mb and import_rss_mb say which. The figures also go to
benchmarks/results/scale.json with the machine described, and a chart of latency against
size for both backends to benchmarks/results/scale.png.
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from corpus import generate

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
PORT = 8765
SEED = 11

SHORT_QUERIES = [
    "falls",
    "loneliness",
    "medication errors",
    "staff retention",
    "dementia",
    "end of life care",
    "hydration",
    "pressure ulcers",
    "recruitment",
    "night checks",
    "oral health",
    "agency staff",
    "safeguarding",
    "activities",
    "nutrition",
    "carers quitting",
    "family involvement",
    "sepsis",
    "digital care records",
    "learning disabilities",
]
LONG_QUERIES = [
    "how do we reduce falls at night in a care home",
    "residents losing weight and not drinking enough",
    "our homecare staff keep leaving after a few months",
    "medication mistakes when carers are rushed in the morning",
    "people with dementia becoming distressed in the evening",
    "involving families in care planning for people living with dementia",
    "reducing hospital admissions from our nursing home",
    "supporting people with a learning disability into paid work",
    "keeping people connected to their community after moving into a home",
    "what worked to cut the use of agency nurses",
    "preventing pressure sores for people cared for in bed",
    "making end of life wishes known before a crisis",
]
DEEP_PAGES = [5, 10, 20, 50]


def percentile(values, p):
    values = sorted(values)
    if not values:
        return None
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values)) - 1))]


def rounded(value, digits=1):
    return None if value is None else round(value, digits)


# --- the services' processes ---------------------------------------------------------


def run_measured(command, env):
    """Run a manage.py command; (its stdout, its peak resident memory in MB)."""
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *command],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        sys.exit(f"{' '.join(command)} failed with status {process.returncode}:\n{out}")
    return out, usage.ru_maxrss / 1024


def rate_in(output, pattern):
    match = re.search(pattern, output)
    if not match:
        sys.exit(f"No rate in the output:\n{output}")
    return float(match.group(1))


def production_env(database_url, elasticsearch_url, alias, **extra):
    """The environment of a production-like run on loopback: settings.production (DEBUG off),
    the run's own database and index alias; `extra` adds or overrides variables."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_BASE_URL": "https://practice.example.org",  # e-mailed links only
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "ELASTICSEARCH_URL": elasticsearch_url,
        "SEARCH_INDEX_ALIAS": alias,
        "SEARCH_REFRESH_ON_WRITE": "false",
        **extra,
    }


def gunicorn_command(port, timeout):
    """gunicorn as in production: two sync workers (the machine's two cores)."""
    return [
        str(Path(sys.executable).parent / "gunicorn"),
        "config.wsgi",
        f"--bind=127.0.0.1:{port}",
        "--workers=2",
        f"--timeout={timeout}",
        "--log-level=warning",
    ]


class Server:
    """gunicorn as in production: settings.production, DEBUG off, two sync workers."""

    def __init__(self, env):
        self.env = env
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(gunicorn_command(PORT, 120), env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                status, _, _ = request("/healthz")
                if status in (200, 503):
                    return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def worker_rss_mb(self):
        """The workers' peak resident memory (VmHWM), the largest of them."""
        peak = 0
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        for pid in children.read_text().split():
            status = Path(f"/proc/{pid}/status").read_text()
            peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
        return peak / 1024

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


_connection = None


def request(path):
    """GET path from the server over one kept-alive connection: (status, headers, body)."""
    global _connection
    for attempt in (1, 2):
        if _connection is None:
            _connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=120)
        try:
            _connection.request("GET", path)
            response = _connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        except (http.client.HTTPException, OSError):
            _connection.close()
            _connection = None
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def server_timing(headers):
    """{"search": ms, "engine": ms, "embedding": ms} from a Server-Timing header."""
    found = re.findall(r"(\w+);dur=([\d.]+)", headers.get("Server-Timing", ""))
    return {name: float(ms) for name, ms in found}


# --- what is asked ---------------------------------------------------------------------


def request_mix(facets, count, seed=SEED):
    """count search API paths: a fixed, realistic mix (same seed, same mix)."""
    rng = random.Random(seed)
    paths = []
    for _ in range(count):
        params = []
        kind = rng.random()
        if kind < 0.45:
            params.append(("q", rng.choice(SHORT_QUERIES)))
        elif kind < 0.8:
            params.append(("q", rng.choice(LONG_QUERIES)))
        # else: no words, browsing by filters
        n_filters = rng.choices([0, 1, 2, 3], weights=[35, 35, 20, 10])[0]
        if not params and n_filters == 0:
            n_filters = 1
        for name in rng.sample(sorted(facets), n_filters):
            params.append((name, rng.choice(facets[name])))
        if rng.random() < 0.25:
            params.append(("page", rng.choice(DEEP_PAGES)))
        paths.append("/api/search/?" + urlencode(params))
    return paths


def facet_values():
    """The values each facet offers (from a search with no words), to filter by."""
    status, _, body = request("/api/search/")
    assert status == 200, body[:300]
    facets = json.loads(body)["facets"]
    return {name: [v["value"] for v in values] for name, values in facets.items() if values}


def case_study_paths(count):
    """Paths of case study pages, spread over the corpus: from searches' results."""
    paths = []
    for page in range(1, 200):
        status, _, body = request("/api/search/?" + urlencode({"page": page, "page_size": 50}))
        if status != 200:
            break
        results = json.loads(body)["results"]
        paths += [urlsplit(r["url"]).path for r in results]
        if len(paths) >= count * 4 or not results:
            break
    return random.Random(SEED).sample(paths, min(count, len(paths)))


FAILURES = []  # (path, status): every answer that was not a 200, reported with the figures


def measure(paths, budget_seconds):
    """(end-to-end ms, Server-Timing of each, backends that answered) for GETs of paths,
    until the budget is spent. An answer that is not a 200 is counted, not timed."""
    timings, server, answered_by, timed = [], [], [], []
    deadline = time.monotonic() + budget_seconds
    for path in paths:
        started = time.perf_counter()
        try:
            status, headers, body = request(path)
        except OSError as exc:  # a worker killed by gunicorn's timeout, for one
            status, headers, body = 0, {}, str(exc).encode()
        elapsed = (time.perf_counter() - started) * 1000
        if status != 200:
            FAILURES.append((path, status))
            print(f"# GET {path} answered {status}: {body[:200]!r}", file=sys.stderr)
            continue
        timings.append(elapsed)
        timed.append(path)
        server.append(server_timing(headers))
        if path.startswith("/api/"):
            answered_by.append(json.loads(body)["backend"])
        if time.monotonic() > deadline:
            break
    return timings, server, answered_by, timed


def search_figures(backend_name, searches, page_paths, budget):
    """One backend's figures, from the server already running for it."""
    measure(searches[:20], budget)  # warm: the model, the vocabulary, the connections
    timings, server, answered_by, timed = measure(searches, budget)
    slowest = sorted(zip(timings, timed, server, strict=True), key=lambda t: -t[0])[:5]
    for ms, path, parts in slowest:  # what to look at first
        print(f"# slowest {backend_name}: {ms:.0f} ms {path} {parts}", file=sys.stderr)
    failures_before = len(FAILURES)
    figures = {
        "backend": backend_name,
        "searches": len(timings),
        # Searches another backend answered (the fallback): 0, or the figures mislead.
        "fallbacks": sum(1 for name in answered_by if name != backend_name),
        "search_p50_ms": rounded(statistics.median(timings)),
        "search_p95_ms": rounded(percentile(timings, 95)),
    }
    if backend_name == "elasticsearch":
        floors = [s.get("engine", 0) + s.get("embedding", 0) for s in server]
        took = [s.get("engine", 0) for s in server]
        figures["es_took_p95_ms"] = rounded(percentile(took, 95))
        embedding = [s.get("embedding", 0) for s in server]
        figures["embedding_p95_ms"] = rounded(percentile(embedding, 95))
        floor = percentile(floors, 95)
        figures["overhead_p95"] = rounded(percentile(timings, 95) / floor, 2) if floor else None
    page_timings, _, _, _ = measure(page_paths, budget)
    figures["failed"] = len(FAILURES) - failures_before
    figures["pages"] = len(page_timings)
    figures["page_p50_ms"] = rounded(statistics.median(page_timings))
    figures["page_p95_ms"] = rounded(percentile(page_timings, 95))
    return figures


# --- the run ---------------------------------------------------------------------------


def machine():
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def service_versions(env):
    script = (
        "from django.db import connection; c = connection.cursor();"
        "c.execute('show server_version'); print('postgresql', c.fetchone()[0]);"
        "from search.backends.elasticsearch.client import client;"
        "nodes = client().nodes.info(filter_path='nodes.*.version')['nodes'];"
        "print('elasticsearch', next(iter(nodes.values()))['version'])"
    )
    out, _ = run_measured(["shell", "-c", script], env)
    return dict(re.findall(r"^(postgresql|elasticsearch) (\S+)", out, re.M))


def write_slice(path, start, stop):
    with path.open("w", encoding="utf-8") as out:
        for i, record in enumerate(generate(stop, SEED)):
            if i >= start:
                out.write(json.dumps(record) + "\n")


def chart(results, path):
    # Imported here: matplotlib is a benchmark extra, and the figures need no chart.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 5), dpi=120)
    styles = {"elasticsearch": "tab:blue", "database": "tab:orange"}
    for backend, colour in styles.items():
        rows = [r for r in results if r.get("backend") == backend]
        if not rows:
            continue
        sizes = [r["size"] for r in rows]
        ax.plot(
            sizes,
            [r["search_p95_ms"] for r in rows],
            "o-",
            color=colour,
            label=f"{backend}: search API p95",
        )
        ax.plot(
            sizes,
            [r["page_p95_ms"] for r in rows],
            "s--",
            color=colour,
            label=f"{backend}: case study page p95",
        )
    ax.axhline(50, color="grey", linewidth=0.8, linestyle=":")
    ax.text(ax.get_xlim()[0], 52, " 50 ms: the search API target", color="grey", fontsize=8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("case studies")
    ax.set_ylabel("milliseconds (log scale)")
    ax.set_title("Practice Exchange: latency against corpus size")
    ax.grid(True, which="both", linewidth=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path)


def measure_searches(size, env, database_only, args):
    """The searches and pages of each backend, each from a server started for it."""
    rows = []
    for name, server_env in (("elasticsearch", env), ("database", database_only)):
        with Server(server_env) as server:
            facets = facet_values()
            searches = request_mix(facets, args.searches)
            pages = case_study_paths(args.pages)
            figures = search_figures(name, searches, pages, args.budget)
            figures["web_rss_mb"] = rounded(server.worker_rss_mb())
        rows.append({"size": size, **figures})
    return rows


def report_rows(report, rows, output):
    for row in rows:
        print("scale " + " ".join(f"{k}={v}" for k, v in row.items()), flush=True)
    report["results"] += rows
    report["results"].sort(key=lambda r: (r["size"], "backend" not in r, r.get("backend", "")))
    (output / "scale.json").write_text(json.dumps(report, indent=2) + "\n")
    chart(report["results"], output / "scale.png")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 10000, 100000])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--elasticsearch-url", required=True)
    parser.add_argument("--searches", type=int, default=300, help="search requests a backend")
    parser.add_argument("--pages", type=int, default=150, help="case study page requests")
    parser.add_argument("--budget", type=float, default=150, help="seconds at most a measurement")
    parser.add_argument("--output", default=str(RESULTS))
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="load nothing: measure the searches and pages of the database as it is (one "
        "size), keeping that size's import figures from the JSON already written",
    )
    args = parser.parse_args()
    sizes = sorted(set(args.sizes))
    output = Path(args.output)
    output.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="px-scale-"))
    env = production_env(
        args.database_url,
        args.elasticsearch_url,
        "benchmark-scale",
        SECURE_SSL_REDIRECT="false",  # plain http on loopback: no TLS proxy to redirect for
    )
    database_only = {**env, "ELASTICSEARCH_URL": ""}
    run_measured(["migrate", "-v0"], env)
    run_measured(["collectstatic", "--noinput", "-v0"], env)
    report = {
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "services": service_versions(env),
        "searches_per_backend": args.searches,
        "pages_per_backend": args.pages,
        "results": [],
    }
    if args.measure_only:
        previous = json.loads((output / "scale.json").read_text())
        report["results"] = [r for r in previous["results"] if r["size"] not in sizes]
        kept = [r for r in previous["results"] if r["size"] in sizes and "import_per_s" in r]
    loaded = 0
    for size in sizes:
        if args.measure_only:
            rows = measure_searches(size, env, database_only, args)
            rows += [{**row, "searches_measured_again": True} for row in kept]
            report_rows(report, rows, output)
            continue
        records = tmp / f"records-{loaded}-{size}.jsonl"
        write_slice(records, loaded, size)
        print(f"# size {size}: importing records {loaded + 1}-{size}", file=sys.stderr)
        out, import_rss = run_measured(
            ["import_case_studies", str(records), "--defer-vectors"], env
        )
        import_rate = rate_in(out, r"\(([\d.]+) a second\)")
        out, vectors_rss = run_measured(["search_index", "--vectors"], env)
        vectors_rate = rate_in(out, r"\(([\d.]+) a second\)") if "a second" in out else None
        out, rebuild_rss = run_measured(["search_index", "--rebuild"], env)
        rebuild_rate = rate_in(out, r"\(([\d.]+) a second\)")
        records.unlink()
        loaded = size

        rows = measure_searches(size, env, database_only, args)
        web_rss = max(row["web_rss_mb"] for row in rows)
        rows.append(
            {
                "size": size,
                "import_per_s": rounded(import_rate, 0),
                "vectors_per_s": rounded(vectors_rate),
                "rebuild_per_s": rounded(rebuild_rate, 0),
                "peak_rss_mb": rounded(max(import_rss, vectors_rss, rebuild_rss, web_rss)),
                "web_rss_mb": rounded(web_rss),
                "import_rss_mb": rounded(import_rss),
            }
        )
        report_rows(report, rows, output)
    print(f"# figures in {output / 'scale.json'}, chart in {output / 'scale.png'}", file=sys.stderr)


if __name__ == "__main__":
    main()
