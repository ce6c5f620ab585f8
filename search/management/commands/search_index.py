import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from knowledgebase.interchange.progress import Progress
from search import embeddings
from search.backends.elasticsearch.client import UNAVAILABLE
from search.backends.elasticsearch.rebuild import rebuild, reconcile
from search.backends.elasticsearch.sync import BatchedQueue, flush, pending_count
from search.documents import indexable_case_studies
from search.locks import LockNotTaken
from search.vectors import ensure_vectors
from search.vocabulary import rebuild_vocabulary


class Command(BaseCommand):
    help = (
        "Maintain the Elasticsearch index of public case studies: --rebuild fills a new index "
        "and swaps the alias to it in one step; --reconcile finds and fixes drift from the "
        "database; --replay applies updates queued while Elasticsearch was unreachable; "
        "--vectors computes the vectors semantic search lacks (any backend); --vocabulary "
        "counts the words of the public case studies again (typo correction; any backend; "
        "--rebuild does it too)."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--rebuild", action="store_true")
        group.add_argument("--reconcile", action="store_true")
        group.add_argument("--replay", action="store_true")
        group.add_argument("--vectors", action="store_true")
        group.add_argument("--vocabulary", action="store_true")
        parser.add_argument("--dry-run", action="store_true", help="with --reconcile: report only")

    def handle(self, *args, rebuild=False, reconcile=False, replay=False, vectors=False, **options):
        if vectors:
            self.vectors()
            return
        if options["vocabulary"]:
            size = rebuild_vocabulary()
            self.stdout.write(f"Counted the words of {size} case studies.")
            return
        dry_run = options["dry_run"]
        if not settings.ELASTICSEARCH_URL:
            raise CommandError("ELASTICSEARCH_URL is not set: the database backend needs no index.")
        try:
            if rebuild:
                self.rebuild()
            elif reconcile:
                self.reconcile(fix=not dry_run)
            else:
                applied = flush()
                self.stdout.write(
                    f"Replayed {applied} queued updates; {pending_count()} still queued."
                )
        except UNAVAILABLE as exc:
            raise CommandError(f"Elasticsearch did not answer: {exc}") from exc
        except LockNotTaken as exc:
            raise CommandError("Another rebuild is running; this one did not start.") from exc

    def progress_reporter(self, label):
        state = {}

        def report(event, n):
            if event == "start":
                state["progress"] = Progress(label, n, self.stderr)
            elif event == "advance":
                state["progress"].advance(n)
            else:
                state["progress"].finish()

        return report

    def vectors(self):
        """Vectors for every public case study that lacks one, or whose text changed."""
        if embeddings.get_model() is None:
            raise CommandError(
                f"The embedding model is unavailable: {embeddings.status()['reason']}"
            )
        started = time.monotonic()
        # The new vectors reach the index every few thousand (queued if Elasticsearch is down).
        to_index = BatchedQueue("vectors computed")
        computed = ensure_vectors(
            indexable_case_studies(), progress_label="Vectors", on_batch=to_index
        )
        elapsed = time.monotonic() - started
        to_index.flush()
        rate = f" ({computed / elapsed:.1f} a second)" if computed and elapsed else ""
        self.stdout.write(f"Computed {computed} vectors in {elapsed:.1f}s{rate}.")

    def rebuild(self):
        rebuild_vocabulary()  # the words of what is public now, withdrawn case studies' gone
        started = time.monotonic()
        name, total = rebuild(self.progress_reporter("Indexing"))
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Indexed {total} case studies into {name} in {elapsed:.1f}s "
            f"({total / elapsed:.0f} a second); the alias now points to it."
        )

    def reconcile(self, fix):
        drift = reconcile(self.progress_reporter("Comparing"), fix=fix)
        for kind, ids in drift.items():
            self.stdout.write(f"{kind}: {len(ids)}" + (f" (pages {ids[:20]})" if ids else ""))
        verb = "Fixed" if fix else "Found"
        self.stdout.write(f"{verb} {sum(len(v) for v in drift.values())} drifting documents.")
