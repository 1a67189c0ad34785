from __future__ import annotations

import pytest

from tests.analysis.archive_factory import build_archive


@pytest.fixture(scope="package")
def archive(tmp_path_factory):
    """A loaded archive with its published snapshot (views and search index included)."""
    return build_archive(tmp_path_factory.mktemp("analysis"))
