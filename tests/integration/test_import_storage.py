"""The importer's storage tests again, on the real PostgreSQL (the unit run uses SQLite).

Bulk publishing writes rows with executemany() and a correlated UPDATE; the database
engine, its JSON columns and its savepoints are what these tests are about.
"""

import pytest

from tests.unit.test_bulk_publish import (  # noqa: F401 (collected here as PostgreSQL tests)
    test_a_failing_record_in_a_batch_costs_that_line_only,
    test_a_provider_changed_within_one_file_is_updated,
    test_bulk_published_pages_are_whole_wagtail_pages,
)
from tests.unit.test_import_export import (  # noqa: F401
    test_reimport_is_idempotent_and_changes_make_a_new_revision,
)

pytestmark = pytest.mark.django_db
