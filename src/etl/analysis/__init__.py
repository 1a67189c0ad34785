"""What analysts do with the archive: views, exports, full-text search and the coverage report.

Everything here reads the archive (or its published snapshot); nothing here crawls or extracts.
"""
