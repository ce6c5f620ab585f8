"""Signals the domain sends for others (the search service) to react to.

ratings_refreshed: sent after each import of CQC's ratings file, once it is committed, by
knowledgebase.cqc.ratings_import.import_ratings, with

- sender: the RatingsImport class; ratings_import: the RatingsImport row of that import;
- provider_ids: the Providers whose ratings changed (they are written with a queryset
  update, so no post_save is sent for them);
- case_study_ids: the CaseStudyPages whose public document changes: those of the providers
  above, and those whose rating_dropped flag was set or cleared by the re-check.

Both lists are sorted and may be empty: the signal is sent after every import.

case_studies_imported: sent once an import of interchange records has finished (by the
import_case_studies and load_demo_content commands), with

- sender: the CaseStudyImporter class; page_ids: the case studies it created or updated;
- defer: True when the person asked for follow-up work to be left to a scheduled job.

While the import runs, knowledgebase.interchange.importer.importing() is True, so that
followers of page_published can do their slow work once, here, instead of per batch.

pages_published_in_bulk: sent by knowledgebase.interchange.bulk_publish.publish_new_pages
inside its transaction, after the page_published signal of each page (each sent with
in_bulk=True), with

- sender: the page model; page_ids: the pages it published.

Followers that write a row a page in the publish's transaction (the search outbox) write
them all here, in one statement, and nothing for page_published with in_bulk.
"""

import django.dispatch

ratings_refreshed = django.dispatch.Signal()
case_studies_imported = django.dispatch.Signal()
pages_published_in_bulk = django.dispatch.Signal()
