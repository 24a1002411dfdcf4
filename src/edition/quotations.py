"""Quotations in the editors' notes, and whether the edition itself holds their words.

A quotation is text of four words or more between double quotation marks (straight or
curly) in a note's summary or explanation. It is checkable when its words appear verbatim
in the article or in a stored excerpt of one of that note's sources (one found again in a
copy of its source: a passage marked not_refound holds nothing). An ellipsis inside a
quotation marks an omission: each part is looked for on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_WORDS = 4
_QUOTED = re.compile(r"\u201c([^\u201c\u201d]+)\u201d|\"([^\"\n]+)\"")
_ELLIPSIS = re.compile(r"\s*(?:\u2026|\.\.\.|\[\u2026\]|\[\.\.\.\])\s*")
# Typographic variants that say the same words: quotation marks, apostrophes, dashes, spaces.
_SAME = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-", "\u00a0": " "})


@dataclass(frozen=True)
class Quotation:
    field: str  # "summary" or "explanation"
    text: str


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_SAME)).strip().casefold()


def entry_key(text: str) -> str:
    """An unverified_quotations entry compared as its quotation is (surrounding quotation marks ignored)."""
    return normalise(text.strip("\"\u201c\u201d "))


def quotations(field: str, text: str) -> list[Quotation]:
    """Every quotation of MIN_WORDS words or more in one field, in order."""
    found = []
    for match in _QUOTED.finditer(text or ""):
        words = (match.group(1) or match.group(2)).strip()
        if len(words.split()) >= MIN_WORDS:
            found.append(Quotation(field, words))
    return found


def held_in(quote: str, texts: list[str]) -> bool:
    """True when every part of the quotation (split at ellipses) is verbatim in one of the texts."""
    haystacks = [normalise(t) for t in texts]
    parts = [normalise(p.strip(" ,;:.")) for p in _ELLIPSIS.split(quote)]
    return all(any(part in h for h in haystacks) for part in parts if part)


def unheld(summary: str, explanation: str, evidence: list[str]) -> list[Quotation]:
    """The quotations of a note whose words are in none of the evidence texts."""
    found = quotations("summary", summary) + quotations("explanation", explanation)
    return [q for q in found if not held_in(q.text, evidence)]


@dataclass(frozen=True)
class Checked:
    file: str
    quotation: Quotation
    held: bool  # in the article or an excerpt of the note's own sources
    explained: bool  # listed under unverified_quotations


def check_files(paths: list, article: list[str]) -> list[Checked]:
    """Every quotation of the annotation files, read as plain YAML (so a file with other problems still counts)."""
    import yaml

    found = []
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        excerpts = [e.get("text", "") for s in data.get("sources") or [] for e in s.get("excerpts") or [] if not e.get("not_refound")]
        explained = {entry_key(u["text"]) for u in data.get("unverified_quotations") or []}
        for q in quotations("summary", data.get("summary", "")) + quotations("explanation", data.get("explanation", "")):
            found.append(Checked(path.name, q, held_in(q.text, article + excerpts), normalise(q.text) in explained))
    return found
