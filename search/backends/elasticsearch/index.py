"""The Elasticsearch index of public case studies: its analysis, its mapping and its documents.

The fields and how each is prepared are declared once, in search/documents.py; here each
kind of field gets its mapping. An index has a versioned name (alias-YYYYmmdd...) and is
reached through the alias, so a rebuild can fill a new one while searches read the old.
"""

import hashlib
import json

import numpy as np
from django.conf import settings
from django.utils import timezone
from elasticsearch_dsl import (
    Boolean,
    Date,
    DenseVector,
    Index,
    Integer,
    Keyword,
    Mapping,
    Object,
    Text,
    analyzer,
    token_filter,
)

from ...documents import FIELDS, public_document
from ...embeddings import DIMENSIONS
from ...results import MAX_RESULT_WINDOW
from ...synonyms import solr_rules
from .client import alias_name, client

english_stop = token_filter("english_stop", "stop", stopwords="_english_")
english_stemmer = token_filter("english_stemmer", "stemmer", language="english")
english_possessive = token_filter("english_possessive", "stemmer", language="possessive_english")

english_text = analyzer(
    "english_text",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", english_possessive, english_stop, english_stemmer],
)
plain_text = analyzer("plain_text", tokenizer="standard", filter=["lowercase", "asciifolding"])


def english_search_analyzer():
    # Synonyms apply at search time only, so editing the list needs no reindex. Not lenient:
    # a rule the node cannot parse fails the index instead of being dropped (search/synonyms.py
    # checks the file's rules first, so that does not happen in practice).
    sector_synonyms = token_filter(
        "sector_synonyms", "synonym_graph", synonyms=solr_rules(), lenient=False
    )
    return analyzer(
        "english_search",
        tokenizer="standard",
        filter=[
            "lowercase",
            "asciifolding",
            english_possessive,  # before synonyms, so "Alzheimer's" meets "alzheimers"
            sector_synonyms,
            english_stop,
            english_stemmer,
        ],
    )


def field_mapping(kind, search_analyzer):
    """The Elasticsearch mapping of a document field of this kind (documents.KINDS)."""
    if kind == "text":
        # .plain keeps unstemmed words for typo tolerance: a typo's stem rarely meets the word's.
        return Text(
            analyzer=english_text,
            search_analyzer=search_analyzer,
            # Offsets in the index: highlighting reads them instead of analysing long
            # bodies again for every result shown.
            index_options="offsets",
            fields={"plain": Text(analyzer=plain_text)},
            copy_to="all_words",
        )
    return {
        # Facets count every keyword field: their ordinals are built at refresh, not by the
        # first search after it.
        "keyword": Keyword(eager_global_ordinals=True),
        "integer": Integer(),
        "date": Date(),
        "stored": Keyword(index=False),
        "boolean": Boolean(),
        "object": Object(enabled=False),
        # HNSW over cosine similarity: kNN is in the node's server core.
        "vector": DenseVector(dims=DIMENSIONS, index=True, similarity="cosine"),
    }[kind]


def mapping():
    search_analyzer = english_search_analyzer()
    result = Mapping()
    # The vector is searched through its own index and never read back: kept out of the
    # stored _source, every hit's fetch reads a tenth of the bytes.
    result.meta("_source", {"excludes": ["vector"]})
    for field in FIELDS:
        result.field(field.name, field_mapping(field.kind, search_analyzer))
    result.field("fingerprint", Keyword(index=False))  # what reconcile compares
    # Every word of the text fields, unstemmed: the vocabulary "Did you mean" draws on.
    result.field("all_words", Text(analyzer=plain_text))
    return result


def versioned_name(alias=None):
    return f"{alias or alias_name()}-{timezone.now():%Y%m%d%H%M%S%f}"


def new_index(name):
    """An index definition (settings, analysis, mapping) under a concrete, versioned name."""
    index = Index(name)
    index.settings(
        number_of_shards=settings.ELASTICSEARCH_SHARDS,
        number_of_replicas=settings.ELASTICSEARCH_REPLICAS,
        # Room past the deepest page a search may ask for: the lexical continuation
        # (backend.py) skips the semantic matches already shown, so reads a little deeper.
        max_result_window=2 * MAX_RESULT_WINDOW,
    )
    index.mapping(mapping())
    return index


def ensure_index():
    """Create a versioned index behind the alias if there is none yet."""
    es, alias = client(), alias_name()
    if not es.indices.exists_alias(name=alias):
        name = versioned_name(alias)
        new_index(name).create(using=es)
        es.indices.put_alias(index=name, name=alias)


def fingerprint(document):
    """A digest of the document (reconcile compares it with the database's). The vector is
    digested as its float32 bytes: written as JSON, its 384 numbers were half the time a
    rebuild spent preparing a document."""
    body = {k: v for k, v in document.items() if k not in ("fingerprint", "vector")}
    digest = hashlib.sha1(json.dumps(body, sort_keys=True, default=str).encode())
    if document.get("vector") is not None:
        digest.update(np.asarray(document["vector"], dtype=np.float32).tobytes())
    return digest.hexdigest()


def indexed_document(page):
    """What the index stores for a page: its public document and that document's fingerprint."""
    document = public_document(page)
    document["fingerprint"] = fingerprint(document)
    return document
