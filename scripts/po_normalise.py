"""Rewrite the English catalogs in one format (Babel's, 100 columns, no line numbers, no obsolete
entries) so that `make messages` changes only the lines of strings that really changed.

    .venv/bin/python scripts/po_normalise.py ketnoi/*/locale/en/LC_MESSAGES/django.po
"""

import sys

from babel.messages.pofile import read_po, write_po


def normalise(path: str) -> None:
    with open(path, "rb") as f:
        catalog = read_po(f)
    with open(path, "wb") as f:
        write_po(f, catalog, width=100, ignore_obsolete=True, include_lineno=False)


if __name__ == "__main__":
    for path in sys.argv[1:]:
        normalise(path)
