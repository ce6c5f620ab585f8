"""The sector's synonym list (synonyms.txt), shared by Elasticsearch and the database backend.

The file is checked when it is loaded: a line that breaks one of its rules stops the load
with the line number and the reason (SynonymFileError), so nothing is quietly dropped.
"""

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parent / "synonyms.txt"
TERM = re.compile(r"^[a-z0-9]+(?: [a-z0-9]+)*$")
GENERIC_PREFIX = "generic:"

# Words that carry no meaning on their own in a searcher's problem statement.
STOP_WORDS = frozenset(
    "a an and are as at be but by for from has have how i if in into is it its of on or our"
    " so that the their them there these they this to too was we were what when where which"
    " who why will with you your very many much more most can do does not no".split()
)


# Elasticsearch's _english_ stop list, which its stop filter applies after the synonyms: the
# words the file's rules are about (STOP_WORDS above is wider, for the database backend).
ENGLISH_STOP_FILTER = frozenset(
    "a an and are as at be but by for if in into is it no not of on or such that the their"
    " then there these they this to was will with".split()
)


# Words of everyday speech that say how a searcher feels about a problem, not what it is
# ("we have a real problem with..."): like generic words for people, never required.
FILLER_WORDS = frozenset(
    "real really problem problems issue issues struggling struggle help helping ideas idea"
    " need needs want wants anyone anything something everything lot lots enough always"
    " never still just any some get gets got getting keep keeps kept going make making"
    " way ways good better best think know ok okay please advice tips thing things"
    " all every other us me my im ive weve dont cant wont doesnt isnt also even".split()
)


class SynonymFileError(ValueError):
    """A line of the synonym file breaks one of its rules."""


@dataclass(frozen=True)
class SynonymFile:
    groups: tuple  # each a tuple of equivalent terms
    generic: frozenset  # words for people in general: never expanded, never required


def parse(text, source="synonyms.txt"):
    groups, generic, seen = [], set(), {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        is_generic = line.startswith(GENERIC_PREFIX)
        if is_generic:
            line = line[len(GENERIC_PREFIX) :]
        if "=>" in line:
            raise SynonymFileError(f"{source} line {number}: '=>' rules are not allowed")
        terms = tuple(" ".join(term.split()) for term in line.split(","))
        for term in terms:
            where = f"{source} line {number}"
            if not TERM.match(term):
                raise SynonymFileError(
                    f"{where}: {term!r} must be lowercase letters, digits and single spaces"
                )
            if term in ENGLISH_STOP_FILTER:
                raise SynonymFileError(f"{where}: {term!r} is only a stop word")
            words = term.split()
            ends = (words[0], words[-1])
            if len(words) > 1 and any(w in ENGLISH_STOP_FILTER for w in ends):
                raise SynonymFileError(f"{where}: {term!r} starts or ends with a stop word")
            if term in seen:
                raise SynonymFileError(f"{where}: {term!r} is already on line {seen[term]}")
            seen[term] = number
        if is_generic:
            generic.update(terms)
        elif len(terms) < 2:
            raise SynonymFileError(f"{source} line {number}: a group needs two terms or more")
        else:
            groups.append(terms)
    return SynonymFile(tuple(groups), frozenset(generic))


@cache
def synonym_file():
    return parse(SYNONYMS_FILE.read_text(encoding="utf-8"))


def synonym_groups():
    return synonym_file().groups


def generic_terms():
    return synonym_file().generic


@cache
def all_terms():
    return frozenset(t for group in synonym_groups() for t in group) | generic_terms()


def solr_rules():
    """The groups as Solr-format rules for an Elasticsearch synonym_graph filter."""
    return [", ".join(group) for group in synonym_groups()]


@cache
def _term_index():
    index = {tuple(term.split()): group for group in synonym_groups() for term in group}
    index.update({tuple(term.split()): (term,) for term in generic_terms()})
    return index


def concepts(text, include_generic=True):
    """The query as concepts: each a tuple of equivalent terms, the words as typed first.

    Matches as Elasticsearch's synonym_graph does, so both backends agree: at each word
    the longest term of any group wins and its words are consumed. Generic words for
    people stand alone, unexpanded, and are left out unless include_generic.
    """
    index, generic = _term_index(), generic_terms()
    words = re.findall(r"[a-z0-9]+", text.lower())
    found, i = [], 0
    while i < len(words):
        n = next((n for n in range(len(words) - i, 0, -1) if tuple(words[i : i + n]) in index), 0)
        if n:
            typed = " ".join(words[i : i + n])
            if include_generic or typed not in generic:
                found.append((typed, *(t for t in index[tuple(words[i : i + n])] if t != typed)))
        elif words[i] not in STOP_WORDS:
            found.append((words[i],))
        i += n or 1
    return list(dict.fromkeys(found))


def required_concepts(text, is_common=lambda word: False):
    """The concepts a match must come from: not generic words for people, not filler, and not
    single words common to most case studies (is_common). Never empty when the text has
    concepts: with nothing else left, the non-generic ones stay required."""
    found = concepts(text, include_generic=False)
    required = [
        c for c in found if not (" " not in c[0] and (c[0] in FILLER_WORDS or is_common(c[0])))
    ]
    return required or found


def required_text(text, is_common=lambda word: False):
    """The words a match must come from (required_concepts), as text for a match query."""
    return " ".join(concept[0] for concept in required_concepts(text, is_common))


def expansions(text):
    """Terms equivalent to any term found in the text, for backends without a synonym filter."""
    normalised = " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "
    found = [t for concept in concepts(text) for t in concept[1:] if f" {t} " not in normalised]
    return list(dict.fromkeys(found))
