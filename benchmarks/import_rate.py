"""Import rate: N interchange records into a fresh SQLite database, as the command runs.

    .venv/bin/python benchmarks/import_rate.py [N]      (default 10000)

Records are the demo case studies repeated under new ids and new providers, so their
text is realistic. Imports the file into an empty database, then again (every record
unchanged). Prints the rate the command reports and the wall time of each run.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "records.jsonl"
        with data.open("w", encoding="utf-8") as out:
            for record in records(n):
                out.write(json.dumps(record) + "\n")
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
            "ELASTICSEARCH_URL": "",
            "DJANGO_SETTINGS_MODULE": "knowledgebase.settings.dev",
            "DEBUG": "false",  # as in production: no query log
        }
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
                f"= {n / elapsed:.0f} records/s (SQLite, database search backend)"
            )
            if result.returncode:
                sys.exit(result.returncode)


if __name__ == "__main__":
    main()
