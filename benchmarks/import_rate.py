"""Import rate: N interchange records into a fresh database, as the command runs.

    .venv/bin/python benchmarks/import_rate.py [N]      (default 10000; SQLite, no search index)
    .venv/bin/python benchmarks/import_rate.py N --database-url URL [--elasticsearch-url URL]

Records are the demo case studies repeated under new ids and new providers, so their
text is realistic. Imports the file into an empty database, then again (every record
unchanged). Prints the rate the command reports and the wall time of each run. With
--database-url the database must be empty (scripts/benchmark.sh makes one); with
--elasticsearch-url every publish also reaches a fresh index of the benchmark's own.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from elasticsearch import Elasticsearch

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "knowledgebase" / "demo" / "case_studies.jsonl"


def records(n):
    demo = [json.loads(line) for line in DEMO.read_text(encoding="utf-8").splitlines() if line]
    for i in range(n):
        record = dict(demo[i % len(demo)])
        record["id"] = f"bench-{i:06d}"
        record["title"] = f"{record['title']} ({i})"[:200]
        provider = dict(record["provider"])
        provider["cqc_location_id"] = f"1-9{(i % 2000):09d}"
        provider["name"] = f"{provider['name']} {i % 2000}"
        record["provider"] = provider
        yield record


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=10_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--elasticsearch-url", default="")
    args = parser.parse_args()
    n = args.n
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "records.jsonl"
        with data.open("w", encoding="utf-8") as out:
            for record in records(n):
                out.write(json.dumps(record) + "\n")
        env = {
            **os.environ,
            "DATABASE_URL": args.database_url or f"sqlite:///{tmp}/bench.sqlite3",
            "ELASTICSEARCH_URL": args.elasticsearch_url,
            "SEARCH_INDEX_ALIAS": f"benchmark-import-{os.getpid()}",
            "SEARCH_REFRESH_ON_WRITE": "false",  # as in production
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DEBUG": "false",  # as in production: no query log
        }
        where = ("PostgreSQL" if args.database_url.startswith("postgres") else "SQLite") + (
            ", Elasticsearch index" if args.elasticsearch_url else ", database search backend"
        )
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
        for run in ("new records", "the same file again (unchanged)"):
            started = time.monotonic()
            result = subprocess.run(
                [*manage, "import_case_studies", str(data)],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            elapsed = time.monotonic() - started
            print(result.stdout.strip())
            print(
                f"import_rate, {run}: {n} records in {elapsed:.1f}s wall time "
                f"= {n / elapsed:.0f} records/s ({where})"
            )
            if result.returncode:
                sys.exit(result.returncode)
        if args.elasticsearch_url:
            remove_indices(args.elasticsearch_url, env["SEARCH_INDEX_ALIAS"])


def remove_indices(url, alias):
    """The benchmark's own index goes when it is done (the node refuses wildcard deletes)."""
    es = Elasticsearch(url)
    for name in es.indices.get(index=f"{alias}-*"):
        es.indices.delete(index=name)


if __name__ == "__main__":
    main()
