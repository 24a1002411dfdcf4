"""A new annotation file from a quote of the article: shared by `edition new` and by reader suggestions.

The quote is anchored first (a file whose quote does not anchor is never written), with the
shortest prefix/suffix that makes it unique, and the file is listed in the claim inventory.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from . import annotations, inventory
from .article import Article
from .yamlfile import _Loader


class AnchorError(ValueError):
    """The quote does not anchor in the article; message and fix say what to do."""

    def __init__(self, message: str, fix: str):
        self.message, self.fix = message, fix
        super().__init__(f"{message}. Fix: {fix}")


@dataclass(frozen=True)
class Anchor:
    block_key: str
    start: int
    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True)
class Draft:
    id: str
    anchor: Anchor
    kind: str
    summary: str
    explanation: str
    author: str
    today: str
    note: str = "First published."

    @property
    def verdict(self) -> str:
        # A draft is not rated yet: 'unsupported' until the editors have read the sources.
        return "opinion" if self.kind == "opinion" else "unsupported"


def anchor(article: Article, exact: str, prefix: str = "", suffix: str = "", loose: bool = False) -> Anchor:
    """Where exact sits in the article, with the shortest whole-word context that makes it unique.

    loose: compare prefix and suffix ignoring whitespace where they meet the quote (issue forms trim it).
    """
    if loose:
        hits = [(b, s) for b, s in annotations.locate(article, exact)
                if b.text[:s].rstrip().endswith(prefix.strip()) and b.text[s + len(exact):].lstrip().startswith(suffix.strip())]
    else:
        hits = annotations.locate(article, exact, prefix, suffix)
    if not hits:
        raise AnchorError(f"the quote is not in the article; {annotations.mismatch(article, exact)}",
                          "copy the article's words exactly (curly quotes and spelling included), within one paragraph")
    if len(hits) > 1:
        where = ", ".join(b.key for b, _ in hits)
        raise AnchorError(f"the quote occurs {len(hits)} times (in {where})", "use a longer quote, or give the words just before or after it")
    block, start = hits[0]
    before, after = block.text[:start], block.text[start + len(exact):]
    for n in range(0, max(len(before), len(after)) + 1):
        pre_n = before[max(0, len(before) - n):]
        for pre, suf in ((pre_n, ""), ("", after[:n]), (pre_n, after[:n])):
            if len(annotations.locate(article, exact, pre, suf)) == 1:
                return Anchor(block.key, start, exact, _whole_words_before(before, pre), _whole_words_after(after, suf))
    raise AnchorError(f"the words cannot be told apart from another passage of {block.key}", "choose a longer passage")


def _whole_words_before(before: str, pre: str) -> str:
    # Widen the context to the start of its first word, so a reader can see what it is.
    if not pre:
        return ""
    at = len(before) - len(pre)
    while at > 0 and not before[at - 1].isspace():
        at -= 1
    return before[at:]


def _whole_words_after(after: str, suf: str) -> str:
    if not suf:
        return ""
    end = len(suf)
    while end < len(after) and not after[end].isspace():
        end += 1
    return after[:end]


def slug(words: str, limit: int = 40) -> str:
    """Lowercase-hyphenated id material from the first words of a quote (ASCII letters and digits only)."""
    out = ""
    for word in re.findall(r"[a-z0-9]+", words.lower()):
        if len(out) + len(word) + 1 > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def _scalar(text: str, indent: str) -> str:
    """A YAML literal block for readable multi-line text, or a JSON string where a block could not hold it."""
    lines = text.split("\n")
    plain = all(line.isprintable() for line in lines) and not lines[0].startswith(" ") and all(line == line.rstrip() for line in lines)
    if not plain:
        return json.dumps(text)
    return "|\n" + "\n".join(f"{indent}{line}" if line else "" for line in lines)


def render(draft: Draft, sources_note: str = "") -> str:
    """The annotation file's text; parsed back and compared, so odd input can never yield another value."""
    a = draft.anchor
    quote = f"  exact: {json.dumps(a.exact, ensure_ascii=False)}\n"
    quote += f"  prefix: {json.dumps(a.prefix, ensure_ascii=False)}\n" if a.prefix else ""
    quote += f"  suffix: {json.dumps(a.suffix, ensure_ascii=False)}\n" if a.suffix else ""
    note = sources_note or "cite each source you read here"
    text = (
        "# Annotation of one passage of the article. Field guide: CONTRIBUTING.md.\n"
        f"id: {draft.id}\n"
        f"quote:\n{quote}"
        f"kind: {draft.kind}            # claim | quotation | opinion\n"
        f"verdict: {draft.verdict}   # accurate | mostly accurate | misleading | inaccurate | disputed | unsupported | opinion\n"
        f"summary: {json.dumps(draft.summary, ensure_ascii=False)}\n"
        f"explanation: {_scalar(draft.explanation, '  ')}\n"
        f"sources: []  # {note}\n"
        "#  - title: \"Title of the page or document\"\n"
        "#    publisher: \"Who published it\"\n"
        "#    date: \"YYYY-MM-DD\"\n"
        "#    url: \"https://...\"\n"
        f"#    consulted: \"{draft.today}\"\n"
        "#    excerpts:           # the passage the note relies on, verbatim (or no_excerpt: \"why none\")\n"
        "#      - text: \"the source's own words\"\n"
        "#        language: en    # not English? add translation: \"the editors' English\"\n"
        f"author: {json.dumps(draft.author, ensure_ascii=False)}\n"
        f"updated: \"{draft.today}\"\n"
        "history:\n"
        f"  - date: \"{draft.today}\"\n"
        f"    verdict: {draft.verdict}\n"
        f"    note: {json.dumps(draft.note, ensure_ascii=False)}\n"
    )
    back = yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    expected = {"id": draft.id, "exact": a.exact, "prefix": a.prefix or None, "suffix": a.suffix or None,
                "explanation": draft.explanation.strip(), "summary": draft.summary, "author": draft.author}
    found = {"id": back["id"], "exact": back["quote"]["exact"], "prefix": back["quote"].get("prefix"), "suffix": back["quote"].get("suffix"),
             "explanation": back["explanation"].strip(), "summary": back["summary"], "author": back["author"]}
    if found != expected:
        raise ValueError(f"the annotation file for {draft.id} would not read back as written")
    return text


def write(draft: Draft, folder: Path | None = None, inventory_file: Path | None = None, sources_note: str = "") -> Path:
    """Write data/annotations/<id>.yml and list it in the claim inventory; refuse to overwrite a file."""
    path = (folder or annotations.annotations_dir()) / f"{draft.id}.yml"
    if path.exists():
        raise FileExistsError(f"{path} already exists; choose another id")
    path.write_text(render(draft, sources_note), encoding="utf-8")
    inventory.add_item(draft.anchor.block_key, draft.id, draft.kind, inventory_file)
    return path
