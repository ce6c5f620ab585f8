"""What the public search holds for each case study, and the Elasticsearch index that holds it.

The index holds only what the public may see: live case studies with no view
restriction. Documents are plain dicts built from the database, so both the
indexer and the reconcile command compare the same thing.
"""

import hashlib
import json

from django.conf import settings
from elasticsearch_dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Text,
    analyzer,
    token_filter,
)

from .synonyms import solr_rules

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
    # Synonyms apply at search time only, so editing the list needs no reindex.
    sector_synonyms = token_filter(
        "sector_synonyms", "synonym_graph", synonyms=solr_rules(), lenient=True
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


def body_text(search_analyzer):
    # .plain keeps unstemmed words for typo tolerance: a typo's stem rarely meets the word's.
    return Text(
        analyzer=english_text,
        search_analyzer=search_analyzer,
        fields={"plain": Text(analyzer=plain_text)},
    )


def case_study_document_class():
    search_analyzer = english_search_analyzer()

    class CaseStudyDocument(Document):
        page_id = Integer()
        id = Keyword()
        title = body_text(search_analyzer)
        summary = body_text(search_analyzer)
        challenge = body_text(search_analyzer)
        approach = body_text(search_analyzer)
        outcomes = body_text(search_analyzer)
        lessons = body_text(search_analyzer)
        adoption = body_text(search_analyzer)
        provider_name = body_text(search_analyzer)
        theme_labels = body_text(search_analyzer)
        innovation_type_labels = body_text(search_analyzer)
        url = Keyword(index=False)
        themes = Keyword()
        innovation_types = Keyword()
        key_questions = Keyword()
        quality_statements = Keyword()
        evidence_types = Keyword()
        service_type = Keyword()
        region = Keyword()
        overall_rating = Keyword()
        published = Date()
        fingerprint = Keyword(index=False)

    return CaseStudyDocument


def alias_name():
    return settings.SEARCH_INDEX_ALIAS


def new_index(name):
    """An index definition (settings, analysis, mapping) under a concrete, versioned name."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, max_result_window=20000)
    index.document(case_study_document_class())
    return index


def fingerprint(document):
    body = {k: v for k, v in document.items() if k != "fingerprint"}
    return hashlib.sha1(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def case_study_document(page):
    """The search document for one live, public case study page (a plain dict)."""
    themes = list(page.themes.all())
    innovation_types = list(page.innovation_types.all())
    provider = page.provider
    document = {
        "page_id": page.pk,
        "id": page.external_id,
        "title": page.title,
        "summary": page.summary,
        "challenge": page.challenge,
        "approach": page.approach_text(),
        "outcomes": page.outcomes,
        "lessons": page.lessons,
        "adoption": page.adoption,
        "provider_name": provider.name if provider else "",
        "theme_labels": [t.label for t in themes],
        "innovation_type_labels": [t.label for t in innovation_types],
        "url": page.get_url() or page.url_path,
        "themes": [t.slug for t in themes],
        "innovation_types": [t.slug for t in innovation_types],
        "key_questions": [t.slug for t in page.key_questions.all()],
        "quality_statements": [t.slug for t in page.quality_statements.all()],
        "evidence_types": [t.slug for t in page.evidence_types.all()],
        "service_type": provider.service_type if provider else "",
        "region": provider.region if provider else "",
        "overall_rating": provider.overall_rating if provider else "",
        "published": str(page.published_date) if page.published_date else None,
    }
    document["fingerprint"] = fingerprint(document)
    return document


def indexable_case_studies():
    """Every case study the public may see, with what its document needs fetched up front."""
    from knowledgebase.case_studies import CLASSIFICATIONS, CaseStudyPage

    return (
        CaseStudyPage.objects.live()
        .public()
        .select_related("provider")
        .prefetch_related(*CLASSIFICATIONS)
        .order_by("pk")
    )
