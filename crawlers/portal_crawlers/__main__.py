"""``python -m portal_crawlers crawl portal -a ... -s ...``: ``scrapy crawl``, minus Scrapy's command discovery.

``python -m scrapy`` (``scrapy.cmdline.execute``) imports every command module of Scrapy and of installed
plugins before it reads the command line: bench, check, parse, shell ... pull in itemadapter, pydantic,
unittest and twisted.web.client, about 70 ms of every crawl's start for a process that only ever runs
``crawl``.  For ``crawl`` this entry point hands ``execute`` that one command and lets it do everything else as
usual (settings, ``-a``/``-s``/``-L`` options, usage errors, the crawler process, the exit status); any other
command line goes to Scrapy's ``execute`` untouched.  ``etl.crawl.crawler_command`` starts crawls this way;
``scrapy crawl portal ...`` works exactly as before.
"""

from __future__ import annotations

import sys

from scrapy import cmdline


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "scrapy"
    if len(argv) > 1 and argv[1] == "crawl":
        from scrapy.commands.crawl import Command

        def crawl_command_only(*args: object, **kwargs: object) -> dict[str, Command]:
            return {"crawl": Command()}

        # A private helper of scrapy.cmdline: should it be renamed, this assignment is simply never used and
        # every command is discovered again (slower, same result).
        cmdline._get_commands_dict = crawl_command_only  # type: ignore[attr-defined]
    cmdline.execute(argv)


if __name__ == "__main__":
    main()
