"""Every rule of the synonym file is accepted by the real Elasticsearch node: the search
analyzer expands each group's first term into the words of every other term of its group."""

from search.backends.elasticsearch.client import alias_name, client
from search.synonyms import synonym_groups


def tokens(text, analyzer):
    result = client().indices.analyze(index=alias_name(), analyzer=analyzer, text=text)
    return {token["token"] for token in result["tokens"]}


def test_the_node_accepts_every_synonym_rule(fresh_index):
    groups = synonym_groups()
    accepted, refused = 0, []
    for group in groups:
        expanded = tokens(group[0], "english_search")
        # Each other term, analysed as the index analyses text, is among the expansion.
        if all(tokens(term, "english_text") <= expanded for term in group[1:]):
            accepted += 1
        else:
            refused.append(group)
    print(f"\n{accepted} of {len(groups)} synonym rules accepted by the node")
    assert accepted == len(groups), refused[:5]
