"""The interface both backends implement. Same query in, same result shape out."""


class SearchUnavailable(Exception):
    """The backend could not answer (down, timed out, or its index is missing)."""


class SearchRejected(Exception):
    """The backend refused this request as bad (it would refuse it again); it is up, and
    answers other requests."""


class SearchBackend:
    name = ""

    def search(self, query):
        """SearchResults for a SearchQuery."""
        raise NotImplementedError

    def related(self, page, limit=3):
        """Live public case studies like this one, most alike first: a list of page ids."""
        raise NotImplementedError

    def suggest(self, prefix, limit=6):
        """Case study titles starting with or containing the words typed: [(title, url)]."""
        raise NotImplementedError
