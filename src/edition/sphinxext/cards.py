"""Share cards: a 1200×630 PNG per claim (and per chapter), drawn with matplotlib at build time.

One figure is drawn on and cleared for every card (Agg, 100 dpi), and a card is drawn only when
its inputs change: each is cached under the build's doctrees folder by a hash of what it shows.
All text is drawn as plain text (parse_math off), so nothing a contributor writes is read as
mathtext or markup. DejaVu Sans, which matplotlib bundles, has every verdict sign.
"""

from __future__ import annotations

import hashlib
import shutil
import textwrap
from pathlib import Path

WIDTH, HEIGHT, DPI = 1200, 630, 100
FONT = "DejaVu Sans"
# The solid colour of each verdict, as in edition.css (--ed-v-solid, light mode).
COLOURS = {
    "accurate": "#1a7f37", "mostly accurate": "#3f6212", "misleading": "#92400e", "inaccurate": "#b91c1c",
    "disputed": "#6d28d9", "unsupported": "#4b5563", "opinion": "#1d4ed8",
}
VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]  # a change to the drawing redraws every card

_figure = None


def _canvas():
    global _figure
    if _figure is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        _figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI)
        FigureCanvasAgg(_figure)
    _figure.clear()
    return _figure


def _wrap(text: str, width: int, lines: int) -> str:
    wrapped = textwrap.wrap(" ".join(text.split()), width) or [""]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1][: width - 1].rstrip() + "\u2026"
    return "\n".join(wrapped)


def card_texts(*, heading: str, quote: str, sign: str, label: str, summary: str, site: str) -> dict[str, str]:
    """What a card shows, as plain strings (the tests read these)."""
    return {
        "heading": _wrap(heading, 84, 1),
        "quote": _wrap(quote, 42, 4),
        "badge": f"{sign}  {label}" if sign else label,
        "summary": _wrap(summary, 84, 3),
        "site": _wrap(site, 95, 1),
    }


def draw(path: Path, *, colour: str, **texts: str) -> None:
    """Draw one card to path (PNG, exactly WIDTH×HEIGHT pixels)."""
    shown = card_texts(**texts)
    fig = _canvas()
    fig.patch.set_facecolor("#ffffff")
    plain = {"family": FONT, "parse_math": False, "usetex": False, "transform": fig.transFigure}
    fig.patches.append(_band(fig, colour))
    fig.text(0.06, 0.90, shown["heading"], fontsize=17, color="#4b5563", va="top", **plain)
    fig.text(0.06, 0.80, shown["quote"], fontsize=30, color="#111827", va="top", linespacing=1.25, weight="bold", **plain)
    fig.text(0.06, 0.33, shown["badge"], fontsize=26, color="#ffffff", va="center", weight="bold",
             bbox={"boxstyle": "round,pad=0.45", "facecolor": colour, "edgecolor": colour}, **plain)
    fig.text(0.06, 0.24, shown["summary"], fontsize=17, color="#1f2937", va="top", linespacing=1.3, **plain)
    fig.text(0.06, 0.045, shown["site"], fontsize=15, color="#4b5563", va="bottom", **plain)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=DPI, facecolor="#ffffff")


def _band(fig, colour: str):
    from matplotlib.patches import Rectangle

    return Rectangle((0, 0), 0.022, 1, transform=fig.transFigure, facecolor=colour, edgecolor="none")


def cached(target: Path, cache: Path, *, colour: str, **texts: str) -> bool:
    """Put the card at target, drawing it only if no card with the same inputs is cached; True if drawn."""
    key = hashlib.sha256("\x1f".join([VERSION, colour, *(f"{k}={texts[k]}" for k in sorted(texts))]).encode()).hexdigest()[:24]
    stored = cache / f"{key}.png"
    drawn = not stored.exists()
    if drawn:
        draw(stored, colour=colour, **texts)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stored, target)
    return drawn
