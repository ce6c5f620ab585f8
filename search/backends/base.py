"""The interface both backends implement. Same query in, same result shape out."""


class SearchUnavailable(Exception):
    """The backend could not answer (down, timed out, or its index is missing)."""


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
