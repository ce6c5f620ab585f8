"""CQC's ratings file in: its Latest ratings as dated facts, providers taking their ratings
from them, and the re-check of published case studies against the Outstanding rule.

- terms.py: CQC's spellings (regions, domains, ratings, service kinds) and the product's slugs;
- ods.py: one sheet of an ODS spreadsheet, streamed row by row in flat memory;
- ratings_file.py: the ratings file (ODS or CSV) as rows keyed by header; RatingsFileError;
- ratings.py: CareLocation and RatingFact, and a location's latest ratings;
- ratings_import.py: RatingsImport (the log of each import) and import_ratings();
- provider_ratings.py: providers refreshed from the latest facts;
- recheck.py: published case studies checked again against the rule.
"""
