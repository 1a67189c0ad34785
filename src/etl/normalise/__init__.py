"""Normalisation of Vietnamese text, dates, URLs and bylines (pure functions, no HTML)."""

from etl.normalise.bylines import Byline, parse_byline, split_glued_byline
from etl.normalise.dates import date_from_url, parse_iso_datetime, parse_partial_date, parse_vietnamese_date
from etl.normalise.text import clean_text, fold_vietnamese, join_paragraphs, nfc, normalise_tone_marks
from etl.normalise.urls import article_id, canonical_url

__all__ = [
    "Byline",
    "article_id",
    "canonical_url",
    "clean_text",
    "date_from_url",
    "fold_vietnamese",
    "join_paragraphs",
    "nfc",
    "normalise_tone_marks",
    "parse_byline",
    "parse_iso_datetime",
    "parse_partial_date",
    "parse_vietnamese_date",
    "split_glued_byline",
]
