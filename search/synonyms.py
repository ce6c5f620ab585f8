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


def expansions(text):
    """Terms equivalent to any term found in the text, for backends without a synonym filter."""
    # Match as Elasticsearch's synonym_graph does so both backends agree: longest term wins.
    index = {tuple(term.split()): group for group in synonym_groups() for term in group}
    words = re.findall(r"[a-z0-9]+", text.lower())
    normalised = " " + " ".join(words) + " "
    found, i = [], 0
    while i < len(words):
        n = next((n for n in range(len(words) - i, 0, -1) if tuple(words[i : i + n]) in index), 0)
        if n:
            found.extend(t for t in index[tuple(words[i : i + n])] if f" {t} " not in normalised)
        i += n or 1
    return list(dict.fromkeys(found))
