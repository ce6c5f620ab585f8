"""Signals the domain sends for others (the search service) to react to.

ratings_refreshed: sent after each import of CQC's ratings file, once it is committed, by
knowledgebase.cqc.ratings_import.import_ratings, with

- sender: the RatingsImport class; ratings_import: the RatingsImport row of that import;
- provider_ids: the Providers whose ratings changed (they are written with a queryset
  update, so no post_save is sent for them);
- case_study_ids: the CaseStudyPages whose public document changes: those of the providers
  above, and those whose rating_dropped flag was set or cleared by the re-check.

Both lists are sorted and may be empty: the signal is sent after every import.
"""

import django.dispatch

ratings_refreshed = django.dispatch.Signal()
