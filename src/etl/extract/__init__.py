"""Page -> record: the only place that imports trafilatura.  See :func:`parse_page`."""

from etl.extract.page import parse_page
from etl.extract.platforms import PlatformRules, known_platforms, rules_for

__all__ = ["PlatformRules", "known_platforms", "parse_page", "rules_for"]
