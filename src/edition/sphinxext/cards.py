"""Share cards: a 1200×630 PNG per claim (and per chapter), drawn with Pillow at build time.

A card is drawn only when its inputs change: each is cached under the build's doctrees folder by
a hash of what it shows. Text is drawn as plain text (Pillow reads no markup or mathtext), in
DejaVu Sans as matplotlib bundles it, which has every verdict sign. The build draws them on a
second thread while it writes its pages (`in_background`): Pillow lets go of the interpreter
while it draws and compresses, so the cards cost the build almost no time of its own.
"""

from __future__ import annotations

import hashlib
import importlib.util
import shutil
import textwrap
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

WIDTH, HEIGHT, DPI = 1200, 630, 100
FONT = "DejaVu Sans"
# The solid colour of each verdict, as in edition.css (--ed-v-solid, light mode).
COLOURS = {
    "accurate": "#1a7f37", "mostly accurate": "#3f6212", "misleading": "#92400e", "inaccurate": "#b91c1c",
    "disputed": "#6d28d9", "unsupported": "#4b5563", "opinion": "#1d4ed8",
}
VERSION = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]  # a change to the drawing redraws every card

@lru_cache(maxsize=None)
def _font(bold: bool, points: float):
    """DejaVu Sans as matplotlib bundles it, at a size in points (at DPI)."""
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(_matplotlib_data() / "fonts" / "ttf" / name), round(points * DPI / 72))


def _matplotlib_data() -> Path:
    """matplotlib's mpl-data folder (what matplotlib.get_data_path() gives), found without importing matplotlib."""
    package = importlib.util.find_spec("matplotlib")
    return Path(package.submodule_search_locations[0]) / "mpl-data"


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
    from PIL import Image, ImageDraw

    shown = card_texts(**texts)
    image = Image.new("RGB", (WIDTH, HEIGHT), "#ffffff")
    pen = ImageDraw.Draw(image)
    left = round(0.06 * WIDTH)
    pen.rectangle((0, 0, round(0.022 * WIDTH), HEIGHT), fill=colour)
    pen.text((left, 0.10 * HEIGHT), shown["heading"], font=_font(False, 17), fill="#4b5563", anchor="la")
    quote = _font(True, 30)
    pen.multiline_text((left, 0.20 * HEIGHT), shown["quote"], font=quote, fill="#111827", spacing=round(0.3 * quote.size))
    badge = _font(True, 26)
    box = pen.textbbox((left, 0.67 * HEIGHT), shown["badge"], font=badge, anchor="lm")
    pad = round(0.45 * badge.size)
    pen.rounded_rectangle((box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad), radius=pad, fill=colour)
    pen.text((left, 0.67 * HEIGHT), shown["badge"], font=badge, fill="#ffffff", anchor="lm")
    summary = _font(False, 17)
    pen.multiline_text((left, 0.76 * HEIGHT), shown["summary"], font=summary, fill="#1f2937", spacing=round(0.35 * summary.size))
    pen.text((left, 0.955 * HEIGHT), shown["site"], font=_font(False, 15), fill="#4b5563", anchor="ld")
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, format="PNG", compress_level=1)


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


def in_background(cards: list[tuple[Path, str, dict[str, str]]], cache: Path) -> Future:
    """Put each (target, colour, texts) card in place on a second thread; the future gives how many were drawn."""
    def work() -> int:
        return sum(cached(target, cache, colour=colour, **texts) for target, colour, texts in cards)

    pool = ThreadPoolExecutor(1, thread_name_prefix="edition-cards")
    future = pool.submit(work)
    pool.shutdown(wait=False)
    return future
