"""Structured facts extracted from article text: document references and officials with their positions.

Pure functions (no database): ``extract_doc_refs`` and ``extract_people`` in, dataclasses out;
``fact_rows`` turns them into the rows of the archive's ``doc_refs`` and ``people`` tables.
``etl.facts.store`` merges those rows into an open archive (used by the loader and the schema migration).
"""

from etl.facts.docrefs import DocRef, extract_doc_refs
from etl.facts.people import PersonMention, extract_people
from etl.facts.rows import doc_ref_rows, fact_rows, people_rows

__all__ = [
    "DocRef", "PersonMention", "doc_ref_rows", "extract_doc_refs", "extract_people", "fact_rows", "people_rows",
]
