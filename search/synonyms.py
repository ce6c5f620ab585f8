"""The sector's synonym list (synonyms.txt), shared by Elasticsearch and the database backend."""

import re
from functools import cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.txt"


@cache
def synonym_groups():
    """Each line of equivalent terms as a tuple, lower case; comments and blanks skipped."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        terms = tuple(t for t in (" ".join(term.split()) for term in line.split(",")) if t)
        if len(terms) >= 2:
            groups.append(terms)
    return groups


def solr_rules():
    """The groups as Solr-format rules for an Elasticsearch synonym_graph filter."""
    return [", ".join(group) for group in synonym_groups()]


# Words that carry no meaning on their own in a searcher's problem statement.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have how i if in into is it its of on or our"
    " so that the their them there these they this to too was we were what when where which"
    " who why will with you your very many much more most can do does not no".split()
)


@cache
def _term_index():
    return {tuple(term.split()): group for group in synonym_groups() for term in group}


def concepts(text):
    """The query as concepts: each a tuple of equivalent terms, the words as typed first.

    Matches as Elasticsearch's synonym_graph does, so both backends agree: at each word
    the longest term of any group wins and its words are consumed.
    """
    index = _term_index()
    words = re.findall(r"[a-z0-9]+", text.lower())
    found, i = [], 0
    while i < len(words):
        n = next((n for n in range(len(words) - i, 0, -1) if tuple(words[i : i + n]) in index), 0)
        if n:
            typed = " ".join(words[i : i + n])
            found.append((typed, *(t for t in index[tuple(words[i : i + n])] if t != typed)))
        elif words[i] not in STOP_WORDS:
            found.append((words[i],))
        i += n or 1
    return list(dict.fromkeys(found))


def expansions(text):
    """Terms equivalent to any term found in the text, for backends without a synonym filter."""
    normalised = " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "
    found = [t for concept in concepts(text) for t in concept[1:] if f" {t} " not in normalised]
    return list(dict.fromkeys(found))
