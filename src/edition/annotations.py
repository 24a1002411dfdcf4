"""Editorial annotations: one YAML file per claim under data/annotations/, validated and anchored."""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from . import markup, quotations
from .article import Article, Block, load_article
from .paths import data_dir, label as _label, repo_root
from .yamlfile import Problem, ProblemsFound, YamlDoc, read_yaml, schema_problems

SCHEMA = Path(__file__).with_name("annotation.schema.json")

# The verdict scale of the editorial standard, most to least accurate. The rating
# values are what ClaimReview publishes (higher = more accurate); badges and the
# methodology page use the same definitions.
VERDICTS = {
    "accurate": (5, "The evidence supports the statement as written."),
    "mostly accurate": (4, "Right in its point, loose in a detail that is not the point (when the wrong date or number is what the sentence asserts, the verdict is inaccurate or misleading)."),
    "misleading": (2, "Contains true elements but leaves out context that changes the impression."),
    "inaccurate": (1, "The evidence contradicts the statement."),
    "disputed": (3, "Credible sources disagree; the annotation shows both sides."),
    "unsupported": (None, "No evidence was found after a documented search; the annotation says what was searched."),
}
OPINION = ("opinion", "A characterisation or analysis by the author: labelled, not rated.")
NEEDS_TWO_SOURCES = {"inaccurate", "misleading"}
MAX_EXCERPT_WORDS = 80  # the standard asks for about 60; this leaves room for a sentence that runs on

# What `edition new`, the field guide and reader suggestions write for someone to replace. `edition check` refuses a
# file that still holds any of it (`edition check --drafts` lets it pass, for a draft pull request to finish).
PLACEHOLDER_SUMMARY = "One sentence: what the evidence shows."
PLACEHOLDER_EXPLANATION = "What the article says, what the evidence says, with dates and figures."
PLACEHOLDER_AUTHOR = "Your name"
PLACEHOLDERS = (
    PLACEHOLDER_SUMMARY, PLACEHOLDER_EXPLANATION, "One standalone sentence: what the evidence shows.",
    "the article's exact words", "Title of the page or document", "Who published it", "Who wrote it",
    "the source's own words", "your English rendering of them", "Reviewer's name", "What was checked.",
    "the editors' verdict is still to come", "the editors have not checked it yet",  # written by edition.suggestion
)

FIXES = {
    "id": "use lowercase letters, digits and hyphens, e.g. 'ussr-vote-1947', and name the file <id>.yml",
    "quote": "add 'quote:' with 'exact:' set to the article's words",
    "kind": "add 'kind: claim', 'kind: quotation' or 'kind: opinion'",
    "verdict": "add a verdict from the scale in the methodology, or 'opinion' for an opinion",
    "summary": "add a one-sentence summary of what the evidence shows",
    "explanation": "add an explanation of about 60-300 words",
    "sources": "add 'sources:' with title, publisher or author, date, url and consulted",
    "author": "add 'author:' with your name",
    "updated": "add 'updated:' with today's date as YYYY-MM-DD",
    "history": "add 'history:' with one entry (date, verdict, note: First published.)",
    "date": "write the date as YYYY-MM-DD (or YYYY-MM, YYYY; 'undated' for a source with no date)",
    "consulted": "write the date you read the source as YYYY-MM-DD",
    "url": "give the full address starting with https:// (or http://)",
    "title": "add the source's title",
    "text": "copy the passage verbatim, keeping only the sentences the note relies on (about 60 words; mark a cut with …)",
}


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    date: str
    consulted: str
    publisher: str = ""
    author: str = ""
    standpoint: str = ""
    excerpts: tuple[dict, ...] = ()  # each {text, language[, translation][, not_refound]}
    no_excerpt: str = ""  # why no passage is stored, where none is

    @property
    def credit(self) -> str:
        return ", ".join(x for x in (self.author, self.publisher) if x)

    @property
    def checked_excerpts(self) -> tuple[dict, ...]:
        """The passages found again in a copy of the source: what the note may show as checked."""
        return tuple(e for e in self.excerpts if refound(e))

    @property
    def unfound_excerpts(self) -> tuple[dict, ...]:
        """The passages a search of the stored copies did not find again (each with its not_refound date)."""
        return tuple(e for e in self.excerpts if not refound(e))


def refound(excerpt: dict) -> bool:
    """False for a passage marked not_refound: it is shown as unchecked and holds no quotation."""
    return not excerpt.get("not_refound")


@dataclass(frozen=True)
class ExcerptTally:
    stored: int  # every passage stored under a source
    not_refound: int  # those marked not_refound

    @property
    def refound(self) -> int:
        return self.stored - self.not_refound

    @property
    def rate(self) -> float:
        return self.refound / self.stored if self.stored else 1.0


def excerpt_tally(found: list[Annotation]) -> ExcerptTally:
    """How many stored passages there are, and how many of them were not found again."""
    every = [e for a in found for s in a.sources for e in s.excerpts]
    return ExcerptTally(stored=len(every), not_refound=sum(not refound(e) for e in every))


@dataclass(frozen=True)
class Annotation:
    id: str
    exact: str
    kind: str
    verdict: str
    summary: str
    explanation: str
    sources: tuple[Source, ...]
    author: str
    updated: str
    history: tuple[dict, ...]
    file: str
    prefix: str = ""
    suffix: str = ""
    datasets: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # names of checks in edition.evidence
    block_key: str = ""  # the paragraph it anchors in, e.g. "p2"
    start: int = 0  # offset of exact within that paragraph
    reviews: tuple[dict, ...] = ()  # each {by, date[, note]}: second readings
    unverified_quotations: tuple[dict, ...] = ()  # each {text, reason}
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def anchor(self) -> str:
        return f"claim-{self.id}"

    @property
    def rated(self) -> bool:
        return self.verdict != "opinion"

    @property
    def label(self) -> str:
        return verdict_label(self.verdict)

    @property
    def second_readings(self) -> tuple[dict, ...]:
        """The reviews by someone other than the author, oldest first."""
        return tuple(r for r in self.reviews if r.get("by", "").strip().casefold() != self.author.strip().casefold())

    @property
    def awaiting_review(self) -> bool:
        """True until someone other than the author has reviewed the note."""
        return not self.second_readings


def verdict_label(verdict: str) -> str:
    """A verdict (or 'opinion') as badges, notes and tests print it: "Mostly accurate", "Opinion"."""
    return verdict.capitalize()


def annotations_dir() -> Path:
    return data_dir() / "annotations"


def locate(article: Article, exact: str, prefix: str = "", suffix: str = "") -> list[tuple[Block, int]]:
    """Every place in the article where exact occurs with the given prefix and suffix."""
    hits = []
    for block in article.blocks:
        start = block.text.find(exact)
        while start != -1:
            before, after = block.text[:start], block.text[start + len(exact) :]
            if before.endswith(prefix) and after.startswith(suffix):
                hits.append((block, start))
            start = block.text.find(exact, start + 1)
    return hits


def closest_match(article: Article, exact: str) -> str:
    """The article's passage nearest to a quote that was not found, to show the contributor."""
    best, best_size = "", 0
    for block in article.blocks:
        matcher = difflib.SequenceMatcher(None, block.text, exact, autojunk=False)
        match = matcher.find_longest_match(0, len(block.text), 0, len(exact))
        if match.size > best_size:
            begin = max(0, match.a - match.b)
            best, best_size = block.text[begin : begin + len(exact)], match.size
    return best


def first_difference(passage: str, quote: str) -> int:
    """The index of the first character where passage and quote differ (their common length if one is a prefix)."""
    return next((i for i, (a, b) in enumerate(zip(passage, quote)) if a != b), min(len(passage), len(quote)))


def mismatch(article: Article, exact: str) -> str:
    """Where a quote that does not anchor parts from the article's closest passage, for the contributor to see:
    the passage with the first differing character between \u27e6 \u27e7, and the two characters named."""
    near = closest_match(article, exact)
    at = first_difference(near, exact)
    marked = f"{near[:at]}\u27e6{near[at:at + 1]}\u27e7{near[at + 1:]}" if at < len(near) else f"{near}\u27e6\u27e7"
    theirs = repr(near[at]) if at < len(near) else "the end of the passage"
    ours = repr(exact[at]) if at < len(exact) else "the end of the quote"
    return f"closest passage: \u201c{marked}\u201d; they differ at character {at + 1}: the article has {theirs}, the quote has {ours}"


def _problems(doc: YamlDoc, article: Article, datasets: set[str] | None, ready: bool = True) -> list[Problem]:
    problems = schema_problems(doc, SCHEMA, FIXES)
    data = doc.data if isinstance(doc.data, dict) else {}
    if not isinstance(doc.data, dict):
        return problems or [Problem(doc.label, 1, "", "the file must be a mapping of fields", "start from the example in 'Field guide' in CONTRIBUTING.md")]

    def add(path: tuple, message: str, fix: str = "") -> None:
        problems.append(Problem(doc.label, doc.line(path), ".".join(map(str, path)), message, fix))

    kind, verdict = data.get("kind"), data.get("verdict")
    if kind == "opinion" and verdict not in (None, "opinion"):
        add(("verdict",), f"an opinion gets no verdict, but this one has {verdict!r}", "set 'verdict: opinion'")
    if kind in ("claim", "quotation") and verdict == "opinion":
        add(("verdict",), f"a {kind} needs a verdict, not 'opinion'", "rate it, or set 'kind: opinion' if it is a characterisation")
    stem = doc.path.stem
    if isinstance(data.get("id"), str) and data["id"] != stem:
        add(("id",), f"id {data['id']!r} does not match the file name {stem}.yml", f"rename the file to {data['id']}.yml or set 'id: {stem}'")
    sources = data.get("sources") if isinstance(data.get("sources"), list) else []
    if verdict in NEEDS_TWO_SOURCES and len(sources) < 2:
        add(("sources",), f"a verdict of {verdict!r} needs at least two independent sources, found {len(sources)}", "add a second, independent source")
    if ready:
        _readiness_problems(doc, data, add, problems)
    _text_problems(data, add)
    _excerpt_problems(data, add)
    problems += _quotation_problems(doc, data, article)
    problems += _date_problems(doc, data)
    history = data.get("history") if isinstance(data.get("history"), list) else []
    if history and isinstance(history[-1], dict) and verdict and history[-1].get("verdict") != verdict:
        add(("history",), f"the last history entry says {history[-1].get('verdict')!r} but the verdict is {verdict!r}", "record the change: append a history entry with the new verdict, the date and why")
    for i, name in enumerate(data.get("datasets") or []):
        if datasets is not None and name not in datasets:
            add(("datasets", i), f"unknown dataset {name!r}", "use one of: " + ", ".join(sorted(datasets)))
    problems += _evidence_problems(doc, data)
    quote = data.get("quote") if isinstance(data.get("quote"), dict) else {}
    if isinstance(quote.get("exact"), str):
        problems += _anchor_problems(doc, article, quote)
    return problems


def _strings(value, path: tuple = ()):
    """(path, text) of every string in a parsed YAML value."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _strings(item, (*path, i))


def _readiness_problems(doc: YamlDoc, data: dict, add, doc_problems: list[Problem]) -> None:
    """What is not ready to publish: placeholders left in, a rated verdict without sources, the placeholder author."""
    for path, text in _strings(data):
        left = next((p for p in PLACEHOLDERS if p in text), None)
        if left and path[:1] != ("quote",):
            doc_problems.append(Problem(doc.label, doc.line_of_text(path, left), ".".join(map(str, path)), f"still holds the placeholder \u201c{left}\u201d",
                                        "replace it with your own text; see 'Field guide' in CONTRIBUTING.md"))
    if isinstance(data.get("author"), str) and data["author"].strip().casefold() == PLACEHOLDER_AUTHOR.casefold():
        add(("author",), f"the author is still the placeholder {PLACEHOLDER_AUTHOR!r}", "put your name (or the names of the editors who wrote it)")
    sources = data.get("sources")
    if data.get("verdict") in VERDICTS and isinstance(sources, list) and not sources:
        add(("sources",), f"a rated verdict ({data['verdict']!r}) needs at least one source", "add the source the verdict rests on (for 'unsupported': what the search found, "
            "e.g. the nearest evidence), or set 'kind: opinion' and 'verdict: opinion' if it is a characterisation")


def _evidence_problems(doc: YamlDoc, data: dict) -> list[Problem]:
    from .evidence import CHECKS

    names = data.get("evidence") if isinstance(data.get("evidence"), list) else []
    return [
        Problem(doc.label, doc.line(("evidence", i)), f"evidence.{i}", f"unknown evidence check {name!r}", "use one of: " + ", ".join(sorted(CHECKS)) + " (or add the check to src/edition/evidence.py)")
        for i, name in enumerate(names) if isinstance(name, str) and name not in CHECKS
    ]


def _text_problems(data: dict, add) -> None:
    for key in ("summary", "explanation"):
        if isinstance(data.get(key), str):
            for reason in markup.problems_in(data[key], inline_only=key == "summary"):
                add((key,), reason, "remove the markup; see 'Field guide' in CONTRIBUTING.md")
    for i, src in enumerate(data.get("sources") or []):
        if not isinstance(src, dict):
            continue
        for key in ("title", "publisher", "author", "standpoint"):
            if isinstance(src.get(key), str) and markup.problems_in(src[key]):
                add(("sources", i, key), "markup or HTML is not allowed in a source's fields", "write plain text")
        if isinstance(src.get("url"), str) and not markup.url_is_safe(src["url"]):
            add(("sources", i, "url"), f"{src['url']!r} is not an http(s) address", FIXES["url"])


def _excerpts(data: dict):
    """(source index, excerpt index, excerpt) for every well-formed excerpt."""
    for i, src in enumerate(data.get("sources") or []):
        for j, exc in enumerate(src.get("excerpts") or [] if isinstance(src, dict) else []):
            if isinstance(exc, dict):
                yield i, j, exc


def _excerpt_problems(data: dict, add) -> None:
    for i, j, exc in _excerpts(data):
        where = ("sources", i, "excerpts", j)
        for key in ("text", "translation"):
            for reason in markup.script_problems(exc[key]) if isinstance(exc.get(key), str) else []:
                add((*where, key), reason, "copy the passage's words only, as plain text")
        text, language = exc.get("text"), exc.get("language")
        if isinstance(text, str) and len(text.split()) > MAX_EXCERPT_WORDS:
            add((*where, "text"), f"the excerpt has {len(text.split())} words, more than {MAX_EXCERPT_WORDS}", FIXES["text"])
        if isinstance(language, str) and language.split("-")[0] != "en" and not exc.get("translation"):
            add((*where, "language"), f"an excerpt in {language!r} needs the editors' English translation", "add 'translation:' with your English rendering of the passage")
    if data.get("verdict") in VERDICTS:
        for i, src in enumerate(data.get("sources") or []):
            if isinstance(src, dict) and not src.get("excerpts") and not src.get("no_excerpt"):
                add(("sources", i), f"source {src.get('title', i)!r} stores no passage", "add 'excerpts:' with the passage the note relies on, verbatim (text, language), or 'no_excerpt:' saying why none is stored")


def _quotation_problems(doc: YamlDoc, data: dict, article: Article) -> list[Problem]:
    """Quotations the article or an excerpt does not hold, and stale unverified_quotations entries."""
    evidence = [b.text for b in article.blocks] + [e["text"] for _, _, e in _excerpts(data) if isinstance(e.get("text"), str) and refound(e)]
    found = [q for key in ("summary", "explanation") if isinstance(data.get(key), str) for q in quotations.quotations(key, data[key])]
    entries = [(i, u["text"]) for i, u in enumerate(data.get("unverified_quotations") or []) if isinstance(u, dict) and isinstance(u.get("text"), str)]
    explained = {quotations.entry_key(text) for _, text in entries}
    problems = []
    for q in found:
        if quotations.normalise(q.text) in explained or quotations.held_in(q.text, evidence):
            continue
        problems.append(Problem(
            doc.label, doc.line_of_text((q.field,), q.text), q.field,
            f"the quotation \u201c{q.text}\u201d is neither in the article nor in an excerpt of this note's sources found again in a copy",
            "add the passage that holds it to its source's 'excerpts:' (verbatim), or paraphrase without quotation marks; "
            "if it must stay unchecked, list it under 'unverified_quotations:' with the reason",
        ))
    quoted = {quotations.normalise(q.text): q for q in found}
    for i, text in entries:
        key, line, where = quotations.entry_key(text), doc.line(("unverified_quotations", i, "text")), f"unverified_quotations.{i}.text"
        if key not in quoted:
            problems.append(Problem(doc.label, line, where, f"\u201c{text}\u201d is not a quotation of the summary or explanation (any more)", "remove the stale entry, or copy the quotation exactly as the text has it"))
        elif quotations.held_in(quoted[key].text, evidence):
            problems.append(Problem(doc.label, line, where, f"\u201c{text}\u201d is held by the article or an excerpt, so it is verified", "remove the entry"))
    return problems


def _date_problems(doc: YamlDoc, data: dict) -> list[Problem]:
    found = []
    places = [(("updated",), data.get("updated"))]
    places += [(("sources", i, k), s.get(k)) for i, s in enumerate(data.get("sources") or []) if isinstance(s, dict) for k in ("date", "consulted")]
    places += [(("history", i, "date"), h.get("date")) for i, h in enumerate(data.get("history") or []) if isinstance(h, dict)]
    for path, value in places:
        if isinstance(value, str) and value != "undated" and _bad_calendar_date(value):
            found.append(Problem(doc.label, doc.line(path), ".".join(map(str, path)), f"{value!r} is not a real calendar date", FIXES["date"]))
    return found


def _bad_calendar_date(value: str) -> bool:
    parts = value.split("-")
    try:
        dt.date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return True
    return False


def _anchor_problems(doc: YamlDoc, article: Article, quote: dict) -> list[Problem]:
    exact, prefix, suffix = quote["exact"], quote.get("prefix", ""), quote.get("suffix", "")
    hits = locate(article, exact, prefix, suffix)
    line = doc.line(("quote", "exact"))
    if not hits:
        return [Problem(doc.label, line, "quote.exact", "the quote is not in the article; " + mismatch(article, exact), "copy the article's words exactly, including curly quotes and spelling")]
    if len(hits) > 1:
        where = ", ".join(b.key for b, _ in hits)
        return [Problem(doc.label, line, "quote.exact", f"the quote occurs {len(hits)} times (in {where})", "add 'prefix:' or 'suffix:' with the words just before or after it")]
    return []


def read(path: Path, article: Article | None = None, datasets: set[str] | None = None, ready: bool = True) -> Annotation:
    """Read and validate one annotation file; raise ProblemsFound with every problem.

    ready=False accepts a draft still to be finished (placeholders, no sources yet); everything else is checked.
    """
    article = article or load_article()
    doc = read_yaml(path, _label(path))
    problems = _problems(doc, article, datasets, ready)
    if problems:
        raise ProblemsFound(problems)
    data = doc.data
    quote = data["quote"]
    block, start = locate(article, quote["exact"], quote.get("prefix", ""), quote.get("suffix", ""))[0]
    return Annotation(
        id=data["id"], exact=quote["exact"], prefix=quote.get("prefix", ""), suffix=quote.get("suffix", ""),
        kind=data["kind"], verdict=data["verdict"], summary=data["summary"].strip(),
        explanation=data["explanation"].strip(), sources=tuple(Source(**{**s, "excerpts": tuple(s.get("excerpts") or ())}) for s in data["sources"]),
        author=data["author"], updated=data["updated"], history=tuple(data["history"]), file=doc.label,
        datasets=tuple(data.get("datasets") or ()), evidence=tuple(data.get("evidence") or ()), block_key=block.key, start=start,
        reviews=tuple(data.get("reviews") or ()), unverified_quotations=tuple(data.get("unverified_quotations") or ()),
    )


def load_all(folder: Path | None = None, article: Article | None = None, datasets: set[str] | None = None) -> list[Annotation]:
    """Every annotation, in article order; raise ProblemsFound listing the problems of all files."""
    found, problems = collect(folder, article, datasets)
    if problems:
        raise ProblemsFound(problems)
    return found


CACHE_VARIABLE = "EDITION_ANNOTATIONS_CACHE"  # a folder where collect() keeps its results; the book's build sets it
_CODE = Path(__file__).resolve().parent


def collect(folder: Path | None = None, article: Article | None = None, datasets: set[str] | None = None, ready: bool = True) -> tuple[list[Annotation], list[Problem]]:
    """The valid annotations in article order, and the problems of the others (nothing is dropped silently).

    When $EDITION_ANNOTATIONS_CACHE names a folder (the build sets it for itself and its notebooks),
    the result is kept there under a digest of everything it is computed from: the files, the article,
    the dataset names and the edition's code. The build and each of its notebooks then read the
    annotations once, not once each.
    """
    folder = folder or annotations_dir()
    article = article or load_article()
    cache = os.environ.get(CACHE_VARIABLE)
    if not cache:
        return _collect(folder, article, datasets, ready)
    digest = hashlib.sha256(repr((str(folder), str(repo_root()), article, sorted(datasets) if datasets is not None else None, ready)).encode())
    for path in [*sorted(_CODE.glob("*.py")), *sorted(_CODE.glob("*.json")), *sorted(folder.glob("*.yml"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    kept = Path(cache) / f"annotations-{digest.hexdigest()[:32]}.pickle"
    try:
        return pickle.loads(kept.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError):
        pass  # not kept yet (or removed meanwhile): read the files
    result = _collect(folder, article, datasets, ready)
    kept.parent.mkdir(parents=True, exist_ok=True)
    partial = kept.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pickle.dumps(result))
    partial.replace(kept)  # whole or not at all, even with notebooks writing side by side
    return result


def _collect(folder: Path, article: Article, datasets: set[str] | None, ready: bool) -> tuple[list[Annotation], list[Problem]]:
    found, problems = [], []
    for path in sorted(folder.glob("*.yml")):
        try:
            found.append(read(path, article, datasets, ready))
        except ProblemsFound as err:
            problems += err.problems
    cross = _cross_file_problems(found) + _duplicate_ids(folder)
    bad = {p.file for p in cross}
    order = {b.key: i for i, b in enumerate(article.blocks)}
    good = [a for a in found if a.file not in bad]
    return sorted(good, key=lambda a: (order[a.block_key], a.start)), problems + cross


def _duplicate_ids(folder: Path) -> list[Problem]:
    """Ids used by more than one file (read leniently, so a file with other problems still counts)."""
    seen: dict[str, str] = {}
    problems = []
    for path in sorted(folder.glob("*.yml")):
        try:
            doc = read_yaml(path, _label(path))
        except ProblemsFound:
            continue
        ident = doc.data.get("id") if isinstance(doc.data, dict) else None
        if isinstance(ident, str) and ident in seen:
            problems.append(Problem(doc.label, doc.line(("id",)), "id", f"duplicate id {ident!r}, also used by {seen[ident]}", "choose a different id: permalinks must be unique"))
        elif isinstance(ident, str):
            seen[ident] = doc.label
    return problems


def _exact_line(file: str) -> int:
    """The line of 'exact:' in an annotation file (by its label), for messages about the quote."""
    try:
        lines = (repo_root() / file).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1
    return next((i for i, line in enumerate(lines, start=1) if line.lstrip().startswith("exact:")), 1)


def _cross_file_problems(found: list[Annotation]) -> list[Problem]:
    problems = []
    spans = sorted(found, key=lambda a: (a.block_key, a.start))
    for a, b in zip(spans, spans[1:]):
        if a.block_key == b.block_key and b.start < a.start + len(a.exact):
            problems.append(Problem(b.file, _exact_line(b.file), "quote.exact", f"the quote overlaps the quote of {a.file}", "shorten one of the two quotes so they do not overlap"))
    return problems

