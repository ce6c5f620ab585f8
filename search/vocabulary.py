"""The words the public case studies use: for correcting a searcher's typos ("demntia") and, on
databases that do not stem (SQLite), for finding the other forms of a word ("hydrating" ->
"hydration", "hydrated").

Built from the live, public case studies and kept in memory, rebuilt when they change (a
count and a timestamp: one small query a search).
"""

import re
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache

import snowballstemmer
from django.db.models import Count, Max

from .documents import SNIPPET_FIELDS, indexable_case_studies, public_case_studies, public_document
from .synonyms import STOP_WORDS, all_terms

WORD = re.compile(r"[a-z]+")
MIN_CORRECTABLE_LENGTH = 4  # shorter words are too often other words one letter away
SIMILARITY_TO_CORRECT = 0.8
MAX_FORMS = 6

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

    @classmethod
    def of(cls, documents):
        """From an iterable of documents, each an iterable of texts."""
        vocabulary = cls()
        for texts in documents:
            words = [w for text in texts for w in words_of(text)]
            vocabulary.counts.update(words)
            vocabulary.documents.update(set(words))
            vocabulary.size += 1
        for word, _ in vocabulary.counts.most_common():
            vocabulary.by_initial[word[0]].append(word)
            vocabulary.by_stem[stemmer.stemWord(word)].append(word)
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
        """The known word the typed one most likely meant, or None when it is known or unclear."""
        if len(word) < MIN_CORRECTABLE_LENGTH or self.knows(word) or word in STOP_WORDS:
            return None
        if self.forms(word):
            return None  # another form of a word the case studies use: not a typo
        best, best_score = None, SIMILARITY_TO_CORRECT
        for candidate in self.by_initial.get(word[0], ()):
            if abs(len(candidate) - len(word)) > 2:
                continue
            score = SequenceMatcher(None, word, candidate).ratio()
            if score > best_score:  # commonest first, so a tie keeps the commoner word
                best, best_score = candidate, score
        return best

    def corrected(self, text):
        """The text with each unknown word replaced by its correction; "" when none applies."""
        changed = False

        def replace(match):
            nonlocal changed
            word = match.group(0)
            lower = word.lower()
            fix = None if lower in _sector_words() else self.correction(lower)
            if fix:
                changed = True
                return fix
            return word

        corrected = re.sub(r"[A-Za-z]+", replace, text)
        return corrected if changed else ""


@cache
def _sector_words():
    return frozenset(w for term in all_terms() for w in term.split())


class VocabularyCache:
    def __init__(self):
        self.key, self.vocabulary, self.lock = None, Vocabulary(), threading.Lock()

    def current(self):
        pages = public_case_studies()
        state = pages.aggregate(n=Count("pk"), latest=Max("last_published_at"))
        key = (state["n"], state["latest"])
        if key != self.key:
            with self.lock:
                if key != self.key:
                    self.vocabulary = Vocabulary.of(
                        _texts(page) for page in indexable_case_studies().iterator(chunk_size=500)
                    )
                    self.key = key
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
