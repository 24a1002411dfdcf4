"""Importing jsonschema without building a grammar the edition never uses.

jsonschema, when the optional package rfc3987-syntax is installed (JupyterLab's dependencies
install it), builds that package's IRI grammar on import: one to several seconds in every
kernel that reads an annotation. The edition's schemas use no "iri" format, so the import is
made while that package is hidden; it is visible again afterwards to any code that wants it.
"""

from __future__ import annotations

import sys

if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # an import of it now raises ImportError
    try:
        import jsonschema  # noqa: F401
    finally:
        del sys.modules["rfc3987_syntax"]
