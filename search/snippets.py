"""A result's snippet: the passage of a case study that mentions the searcher's words, with
those words marked. Both backends cut it here, the same way, from the stored texts.

Elasticsearch's highlighter did it for its backend, at 3-5 ms a result for a long query
(synonyms analysed again over every body field of every hit shown): most of a search's time
at 10,000 case studies. The passage is found by the query's words and their synonyms, cut to
a stem-like prefix, so "falls" marks "fall" and "falling".
"""

import html
import re

from .results import SNIPPET_LENGTH
from .synonyms import STOP_WORDS, expansions

# Control characters (C0 but tab, newline and carriage return; DEL; C1): meaningless in a
# snippet, forbidden in HTML, fatal to an XML parser. Each becomes a space, in the query
# before its words are taken and in the text before anything is marked: a mark never borders
# on one or spans one, and none reaches the page.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_control_characters(text):
    """The text with each control character a space (the same length: offsets hold)."""
    return CONTROL_CHARACTERS.sub(" ", text or "")


def highlight_terms(q):
    """Word stems to mark: the query's words and their synonyms, cut to a stem-like prefix."""
    q = without_control_characters(q)
    words = set(re.findall(r"[a-z0-9]+", " ".join([q, *expansions(q)]).lower())) - STOP_WORDS
    stems = {w[: max(4, len(w) - 3)] if len(w) > 5 else w for w in words if len(w) > 2}
    return sorted(stems, key=len, reverse=True)


def highlight(texts, q):
    """An escaped snippet of the first text that mentions a query word, matches in <mark>."""
    stems = highlight_terms(q) if q else []
    if not stems:
        return ""
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, stems)) + r")[a-z0-9]*", re.I)
    for text in map(without_control_characters, texts):
        match = pattern.search(text)
        if not match:
            continue
        start = max(0, match.start() - SNIPPET_LENGTH // 3)
        start = text.rfind(" ", 0, start) + 1 if start else 0
        snippet = text[start : start + SNIPPET_LENGTH]
        # Escape the text between matches and the matches themselves: no character of the
        # case study can open or close a tag.
        parts, last = [], 0
        for found in pattern.finditer(snippet):
            parts.append(html.escape(snippet[last : found.start()]))
            parts.append(f"<mark>{html.escape(found.group(0))}</mark>")
            last = found.end()
        parts.append(html.escape(snippet[last:]))
        ellipsis_after = "…" if len(text) > start + SNIPPET_LENGTH else ""
        return ("…" if start else "") + "".join(parts) + ellipsis_after
    return ""  # no match: the result's own snippet stands in
