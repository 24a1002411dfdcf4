"""The article's canonical text: reading it, importing it, and comparing against it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from .paths import data_dir

# Lines that the web page appended below the article (not part of it).
PAGE_RESIDUE = ("Check out our other content", "Check out other tags:", "Most Popular Articles")
HEADINGS = (
    "\u201cWe Support Israel\u201d",
    "Economic, Technological, and Military Ties",
    "Putin\u2019s Reasons",
)


@dataclass(frozen=True)
class Block:
    kind: str  # "paragraph" or "heading"
    key: str  # "p7" or "h2": stable ids used in permalinks and error messages
    text: str


@dataclass(frozen=True)
class Article:
    title: str
    publisher: str
    date: str
    url: str | None
    blocks: tuple[Block, ...]
    versions: tuple[tuple[str, str, str], ...] = ()  # the article published elsewhere: (language, title, web address)

    @property
    def paragraphs(self) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind == "paragraph")

    @property
    def text(self) -> str:
        """All blocks joined by blank lines: what quotes are anchored in."""
        return "\n\n".join(b.text for b in self.blocks)

    def block(self, key: str) -> Block:
        return next(b for b in self.blocks if b.key == key)


def parse_received(text: str) -> list[Block]:
    """Split the text as received into blocks, dropping the date lines, title and page residue."""
    chunks = [c.strip() for c in re.split(r"\n\s*\n", text) if c.strip()]
    title_at = next(i for i, c in enumerate(chunks) if c.startswith("The Close Relations"))
    blocks: list[Block] = []
    n_par = n_head = 0
    for chunk in chunks[title_at + 1 :]:
        if chunk in PAGE_RESIDUE:
            break
        if chunk in HEADINGS:
            n_head += 1
            blocks.append(Block("heading", f"h{n_head}", chunk))
        else:
            n_par += 1
            blocks.append(Block("paragraph", f"p{n_par}", chunk))
    return blocks


def article_path() -> Path:
    return data_dir() / "article.yml"


@lru_cache(maxsize=4)
def _load(path: Path, mtime: float) -> Article:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    blocks = tuple(Block(b["kind"], b["key"], b["text"]) for b in raw["blocks"])
    versions = tuple((v["language"], v["title"], v["url"]) for v in raw.get("versions") or [])
    return Article(raw["title"], raw["publisher"], str(raw["date"]), raw.get("url"), blocks, versions)


def load_article(path: Path | None = None) -> Article:
    path = path or article_path()
    return _load(path, path.stat().st_mtime)


def first_difference(expected: str, got: str) -> str:
    """Describe where two strings first differ, for error messages."""
    for i, (a, b) in enumerate(zip(expected, got)):
        if a != b:
            return f"character {i + 1}: expected {a!r} (U+{ord(a):04X}), got {b!r} (U+{ord(b):04X}) in \u2026{got[max(0, i - 20) : i + 20]!r}"
    if len(expected) != len(got):
        shorter, longer = sorted((expected, got), key=len)
        what = "missing" if len(got) < len(expected) else "extra"
        return f"character {len(shorter) + 1}: {what} text {longer[len(shorter) : len(shorter) + 40]!r}"
    return "no difference"


def closest_block(article: Article, text: str) -> Block:
    """The canonical block sharing the longest common prefix (then suffix) with text."""

    def score(block: Block) -> tuple[int, int]:
        prefix = len(_common_prefix(block.text, text))
        suffix = len(_common_prefix(block.text[::-1], text[::-1]))
        return (max(prefix, suffix), prefix + suffix)

    return max(article.blocks, key=score)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return a[:n]


def compare_sequence(article: Article, found: list[tuple[str, str]]) -> list[str]:
    """Compare (place, text) blocks, in reading order, with the canonical blocks.

    Returns one message per problem: missing, duplicated, out of order or altered.
    """
    problems: list[str] = []
    by_text = {b.text: b for b in article.blocks}
    seen: dict[str, str] = {}
    order: list[tuple[str, Block]] = []
    for place, text in found:
        block = by_text.get(text)
        if block is None:
            near = closest_block(article, text)
            problems.append(
                f"{place}: text differs from the article's {near.key} "
                f"at {first_difference(near.text, text)}; restore the exact text from data/article.yml"
            )
            order.append((place, near))
            seen.setdefault(near.key, place)
            continue
        if block.key in seen:
            problems.append(f"{place}: {block.key} is duplicated (also at {seen[block.key]}); remove one copy")
            continue
        seen[block.key] = place
        order.append((place, block))
    for block in article.blocks:
        if block.key not in seen:
            problems.append(f"{block.key} is missing from every chapter: {block.text[:60]!r}\u2026")
    keys = [b.key for b in article.blocks]
    for (_, prev), (place, cur) in zip(order, order[1:]):
        if keys.index(cur.key) < keys.index(prev.key):
            problems.append(f"{place}: {cur.key} is out of order (it comes after {prev.key}); move it before {prev.key}")
    return problems


def import_received(source: Path, target: Path | None = None) -> Path:
    """Write data/article.yml from the article's text as received."""
    target = target or article_path()
    blocks = parse_received(source.read_text(encoding="utf-8"))
    # The addresses an editor recorded are kept: they are not in the text as received.
    kept = (yaml.safe_load(target.read_text(encoding="utf-8")) or {}) if target.is_file() else {}
    record = {
        "title": "The Close Relations between Putin and Zionism",
        "publisher": "International Workers League \u2013 Fourth International (IWL-FI)",
        "date": "2024-11-15",
        "url": kept.get("url"),
        "versions": kept.get("versions") or [],
        "note": (
            "Verbatim text of the article as received, split into paragraphs and the three "
            "section headings. Left out: the two date lines above the title and the web-page "
            "residue below the last paragraph. The endnote markers [1]-[13] are kept; the "
            "endnotes themselves were not in the text as received."
        ),
        "blocks": [{"kind": b.kind, "key": b.key, "text": b.text} for b in blocks],
    }
    target.write_text(
        yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=10_000), encoding="utf-8"
    )
    return target
