"""Execution keyed to its inputs: a page's notebook runs again when, and only when, the notes it shows, the datasets or the code change."""

from __future__ import annotations

from types import SimpleNamespace

from edition.sphinxext import prerun
from edition.sphinxext.prerun import key_execution_to_inputs

CHAPTER = '# A chapter\n\n```{code-cell} ipython3\nnotes("p1")\n```\n\n```{code-cell} ipython3\nnotes("p2")\n```\n'
SUMMARY = "---\nedition:\n  uses_annotations: true\n---\n\n# Summary\n\n```{code-cell} ipython3\nprint(1)\n```\n"


def _app(tmp_path, placed: dict[str, str]):
    folder = tmp_path / "data" / "annotations"
    folder.mkdir(parents=True, exist_ok=True)
    (tmp_path / "data" / "datasets").mkdir(exist_ok=True)
    (tmp_path / "data" / "datasets" / "votes.csv").write_text("year,votes\n1947,33\n")
    (tmp_path / "data" / "article.yml").write_text("blocks: []\n")
    for name in placed:
        if not (folder / f"{name}.yml").exists():
            (folder / f"{name}.yml").write_text(f"id: {name}\n")
    anns = [SimpleNamespace(file=f"data/annotations/{name}.yml", block_key=key) for name, key in placed.items()]
    store = SimpleNamespace(root=tmp_path, article_file=tmp_path / "data" / "article.yml", annotations_folder=folder,
                            datasets_folder=tmp_path / "data" / "datasets", annotations=anns)
    return SimpleNamespace(edition=store)


def _keyed(app, text: str) -> str:
    source = [text]
    key_execution_to_inputs(app, "doc", source)
    return source[0]


def test_a_chapter_is_not_run_again_for_a_changed_note(tmp_path):
    """Its notes("pN") cells' outputs in the downloadable notebook are made at the end of the build (downloads.py),
    and the site shows notes through the extension: a changed note re-runs no chapter."""
    app = _app(tmp_path, {"mine": "p1", "other": "p7"})
    before = _keyed(app, CHAPTER)
    assert before.startswith(CHAPTER.rstrip("\n")) and ":tags: [remove-cell]" in before.split(CHAPTER.rstrip("\n"))[1]
    (tmp_path / "data" / "annotations" / "mine.yml").write_text("id: mine\nsummary: changed\n")
    assert _keyed(app, CHAPTER) == before


def test_a_page_that_uses_annotations_is_keyed_to_every_file(tmp_path):
    app = _app(tmp_path, {"mine": "p1", "other": "p7"})
    before = _keyed(app, SUMMARY)
    assert before != SUMMARY
    (tmp_path / "data" / "annotations" / "other.yml").write_text("id: other\nsummary: changed\n")
    assert _keyed(app, SUMMARY) != before


def test_a_notebook_is_keyed_to_the_datasets_it_names_and_the_code(tmp_path, monkeypatch):
    app = _app(tmp_path, {"mine": "p1"})
    (tmp_path / "data" / "datasets" / "trade.csv").write_text("year,value\n2020,1\n")
    votes = '# Data\n\n```{code-cell} ipython3\nframe = load("votes")\n```\n'
    computed = '# Data\n\n```{code-cell} ipython3\nframes = [load(name) for name in available()]\n```\n'
    chapter, page, every = _keyed(app, CHAPTER), _keyed(app, votes), _keyed(app, computed)
    (tmp_path / "data" / "datasets" / "trade.csv").write_text("year,value\n2020,2\n")
    assert _keyed(app, votes) == page and _keyed(app, CHAPTER) == chapter  # a dataset they do not load: served from the cache
    assert _keyed(app, computed) != every  # a name computed at run time: every dataset counts
    every = _keyed(app, computed)
    (tmp_path / "data" / "datasets" / "votes.csv").write_text("year,votes\n1947,32\n")
    assert _keyed(app, votes) != page and _keyed(app, computed) != every  # the dataset it loads changed: runs again
    assert _keyed(app, CHAPTER) == chapter
    chapter, page = _keyed(app, CHAPTER), _keyed(app, votes)
    package = tmp_path / "package"
    package.mkdir()
    (package / "figures.py").write_text("STYLE = 1\n")
    monkeypatch.setattr(prerun, "PACKAGE", package)
    assert _keyed(app, CHAPTER) != chapter and _keyed(app, votes) != page  # changed drawing code re-runs every notebook


def test_pages_without_code_are_left_as_they_are(tmp_path):
    plain = "# Methodology\n\nNo code here.\n"
    assert _keyed(_app(tmp_path, {"mine": "p1"}), plain) == plain


def test_the_html_check_reparses_only_pages_whose_bytes_changed(tmp_path, monkeypatch):
    from edition import htmlcheck
    from edition.article import load_article

    article, calls, parse = load_article(), [], htmlcheck.page_blocks
    monkeypatch.setattr(htmlcheck, "page_blocks", lambda html, title: calls.append(1) or parse(html, title))
    page, blocks, memo = tmp_path / "ch.html", {"ch": [("ch: paragraph 1", None)]}, {}
    page.write_text("<main><p class='article-text'>Not the article.</p></main>")
    first = htmlcheck.check_site(tmp_path, article, ["ch"], blocks, memo)
    assert first and htmlcheck.check_site(tmp_path, article, ["ch"], blocks, memo) == first  # same report from the memo
    assert len(calls) == 1
    page.write_text(f"<main><p class='article-text'>{article.blocks[0].text}</p></main>")
    assert htmlcheck.check_site(tmp_path, article, ["ch"], blocks, memo) != first  # a rewritten page is read again
    assert len(calls) == 2 and len(memo) == 1


def test_dataset_page_charts_are_drawn_in_another_process_and_their_pages_read_last(root):
    from edition import charts, datasets
    from edition.sphinxext.datapage import start_dataset_charts, stop_dataset_charts

    folder = root / "data" / "datasets"
    app = SimpleNamespace(edition=SimpleNamespace(datasets_folder=folder, manifests=dict.fromkeys(datasets.available(folder))))
    docnames = ["book/about", "book/datasets/aliyah_by_year", "book/01-from-1947-to-putin", "book/datasets/unga_181_roll_call", "book/datasets/index"]
    start_dataset_charts(app, None, docnames)
    assert docnames == ["book/about", "book/01-from-1947-to-putin", "book/datasets/index", "book/datasets/aliyah_by_year", "book/datasets/unga_181_roll_call"]
    for name in ("unga_181_roll_call", "aliyah_by_year"):  # in any order
        here = charts.CHARTS[name](datasets.current_rows(datasets.load_record(name, folder))).markup
        assert app.edition_dataset_charts.markup(name) == here  # the same figure, byte for byte, as drawn in the build's own process
    assert app.edition_dataset_charts.markup("aliyah_by_year") is None  # given once; asked again, the page would draw it itself
    stop_dataset_charts(app, None)


def test_a_notebook_runs_again_when_the_website_moves(tmp_path, monkeypatch):
    """Figures and notes in a notebook's outputs link to the website's address: a new address, new outputs."""
    app = _app(tmp_path, {"mine": "p1"})
    monkeypatch.setenv("EDITION_SITE", "https://one.example.org/edition/")
    before = _keyed(app, CHAPTER)
    monkeypatch.setenv("EDITION_SITE", "https://two.example.org/edition/")
    assert _keyed(app, CHAPTER) != before


def test_a_dataset_page_shows_the_figure_its_chapter_drew_in_this_build():
    from docutils import nodes

    from edition.sphinxext.datapage import _chart_drawn_elsewhere, keep_chapter_figures

    figure = '<figure class="edition-figure" id="fig-unga-181" data-dataset="unga_181_roll_call"><svg></svg></figure>'
    doctree = nodes.document(None, None)
    doctree += [nodes.raw("", "<p>not a figure</p>", format="html"), nodes.raw("", "\n" + figure, format="html")]
    app = SimpleNamespace()
    assert _chart_drawn_elsewhere(app, "unga_181_roll_call") is None  # nothing drawn yet: the page draws it itself
    keep_chapter_figures(app, doctree)
    assert _chart_drawn_elsewhere(app, "unga_181_roll_call") == "\n" + figure
    assert _chart_drawn_elsewhere(app, "aliyah_by_year") is None


def test_a_load_named_in_a_comment_without_arguments_is_not_a_computed_name(tmp_path):
    """`load()` in a comment or prose names no dataset; only a call with an argument that is not a plain string does."""
    app = _app(tmp_path, {"mine": "p1"})
    (tmp_path / "data" / "datasets" / "trade.csv").write_text("year,value\n2020,1\n")
    text = '# Data\n\nSee load() below.\n\n```{code-cell} ipython3\nframe = load("votes")  # load() returns the current rows\n```\n'
    assert [path.name for path in prerun.datasets_named(app.edition, text)] == ["votes.csv"]
    page = _keyed(app, text)
    (tmp_path / "data" / "datasets" / "trade.csv").write_text("year,value\n2020,2\n")
    assert _keyed(app, text) == page  # a dataset it does not load changed: served from the cache


def test_which_datasets_have_a_chart_is_known_without_loading_matplotlib(root):
    """datapage.charted() reads charts.CHARTS from its source; a page whose dataset has no chart draws nothing
    and starts no chart process."""
    import subprocess
    import sys

    from edition import charts, datasets
    from edition.sphinxext.datapage import charted, start_dataset_charts

    assert charted() == frozenset(charts.CHARTS)
    code = ("import sys; from edition.sphinxext.datapage import charted, _chart_here; "
            "assert 'lieberman_posts' not in charted() and _chart_here('lieberman_posts', None) == ''; "
            "print('matplotlib' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr
    folder = root / "data" / "datasets"
    app = SimpleNamespace(edition=SimpleNamespace(datasets_folder=folder, manifests=dict.fromkeys(datasets.available(folder))))
    uncharted = sorted(set(datasets.available(folder)) - charted())
    assert len(uncharted) > 1
    start_dataset_charts(app, None, [f"book/datasets/{name}" for name in uncharted])
    assert getattr(app, "edition_dataset_charts", None) is None


def test_dataset_pages_are_read_after_the_last_notebook_that_loads_their_data(root, tmp_path):
    """...and before the notebooks that load none (summary, explore), which then still run while they are read."""
    from edition import datasets
    from edition.sphinxext.datapage import start_dataset_charts

    folder = root / "data" / "datasets"
    texts = {"book/about": "# About\n", "book/ch1": '```{code-cell} ipython3\nunga_vote(load("unga_181_roll_call"))\n```\n',
             "book/ch2": '```{code-cell} ipython3\naliyah(load("aliyah_by_year"))\n```\n',
             "book/summary": "```{code-cell} ipython3\nverdict_chart(load_all())\n```\n"}
    for doc, text in texts.items():
        (tmp_path / f"{doc.split('/')[1]}.md").write_text(text)
    env = SimpleNamespace(doc2path=lambda doc: str(tmp_path / f"{doc.split('/')[1]}.md"))
    app = SimpleNamespace(edition=SimpleNamespace(datasets_folder=folder, manifests=dict.fromkeys(datasets.available(folder))))
    docnames = ["book/datasets/aliyah_by_year", "book/about", "book/ch1", "book/datasets/unga_181_roll_call", "book/ch2", "book/summary"]
    start_dataset_charts(app, env, docnames)
    assert docnames == ["book/about", "book/ch1", "book/ch2", "book/datasets/aliyah_by_year", "book/datasets/unga_181_roll_call", "book/summary"]
    assert getattr(app, "edition_dataset_charts", None) is None  # both charts come from the chapters
