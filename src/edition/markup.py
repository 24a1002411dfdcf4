"""Contributor-written text: the small, safe subset of MyST markdown it may use.

Allowed: paragraphs, lists, *emphasis*, **strong**, `code` and [links](https://...).
Everything else (raw HTML, directives, roles, images, code blocks) is rejected by
`problems_in()`, and `to_nodes()` renders only the allowed constructs, so even
unvalidated text cannot put markup or script into the site.
"""

from __future__ import annotations

import functools
import html
import re

from docutils import nodes
from markdown_it import MarkdownIt

SAFE_SCHEMES = ("http", "https")
_TAG = re.compile(r"<\s*[A-Za-z!/?]")
_ROLE = re.compile(r"\{[A-Za-z][\w:.-]*\}`")
_DIRECTIVE = re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*\{", re.MULTILINE)
_IMAGE = re.compile(r"!\[[^\]]*\]\(")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_INLINE_OK = {"text", "softbreak", "em_open", "em_close", "strong_open", "strong_close", "code_inline", "link_open", "link_close"}
_BLOCKS = {
    "paragraph": nodes.paragraph,
    "bullet_list": nodes.bullet_list,
    "ordered_list": nodes.enumerated_list,
    "list_item": nodes.list_item,
}
_BLOCK_OK = {f"{name}_{end}" for name in _BLOCKS for end in ("open", "close")} | {"inline"}


@functools.lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # One parser for all texts: building it costs more than parsing a note.
    # html on so that raw HTML shows up as tokens we can reject; every link kept so we can judge its scheme.
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True
    return md


@functools.lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple:
    # A text is checked and later rendered, in a note and on its claim page: parsed once. Tokens are only read.
    return tuple(_parser().parse(text))


def url_is_safe(url: str) -> bool:
    """http(s) URLs and in-page fragments only; entity- and whitespace-obfuscated schemes are caught."""
    clean = _CONTROL.sub("", html.unescape(url)).lower()
    if clean.startswith("#"):
        return True
    match = _SCHEME.match(clean)
    return bool(match) and match.group(1) in SAFE_SCHEMES and clean.startswith(match.group(1) + "://")


def script_problems(text: str) -> list[str]:
    """What could carry markup or script into a page: refused even in text shown as plain text."""
    found = []
    if _TAG.search(text):
        found.append("raw HTML is not allowed (found a tag); write plain text and markdown links")
    elif _TAG.search(html.unescape(text)):
        found.append("HTML entities that decode to a tag are not allowed; write plain text")
    if _DIRECTIVE.search(text):
        found.append("MyST directives and code fences are not allowed in annotation text")
    if _IMAGE.search(text):
        found.append("images are not allowed in annotation text; link to the image instead")
    if _ROLE.search(text):
        found.append("MyST roles such as {raw}`...` are not allowed in annotation text")
    for token in _tokens(text):
        for child in token.children or []:
            if child.type == "link_open" and not url_is_safe(child.attrGet("href") or ""):
                found.append(f"link target {child.attrGet('href')!r} is not allowed; links must start with https:// or http://")
    return found


def problems_in(text: str, *, inline_only: bool = False) -> list[str]:
    """What in text is not allowed, each with the reason (empty when the text is fine)."""
    found = script_problems(text)
    for token in _tokens(text):
        if token.type not in _BLOCK_OK:
            found.append(f"block element '{token.type.removesuffix('_open')}' is not allowed; use paragraphs and lists")
        for child in token.children or []:
            if child.type not in _INLINE_OK:
                found.append(f"'{child.type}' is not allowed; only *emphasis*, **strong**, `code` and links")
    if inline_only and text.count("\n\n"):
        found.append("a single paragraph is expected here")
    return list(dict.fromkeys(found))


def to_nodes(text: str) -> list[nodes.Element]:
    """Render the safe subset as docutils nodes; anything else becomes plain text."""
    root = nodes.container()
    stack: list[nodes.Element] = [root]
    for token in _tokens(text):
        name = token.type.rsplit("_", 1)[0]
        if token.type.endswith("_open") and name in _BLOCKS:
            stack.append(_BLOCKS[name]())
        elif token.type.endswith("_close") and name in _BLOCKS and len(stack) > 1:
            child = stack.pop()
            stack[-1] += child
        elif token.type == "inline":
            target = stack[-1] if isinstance(stack[-1], nodes.paragraph) else nodes.paragraph()
            _inline(token.children or [], target)
            if target is not stack[-1]:
                stack[-1] += target
        elif token.content:
            stack[-1] += nodes.paragraph(text=token.content)
    return list(root.children)


def _inline(tokens, parent: nodes.Element) -> None:
    stack = [parent]
    for tok in tokens:
        top = stack[-1]
        if tok.type == "text":
            top += nodes.Text(tok.content)
        elif tok.type == "softbreak":
            top += nodes.Text(" ")
        elif tok.type == "code_inline":
            top += nodes.literal(text=tok.content)
        elif tok.type in ("em_open", "strong_open"):
            stack.append(nodes.emphasis() if tok.type == "em_open" else nodes.strong())
        elif tok.type == "link_open":
            href = tok.attrGet("href") or ""
            stack.append(nodes.reference(refuri=href) if url_is_safe(href) else nodes.inline())
        elif tok.type in ("em_close", "strong_close", "link_close") and len(stack) > 1:
            child = stack.pop()
            stack[-1] += child
        else:
            top += nodes.Text(tok.content)
    while len(stack) > 1:
        child = stack.pop()
        stack[-1] += child
