"""'Cite this note': BibTeX, CSL-JSON and RIS for one annotation, and the meta tags reference managers read.

Every field is data, never markup: BibTeX escapes TeX's special characters, CSL-JSON is JSON,
RIS keeps one field per line (line breaks in a value become spaces).
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from ..annotations import Annotation


@dataclass(frozen=True)
class Citation:
    key: str
    title: str
    author: str
    date: str  # YYYY-MM-DD, the note's last update
    url: str
    version: str
    container: str  # the edition's name
    publisher: str
    accessed: str = ""

    @property
    def year(self) -> str:
        return self.date[:4]


def of(ann: Annotation, url: str, edition: str, publisher: str) -> Citation:
    version = f"{len(ann.history)} ({ann.updated})"
    title = f"{ann.label}: \u201c{ann.exact}\u201d"
    return Citation(key=f"edition-{ann.id}", title=title, author=ann.author, date=ann.updated, url=url,
                    version=version, container=edition, publisher=publisher)


_TEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "%": r"\%",
        "_": r"\_", "^": r"\^{}", "~": r"\~{}"}


def _tex(text: str) -> str:
    return "".join(_TEX.get(c, c) for c in " ".join(text.split()))


def bibtex(c: Citation) -> str:
    fields = [("title", _tex(c.title)), ("author", "{" + _tex(c.author) + "}"), ("year", c.year), ("date", c.date),
              ("url", _tex(c.url)), ("version", _tex(c.version)), ("organization", _tex(c.container)),
              ("publisher", _tex(c.publisher)), ("note", "Editors' note, version " + _tex(c.version))]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{c.key},\n{body}\n}}"


def csl_json(c: Citation) -> str:
    parts = [int(p) for p in c.date.split("-")]
    item = {"id": c.key, "type": "webpage", "title": c.title, "author": [{"literal": c.author}],
            "issued": {"date-parts": [parts]}, "URL": c.url, "version": c.version,
            "container-title": c.container, "publisher": c.publisher}
    return json.dumps([item], ensure_ascii=False, indent=1)


def _ris(text: str) -> str:
    return " ".join(text.split())


def ris(c: Citation) -> str:
    lines = [("TY", "ELEC"), ("TI", c.title), ("AU", c.author), ("PY", c.year), ("DA", c.date.replace("-", "/")),
             ("UR", c.url), ("ET", c.version), ("T2", c.container), ("PB", c.publisher), ("ER", "")]
    return "\n".join(f"{tag}  - {_ris(value)}".rstrip() for tag, value in lines)


def meta_tags(c: Citation) -> list[tuple[str, str]]:
    """(name, content) pairs: Highwire Press tags that Zotero and Google Scholar read."""
    return [("citation_title", c.title), ("citation_author", c.author), ("citation_date", c.date.replace("-", "/")),
            ("citation_publication_date", c.date.replace("-", "/")), ("citation_public_url", c.url),
            ("citation_publisher", c.publisher)]


def meta_html(pairs: list[tuple[str, str]], attribute: str = "name") -> str:
    return "\n".join(f'<meta {attribute}="{html.escape(n)}" content="{html.escape(_oneline(v))}" />' for n, v in pairs)


def _oneline(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
