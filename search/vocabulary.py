"""The words the public case studies use: for correcting a searcher's typos ("demntia") and, on
databases that do not stem (SQLite), for finding the other forms of a word ("hydrating" ->
"hydration", "hydrated").

Counted from the live, public case studies and stored (models.SearchVocabulary): publishing
adds a page's words, an import its pages' words at its end, a rebuild counts all again. A
web process keeps it in memory and reloads it when the stored one changes (one lookup of
one row a search); it never reads the corpus itself, which at 100,000 case studies takes
minutes.
"""

import json
import re
import sys
import threading
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache

import numpy as np
import snowballstemmer
from django.db import IntegrityError, transaction

from knowledgebase.interchange.progress import Progress

from .documents import SNIPPET_FIELDS, documents_in_batches, indexable_case_studies, public_document
from .models import SearchVocabulary
from .synonyms import STOP_WORDS, all_terms

WORD = re.compile(r"[a-z]+")
MIN_CORRECTABLE_LENGTH = 4  # shorter words are too often other words one letter away
SIMILARITY_TO_CORRECT = 0.8
MAX_FORMS = 6
MAX_REMEMBERED_CORRECTIONS = 10_000

stemmer = snowballstemmer.stemmer("english")


def words_of(text):
    return WORD.findall((text or "").lower())


COMMON_SHARE = 0.4  # a word in more than this share of case studies tells few of them apart
MIN_DOCUMENTS_FOR_COMMON = 20


@dataclass
class Vocabulary:
    counts: Counter = field(default_factory=Counter)
    documents: Counter = field(default_factory=Counter)  # how many case studies use each word
    size: int = 0
    by_initial: dict = field(default_factory=lambda: defaultdict(list))
    by_stem: dict = field(default_factory=lambda: defaultdict(list))
    corrections: dict = field(default_factory=dict)  # word -> correction or None, as found

    def add(self, documents):
        for texts in documents:
            words = [w for text in texts for w in words_of(text)]
            self.counts.update(words)
            self.documents.update(set(words))
            self.size += 1

    def indexed(self):
        """With the look-ups by initial and by stem made (commonest words first)."""
        self.by_initial, self.by_stem = defaultdict(list), defaultdict(list)
        for word, _ in self.counts.most_common():
            self.by_initial[word[0]].append(word)
            self.by_stem[stemmer.stemWord(word)].append(word)
        return self

    def to_bytes(self):
        table = {word: [n, self.documents[word]] for word, n in self.counts.items()}
        return zlib.compress(json.dumps(table, separators=(",", ":")).encode(), 6)

    @classmethod
    def from_bytes(cls, data, size):
        vocabulary = cls(size=size)
        for word, (n, documents) in json.loads(zlib.decompress(bytes(data))).items():
            vocabulary.counts[word] = n
            vocabulary.documents[word] = documents
        return vocabulary

    def knows(self, word):
        return word in self.counts

    def is_common(self, word):
        """Used by so many case studies that matching it alone says little."""
        if self.size < MIN_DOCUMENTS_FOR_COMMON:
            return False
        return self.documents.get(word, 0) > COMMON_SHARE * self.size

    def forms(self, word):
        """Other forms of the word in the case studies (same English stem), commonest first."""
        return [w for w in self.by_stem.get(stemmer.stemWord(word), []) if w != word][:MAX_FORMS]

    def correction(self, word):
        """The known word the typed one most likely meant, or None when it is known, unclear,
        or a word of the sector's synonym list ("sores" in "pressure sores" is no typo of
        "scores" because the case studies happen to say "pressure ulcers")."""
        if len(word) < MIN_CORRECTABLE_LENGTH or self.knows(word) or word in STOP_WORDS:
            return None
        if word in _sector_words():
            return None
        if word in self.corrections:
            return self.corrections[word]
        best = None
        if not self.forms(word):  # another form of a word the case studies use: not a typo
            best_score = SIMILARITY_TO_CORRECT
            matcher = SequenceMatcher(None, b=word)
            for candidate in self.by_initial.get(word[0], ()):
                if abs(len(candidate) - len(word)) > 2:
                    continue
                matcher.set_seq1(candidate)
                # The cheap upper bounds first, as difflib.get_close_matches does: thousands
                # of words share an initial, and ratio() on each cost tens of milliseconds.
                if matcher.real_quick_ratio() <= best_score or matcher.quick_ratio() <= best_score:
                    continue
                score = matcher.ratio()
                if score > best_score:  # commonest first, so a tie keeps the commoner word
                    best, best_score = candidate, score
        if len(self.corrections) < MAX_REMEMBERED_CORRECTIONS:
            self.corrections[word] = best
        return best

    def corrected(self, text):
        """The text with each unknown word replaced by its correction; "" when none applies."""
        changed = False

        def replace(match):
            nonlocal changed
            word = match.group(0)
            lower = word.lower()
            fix = self.correction(lower)
            if fix:
                changed = True
                return fix
            return word

        corrected = re.sub(r"[A-Za-z]+", replace, text)
        return corrected if changed else ""


@cache
def _sector_words():
    return frozenset(w for term in all_terms() for w in term.split())


def _count(vocabulary, pages, progress_label, only=None):
    """Add the pages' words to the vocabulary (with only, of those ids alone); the ids of
    the pages counted."""
    pages = pages.order_by("pk")
    total = len(only) if only is not None else pages.count()
    progress = Progress(progress_label, total, sys.stderr, enabled=total > 1000)
    counted = []

    def documents():
        for page in documents_in_batches(pages):
            if only is not None and page.pk not in only:
                continue
            counted.append(page.pk)
            yield _texts(page)
            progress.advance()

    vocabulary.add(documents())
    progress.finish()
    return counted


def _store(row, vocabulary, page_ids):
    row.counts = vocabulary.to_bytes()
    row.page_ids = np.asarray(sorted(page_ids), dtype="<i8").tobytes()
    row.size = vocabulary.size
    row.save()


def rebuild_vocabulary():
    """Count the words of every public case study again, and store them."""
    vocabulary = Vocabulary()
    counted = _count(vocabulary, indexable_case_studies(), "Vocabulary")
    try:
        with transaction.atomic():
            row = SearchVocabulary.objects.select_for_update().filter(pk=1).first()
            _store(row or SearchVocabulary(pk=1), vocabulary, counted)
    except IntegrityError:
        pass  # another process stored the first vocabulary at the same moment: it stands
    return vocabulary.size


def add_to_vocabulary(page_ids):
    """Add the words of these pages, those not counted yet, to the stored vocabulary.

    A page published again keeps the words it was counted with (statistics of thousands of
    case studies move little); the next rebuild counts it afresh.
    """
    with transaction.atomic():
        row = SearchVocabulary.objects.select_for_update().filter(pk=1).first()
        if row is None:
            return rebuild_vocabulary()
        counted = set(np.frombuffer(bytes(row.page_ids), dtype="<i8").tolist())
        new = {pk for pk in page_ids if pk not in counted}
        if not new:
            return 0
        # An import's pages by their range of ids, not a list of tens of thousands of them
        # in every batch's query (that ran at 220 pages a second).
        pages = indexable_case_studies().filter(pk__gte=min(new), pk__lte=max(new))
        vocabulary = Vocabulary.from_bytes(row.counts, row.size)
        added = _count(vocabulary, pages, "Vocabulary", only=new)
        if not added:
            return 0
        _store(row, vocabulary, counted | set(added))
        return len(added)


class VocabularyCache:
    """The stored vocabulary in this process, reloaded when the stored one changes."""

    def __init__(self):
        self.key, self.vocabulary, self.lock = None, Vocabulary(), threading.Lock()

    def current(self):
        state = SearchVocabulary.objects.filter(pk=1).values_list("updated_at", "size").first()
        if state is None:
            rebuild_vocabulary()  # a new site's first search: counted once, then stored
            state = SearchVocabulary.objects.filter(pk=1).values_list("updated_at", "size").first()
        if state != self.key:
            with self.lock:
                if state != self.key:
                    row = SearchVocabulary.objects.filter(pk=1).first()
                    self.vocabulary = Vocabulary.from_bytes(row.counts, row.size).indexed()
                    self.key = (row.updated_at, row.size)
        return self.vocabulary


TEXT_FIELDS = ("title", *SNIPPET_FIELDS, "theme_labels", "innovation_type_labels")


def _texts(page):
    document = public_document(page, only=TEXT_FIELDS)
    yield document["title"]
    for name in SNIPPET_FIELDS:
        yield document[name]
    yield from document["theme_labels"]
    yield from document["innovation_type_labels"]


vocabulary_cache = VocabularyCache()
