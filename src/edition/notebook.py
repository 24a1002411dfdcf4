"""The editors' notes inside a chapter run as a notebook (Binder, JupyterLab, VS Code).

A hidden cell after each article paragraph calls `notes("p6")`. The notes are read at
run time from data/annotations/, through the same validator as the website, so a new
annotation appears in the notebook without editing the chapter. The HTML build removes
these cells (tag `remove-cell`): on the website the extension shows each note once.

Rendering uses the site's allow-list (`markup.to_nodes`): paragraphs, lists, emphasis,
strong, code and http(s) links become markup; every other character is escaped. Styles
are inline because a notebook has none of the site's CSS.
"""

from __future__ import annotations

import html
import re

from docutils import nodes

from . import claims, markup
from .annotations import Annotation, locate
from .article import load_article
from .paths import repo_root
from .yamlfile import Problem, read_yaml

# The site's light-theme badge colours (edition.css); white text on each passes WCAG AA.
COLOURS = {
    "accurate": "#1a7f37", "mostly accurate": "#3f6212", "misleading": "#92400e", "inaccurate": "#b91c1c",
    "disputed": "#6d28d9", "unsupported": "#4b5563", "opinion": "#1d4ed8",
}
_TAGS = {nodes.paragraph: "p", nodes.bullet_list: "ul", nodes.enumerated_list: "ol", nodes.list_item: "li",
         nodes.emphasis: "em", nodes.strong: "strong", nodes.literal: "code"}
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
e = html.escape


class Notes:
    """One paragraph's notes as rich output: HTML for notebooks, plain text for everything else."""

    def __init__(self, anns: list[Annotation], notices: list[str]):
        self.annotations, self.notices = anns, notices

    def _repr_html_(self) -> str:
        notices = "".join(f'<p class="edition-notice" style="margin:.3em 0;font-style:italic">{e(n)}</p>' for n in self.notices)
        return f'<div class="edition-notes">{notices}{"".join(note_html(a) for a in self.annotations)}</div>'

    def __repr__(self) -> str:
        return "\n\n".join([*self.notices, *(note_text(a) for a in self.annotations)])


def notes(key: str) -> Notes | None:
    """The notes on one article block (p1, p2... or h1...); None, which shows nothing, if it has none."""
    article = load_article()
    keys = [b.key for b in article.blocks]
    if key not in keys:
        raise KeyError(f"notes({key!r}): there is no block {key!r} in data/article.yml; use one of {', '.join(keys)}")
    found, problems = claims.collected()
    anns = [a for a in found if a.block_key == key]
    notices = [_notice(probs) for file, probs in _problems_by_file(problems).items() if _shown_at(file, key)]
    return Notes(anns, notices) if anns or notices else None


def _problems_by_file(problems: list[Problem]) -> dict[str, list[Problem]]:
    grouped: dict[str, list[Problem]] = {}
    for p in problems:
        grouped.setdefault(p.file, []).append(p)
    return grouped


def _notice(problems: list[Problem]) -> str:
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"A note could not be shown: {str(problems[0]).rstrip('.')}{more}. Run `edition check` to see every problem."


def _shown_at(file: str, key: str) -> bool:
    """A broken note is reported at its quote's paragraph, or at each chapter's first block if that is unknown."""
    anchored = _anchor_of(file)
    if anchored:
        return anchored == key
    first = {}
    for block_key, place in claims.places().items():
        first.setdefault(place.page, block_key)
    return key in first.values()


def _anchor_of(file: str) -> str:
    try:
        quote = read_yaml(repo_root() / file, file).data["quote"]
        hits = {b.key for b, _ in locate(load_article(), quote["exact"], quote.get("prefix", ""), quote.get("suffix", ""))}
    except Exception:  # unreadable or unanchored: any failure here only means "place unknown"
        return ""
    return hits.pop() if len(hits) == 1 else ""


# ------------------------------------------------------------------ HTML


def to_html(text: str, inline: bool = False) -> str:
    """Contributed markdown as HTML, through the site's allow-list renderer."""
    parts = markup.to_nodes(text)
    if inline and len(parts) == 1 and isinstance(parts[0], nodes.paragraph):
        return "".join(_node_html(c) for c in parts[0].children)
    return "".join(_node_html(n) for n in parts)


def _node_html(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return e(str(node))
    inner = "".join(_node_html(c) for c in node.children)
    if isinstance(node, nodes.reference):
        return _link(node.get("refuri", ""), inner)
    tag = _TAGS.get(type(node))
    return f"<{tag}>{inner}</{tag}>" if tag else inner


def _link(url: str, inner_html: str) -> str:
    if not markup.url_is_safe(url):
        return inner_html
    return f'<a href="{e(url)}" target="_blank" rel="noopener noreferrer">{inner_html}</a>'


def badge_html(verdict: str, label: str) -> str:
    colour = COLOURS.get(verdict, "#4b5563")
    return (f'<span class="verdict-badge" data-verdict="{e(verdict)}" style="display:inline-block;background:{colour};color:#fff;'
            f'border-radius:.7em;padding:.05em .55em;font-weight:700;font-size:.85em">{e(label)}</span>')


def note_html(ann: Annotation) -> str:
    colour = COLOURS.get(ann.verdict, "#4b5563")
    kind = f" {e(ann.kind.capitalize())}" if ann.rated else ""
    head = (f'<p style="margin:0 0 .3em">{badge_html(ann.verdict, ann.label)}{kind} \u00b7 '
            f'{_link(claims.permalink(ann), "On the website")}</p>')
    words = f'<p class="edition-note-quote" style="margin:0 0 .3em;font-style:italic">\u201c{e(ann.exact)}\u201d</p>'
    summary = f'<p class="edition-note-summary" style="margin:0 0 .3em">{to_html(ann.summary, inline=True)}</p>'
    details = (
        '<details><summary style="cursor:pointer">Explanation and sources</summary>'
        f"{to_html(ann.explanation)}{_sources_html(ann)}{_datasets_html(ann)}"
        f'<p style="font-size:.9em">{e(_meta(ann))}</p></details>'
    )
    return (f'<section class="edition-note" data-claim="{e(ann.id)}" style="border-left:4px solid {colour};'
            f'padding:.3em .8em;margin:.6em 0">{head}{words}{summary}{details}</section>')


def _sources_html(ann: Annotation) -> str:
    if not ann.sources:
        return "<p><strong>Sources:</strong> none found (see above).</p>"
    items = []
    for s in ann.sources:
        standpoint = f" <em>{e(s.standpoint)}.</em>" if s.standpoint else ""
        items.append(f"<li>{_link(s.url, e(s.title))}. {e(_credit(s))}. Consulted {e(s.consulted)}.{standpoint}{_excerpts_html(s)}</li>")
    return f"<p><strong>Sources</strong></p><ul>{''.join(items)}</ul>"


def _excerpts_html(source) -> str:
    def quote(x) -> str:
        language = str(x.get("language", ""))
        lang = f' lang="{e(language)}"' if _LANGUAGE.match(language) else ""
        translation = f"<br>Translation: {e(str(x['translation']))}" if x.get("translation") else ""
        return f'<blockquote style="margin:.2em 0 .2em 1em"><span{lang}>{e(str(x.get("text", "")))}</span>{translation}</blockquote>'

    shown = f'<div><em>What the source says:</em>{"".join(quote(x) for x in source.checked_excerpts)}</div>' if source.checked_excerpts else ""
    for x in source.unfound_excerpts:
        shown += f'<div><em>Passage not re-found on {e(str(x["not_refound"]))}:</em>{quote(x)}</div>'
    return shown


def _datasets_html(ann: Annotation) -> str:
    if not ann.datasets:
        return ""
    return "<p>Data: " + ", ".join(f"<code>{e(d)}</code>" for d in ann.datasets) + "</p>"


# ------------------------------------------------------------------ plain text


def note_text(ann: Annotation) -> str:
    kind = f" {ann.kind}" if ann.rated else ""
    lines = [f"[{ann.label}]{kind}: \u201c{ann.exact}\u201d", f"  {_plain(ann.summary)}", "", *_indent(_plain(ann.explanation))]
    lines += ["", "  Sources:" if ann.sources else "  Sources: none found (see above)."]
    for s in ann.sources:
        lines.append(f"  - {s.title}. {_credit(s)}. Consulted {s.consulted}. {s.url}" + (f" ({s.standpoint})" if s.standpoint else ""))
        for x in s.excerpts:
            unfound = f" (passage not re-found on {x['not_refound']})" if x.get("not_refound") else ""
            lines.append(f"      \u201c{x.get('text', '')}\u201d" + (f" (translation: {x['translation']})" if x.get("translation") else "") + unfound)
    if ann.datasets:
        lines.append(f"  Data: {', '.join(ann.datasets)}")
    lines += [f"  {_meta(ann)}", f"  On the website: {claims.permalink(ann)}"]
    return "\n".join(lines)


def _plain(text: str) -> str:
    return "\n\n".join(_node_text(n).strip() for n in markup.to_nodes(text))


def _node_text(node: nodes.Node) -> str:
    if isinstance(node, nodes.Text):
        return str(node)
    inner = "".join(_node_text(c) for c in node.children)
    if isinstance(node, nodes.reference) and markup.url_is_safe(node.get("refuri", "")):
        return f"{inner} <{node['refuri']}>"
    if isinstance(node, nodes.list_item):
        return f"- {inner.strip()}\n"
    return inner


def _indent(text: str) -> list[str]:
    return [f"  {line}" if line else "" for line in text.splitlines()]


def _credit(source) -> str:
    return ", ".join(x for x in (source.credit, source.date) if x)


def _meta(ann: Annotation) -> str:
    history = ""
    if len(ann.history) > 1:
        history = " Verdict history: " + "; ".join(f"{h['date']} {h['verdict']}" for h in ann.history) + "."
    return f"By {ann.author}. Last updated {ann.updated}.{history}"
