"""Relevance of both backends on the development set and on the blind set.

    .venv/bin/python benchmarks/relevance.py [--set development|blind] [--elasticsearch-url URL]
        [--postgres-url URL]

Each set is judged over its own corpus: the development set over the demo content it was
written with (and tuned on), the blind set over the case studies written for it
(search/relevance/blind/). For each set the corpus is imported into a fresh SQLite database,
or with --postgres-url into a fresh PostgreSQL database created beside the one the URL
names and dropped afterwards (the database backend's words are matched by SQLite's FTS5 or
PostgreSQL's full text search, which rank differently); vectors are computed as it is
published. With --elasticsearch-url the corpus is also indexed into an index of the
benchmark's own; then `manage.py evaluate_relevance` prints nDCG@10 with its
bootstrap 95% interval for the fused ranking and for each half alone, and the worst ten
queries. The blind set is the figure to report: nothing was tuned on it.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from elasticsearch import Elasticsearch

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "development": (
        ROOT / "knowledgebase" / "demo" / "case_studies.jsonl",
        ROOT / "search" / "relevance" / "development.json",
    ),
    "blind": (
        ROOT / "search" / "relevance" / "blind" / "case_studies.jsonl",
        ROOT / "search" / "relevance" / "blind" / "judgements.json",
    ),
}


def run(manage, *args, env):
    result = subprocess.run([*manage, *args], env=env, stdout=subprocess.PIPE, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed ({result.returncode})")
    return result.stdout


@contextmanager
def fresh_database(tmp, postgres_url, name):
    """The URL of an empty database for one set's corpus: SQLite in `tmp`, or a PostgreSQL
    database of its own on the server `postgres_url` names, dropped on the way out."""
    if not postgres_url:
        yield f"sqlite:///{tmp}/relevance.sqlite3"
        return
    database = f"px_relevance_{name}_{os.getpid()}"
    # CREATE and DROP DATABASE cannot run inside a transaction
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{database}"')
        try:
            yield urlunsplit(urlsplit(postgres_url)._replace(path=f"/{database}"))
        finally:
            admin.execute(f'DROP DATABASE "{database}" WITH (FORCE)')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--set", choices=SETS, action="append")
    parser.add_argument("--elasticsearch-url", default="")
    parser.add_argument("--postgres-url", default="", help="the database backend on PostgreSQL")
    args = parser.parse_args()
    manage = [sys.executable, str(ROOT / "manage.py")]
    for name in args.set or list(SETS):
        corpus, judgements = SETS[name]
        with (
            tempfile.TemporaryDirectory() as tmp,
            fresh_database(tmp, args.postgres_url, name) as database_url,
        ):
            alias = f"benchmark-relevance-{name}-{os.getpid()}"
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DATABASE_URL": database_url,
                "ELASTICSEARCH_URL": "",
                "SEARCH_INDEX_ALIAS": alias,
                "DEBUG": "false",
            }
            print(f"== {name}: importing {corpus.name}", file=sys.stderr)
            run(manage, "migrate", "-v0", env=env)
            run(manage, "import_case_studies", str(corpus), "--quiet-progress", env=env)
            backends = [("database", env)]
            if args.elasticsearch_url:
                es_env = {**env, "ELASTICSEARCH_URL": args.elasticsearch_url}
                run(manage, "search_index", "--rebuild", env=es_env)
                backends.insert(0, ("elasticsearch", es_env))
            try:
                for _, backend_env in backends:
                    print(
                        run(
                            manage,
                            "evaluate_relevance",
                            "--judgements",
                            str(judgements),
                            "--label",
                            f"{name}-postgresql" if args.postgres_url else name,
                            env=backend_env,
                        ),
                        end="",
                    )
            finally:
                if args.elasticsearch_url:
                    es = Elasticsearch(args.elasticsearch_url)
                    for index in es.indices.get(index=f"{alias}-*"):
                        es.indices.delete(index=index)


if __name__ == "__main__":
    main()
