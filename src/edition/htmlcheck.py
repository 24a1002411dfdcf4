"""Check the article's text as the reader gets it: in the built HTML, not only in the sources."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bs4 import BeautifulSoup

from .article import Article, compare_sequence


def page_blocks(html: str, with_title: bool) -> list[str]:
    """The article's heading (if the chapter has one) and paragraphs, as rendered text."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    texts = []
    if with_title:
        h1 = main.find("h1")
        if h1 is not None:
            for link in h1.select("a.headerlink"):
                link.decompose()
            texts.append(h1.get_text())
    texts += [p.get_text() for p in main.select("p.article-text")]
    return texts


def check_site(outdir: Path, article: Article, order: list[str], blocks: dict[str, list], memo: dict | None = None) -> list[str]:
    """Compare every chapter page, in reading order, with the canonical text.

    `memo` maps a page's SHA-256 to the texts read from it by an earlier check, so a page a
    rebuild did not rewrite is not parsed again; afterwards it holds the pages checked now.
    """
    memo = {} if memo is None else memo
    earlier = dict(memo)
    memo.clear()
    found: list[tuple[str, str]] = []
    for doc in order:
        if doc not in blocks:
            continue
        path = outdir / f"{doc}.html"
        if not path.is_file():
            continue
        with_title = any(place.endswith(": title") for place, _ in blocks[doc])
        html = path.read_bytes()
        key = f"{hashlib.sha256(html).hexdigest()}:{with_title}"
        texts = memo[key] = earlier[key] if key in earlier else page_blocks(html.decode("utf-8"), with_title)
        labels = ([f"{doc}.html: title"] if with_title else []) + [f"{doc}.html: paragraph {n}" for n in range(1, len(texts) + 1)]
        found += list(zip(labels, texts))
    return compare_sequence(article, found)
