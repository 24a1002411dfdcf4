"""Sphinx extension of the annotated edition: article integrity, annotations, generated pages, exports."""

from __future__ import annotations

__version__ = "0.1.0"


def setup(app):
    from .extension import setup_extension

    setup_extension(app)
    return {"version": __version__, "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
