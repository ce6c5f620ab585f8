"""What the search service announces, for whoever listens (search insight, insight/), without
knowing who does: search/ never imports its listeners.

`searched` is sent once for each public search a person made, on the search page
(source "page") or through the JSON API (source "api"), after it was answered: never for
autocomplete, nor for the searches the site makes itself (feeds, practice for your gaps,
the self-assessment). Arguments: request, query (SearchQuery), results (SearchResults),
source.

A receiver may return a function that takes a result (Hit) and gives the address the
search page should link it to instead of its own (a click-through that records the
opening); the page uses the first one returned.
"""

import logging

from django.dispatch import Signal

logger = logging.getLogger("search")

searched = Signal()


def announce_search(sender, request, query, results, source):
    """Send `searched`; a receiver that fails is logged, never breaks the search. Returns the
    result-link function a receiver gave, or None."""
    link_for = None
    for _receiver, answer in searched.send_robust(
        sender, request=request, query=query, results=results, source=source
    ):
        if isinstance(answer, Exception):
            logger.error("A receiver of searched failed: %r", answer, exc_info=answer)
        elif callable(answer) and link_for is None:
            link_for = answer
    return link_for
