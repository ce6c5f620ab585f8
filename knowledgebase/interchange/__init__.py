"""The interchange pipeline: case studies in and out as JSON Lines (data/case-study.schema.json).

- records.py: one record: validation, and conversion to and from a page and its provider;
- importer.py: a file of records into the CMS, idempotent by id, bad lines reported;
- bulk_publish.py: new pages published in bulk with Wagtail's bookkeeping;
- wagtail_internals.py: the private Wagtail and treebeard APIs that bulk publishing uses;
- progress.py: progress lines for the long commands.
"""
