// Progressive enhancements; without them every note follows its paragraph and every link works.
(function () {
  "use strict";
  var GAP = 6;          // px between notes in the margin
  var MIN_NOTE = 220;   // px: a margin narrower than this opens notes as a sheet instead
  var DRIFT = 80;       // px: how far a collapsed note may sit from its claim's line (about three lines)
  var article, notes = [], markOf = {}, current = null, opener = null, mode = "";

  function each(list, fn) { Array.prototype.forEach.call(list, fn); }

  // ---- Reading layer: a note opens beside its claim and the claim never leaves the screen. ----

  function setUp() {
    article = document.querySelector("article.bd-article");
    notes = article ? Array.prototype.slice.call(article.querySelectorAll("aside.annotation[data-claim]")) : [];
    notes = notes.filter(function (note) { return (markOf[note.id] = document.getElementById("mark-" + note.dataset.claim)); });
    if (!notes.length) return;
    document.documentElement.classList.add("ed-js");
    notes.forEach(function (note) {
      var mark = markOf[note.id];
      mark.setAttribute("aria-controls", note.id);
      mark.setAttribute("aria-expanded", "false");
      mark.addEventListener("click", function (event) { event.preventDefault(); toggle(note); });
      note.setAttribute("tabindex", "-1");
      var close = document.createElement("button");
      close.type = "button";
      close.className = "annotation-close";
      close.setAttribute("aria-label", "Close this note and return to the text");
      close.textContent = "\u00d7";
      close.addEventListener("click", function (event) { event.stopPropagation(); closeNote(true); });
      note.querySelector(".annotation-head").appendChild(close);
      note.addEventListener("click", function (event) {
        if (!note.classList.contains("is-open") && !event.target.closest("a")) openNote(note, true);
      });
      [[mark, note], [note, mark]].forEach(function (pair) {
        pair[0].addEventListener("mouseenter", function () { pair[1].classList.add("is-hover"); });
        pair[0].addEventListener("mouseleave", function () { pair[1].classList.remove("is-hover"); });
      });
      mark.addEventListener("focus", function () { note.classList.add("is-hover"); });
      mark.addEventListener("blur", function () { note.classList.remove("is-hover"); });
    });
    buildStrips();
    // Escape closes the open note when the reader is with it (not, say, in the search dialog).
    document.addEventListener("keydown", function (event) {
      var here = document.activeElement;
      if (event.key !== "Escape" || !current) return;
      if (current.contains(here) || here === markOf[current.id] || here === opener || here === document.body) {
        event.preventDefault();
        closeNote(true);
      }
    });
    each(document.querySelectorAll(".chapter-legend a.legend-entry"), function (entry) {
      entry.addEventListener("click", function (event) { event.preventDefault(); nextOfVerdict(entry.dataset.verdict); });
    });
    window.addEventListener("resize", function () { if (current) current._pin = null; layout(); });
    // Between 992 and 1199px the stylesheet folds the site navigation away; its button opens it here (before the theme's).
    document.addEventListener("click", function (event) {
      var toggle = event.target.closest && event.target.closest(".primary-toggle");
      var nav = document.getElementById("pst-primary-sidebar");
      if (!toggle || !nav || !window.matchMedia("(min-width: 992px) and (max-width: 1199.98px)").matches) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      nav.classList.remove("pst-sidebar-hidden");
      nav.classList.toggle("ed-nav-open");
    }, true);
    // On a phone, a tap outside the open sheet closes it; so does a swipe down on it.
    document.addEventListener("click", function (event) {
      if (mode !== "sheet" || !current || current.contains(event.target)) return;
      if (event.target.closest && event.target.closest("a.claim-mark, .ed-chip")) return;
      closeNote(false);
    });
    var swipeFrom = null;
    document.addEventListener("touchstart", function (event) {
      swipeFrom = mode === "sheet" && current && current.contains(event.target) && current.scrollTop <= 0 ? event.touches[0].clientY : null;
    }, { passive: true });
    document.addEventListener("touchend", function (event) {
      if (swipeFrom !== null && event.changedTouches[0].clientY - swipeFrom > 60) closeNote(true);
      swipeFrom = null;
    }, { passive: true });
    // The browser's own jump to the fragment can come after ours: show the claim again once the page is loaded.
    window.addEventListener("load", function () {
      layout();
      if (current) { bringIntoView(markOf[current.id]); current._pin = null; }
      layout();
    });
    window.addEventListener("hashchange", openFromHash);
    window.addEventListener("beforeprint", function () { each(article.querySelectorAll("aside.annotation details"), function (d) { d.dataset.wasOpen = d.open; d.open = true; }); });
    window.addEventListener("afterprint", function () { each(article.querySelectorAll("aside.annotation details"), function (d) { d.open = d.dataset.wasOpen === "true"; }); });
    if (window.ResizeObserver) new ResizeObserver(function () { layout(); }).observe(article);
    layout();
    openFromHash();
  }

  // On phones: after each annotated paragraph, one compact line of its notes' signs.
  function buildStrips() {
    var byParagraph = new Map();
    notes.forEach(function (note) {
      var para = markOf[note.id].closest("p");
      if (!byParagraph.has(para)) byParagraph.set(para, []);
      byParagraph.get(para).push(note);
    });
    byParagraph.forEach(function (list, para) {
      var strip = document.createElement("div");
      strip.className = "ed-strip";
      strip.setAttribute("role", "group");
      strip.setAttribute("aria-label", "Editors' notes on this paragraph");
      var label = document.createElement("span");
      label.className = "ed-strip-label";
      label.textContent = list.length === 1 ? "1 note" : list.length + " notes";
      strip.appendChild(label);
      list.forEach(function (note) {
        var chip = document.createElement("button");
        chip.type = "button";
        chip.className = "ed-chip verdict-" + note.dataset.verdict.replace(/ /g, "-");
        chip.setAttribute("aria-controls", note.id);
        chip.setAttribute("aria-expanded", "false");
        chip.setAttribute("aria-label", note.getAttribute("aria-label").replace("Editors' annotation: ", "") + ": " + markOf[note.id].textContent);
        chip.addEventListener("click", function () { toggle(note, chip); });
        strip.appendChild(chip);
      });
      para.parentNode.insertBefore(strip, para.nextSibling);
    });
  }

  // The note opens from its claim or from a chip of the paragraph's strip; closing returns there.
  function toggle(note, from) {
    if (current === note) closeNote(true);
    else { openNote(note, true); opener = from || null; }
  }

  function setExpanded(note, value) {
    each(document.querySelectorAll('[aria-controls="' + note.id + '"]'), function (el) { el.setAttribute("aria-expanded", value); });
    markOf[note.id].classList.toggle("is-active", value);
  }

  function openNote(note, focus) {
    if (current && current !== note) closeNote(false);
    current = note;
    note._pin = null;
    note.classList.add("is-open");
    var details = note.querySelector("details");
    if (details) details.open = true;
    setExpanded(note, true);
    history.replaceState(null, "", "#" + note.id);
    layout();
    if (mode === "sheet") keepAboveSheet(markOf[note.id], note);
    if (focus) note.focus({ preventScroll: true });
  }

  function closeNote(refocus) {
    var note = current;
    if (!note) return;
    current = null;
    note._pin = null;
    note.classList.remove("is-open");
    var details = note.querySelector("details");
    if (details) details.open = false;
    setExpanded(note, false);
    if (location.hash === "#" + note.id) history.replaceState(null, "", location.pathname + location.search);
    layout();
    if (refocus) (opener || markOf[note.id]).focus({ preventScroll: true });
    opener = null;
  }

  // A permalink (#claim-<id>) shows its claim on screen with its note open beside it.
  function openFromHash() {
    var note = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (!note || notes.indexOf(note) < 0 || note === current) return;
    bringIntoView(markOf[note.id]);
    openNote(note, true);
  }

  // The theme's header stays at the top of the screen: what is under it is not in view.
  // So do the article's toolbar where the theme makes it sticky (as on a phone held sideways).
  function headerBottom() {
    var bottom = 0;
    each(document.querySelectorAll("header.bd-header, .header-article"), function (bar) {
      var r = bar.getBoundingClientRect(), position = getComputedStyle(bar).position;
      if ((position === "sticky" || position === "fixed") && r.top <= 1 && r.height > 0) bottom = Math.max(bottom, r.bottom);
      else if (bar.matches("header.bd-header")) bottom = Math.max(bottom, r.bottom);
    });
    return Math.max(0, bottom);
  }

  function bringIntoView(mark) {
    var top = mark.getBoundingClientRect().top;
    var free = window.innerHeight - headerBottom();
    window.scrollBy(0, top - headerBottom() - free * (mode === "sheet" ? 0.1 : 0.3));
  }

  // The legend's entries go to the claims with that verdict, one after another.
  function nextOfVerdict(verdict) {
    var these = notes.filter(function (n) { return n.dataset.verdict === verdict; });
    var next = these[(these.indexOf(current) + 1) % these.length];
    bringIntoView(markOf[next.id]);
    openNote(next, true);
  }

  // On a phone the sheet covers the lower part of the screen: keep the claim visible above it.
  function keepAboveSheet(mark, note) {
    var rect = mark.getBoundingClientRect();
    var sheetTop = window.innerHeight - note.offsetHeight;
    var top = headerBottom() + 8;
    if (rect.top >= top && rect.bottom <= sheetTop - 8) return;
    window.scrollBy(0, rect.top - Math.max(top, Math.min(top + window.innerHeight * 0.1, sheetTop - rect.height - 8)));
  }

  function layout() {
    if (!article) return;
    var room = document.documentElement.clientWidth - article.getBoundingClientRect().right - 16;
    var next = room >= MIN_NOTE ? "margin" : "sheet";
    if (next !== mode) {
      document.documentElement.classList.remove("ed-margin", "ed-sheet");
      document.documentElement.classList.add("ed-" + next);
      mode = next;
    }
    if (mode === "margin") placeInMargin(Math.min(room - 8, 400));
    else notes.forEach(function (note) { note.style.top = note.style.left = note.style.width = note.style.maxHeight = ""; });
  }

  // Each note level with its claim's line; colliding notes pushed apart only as far as needed, an open note
  // kept on screen, and no note below the end of the chapter's text.
  function placeInMargin(width) {
    var box = article.getBoundingClientRect();
    var items = notes.map(function (note) {
      var parent = note.offsetParent.getBoundingClientRect();
      note.style.left = (box.right - parent.left + 12) + "px";
      note.style.width = width + "px";
      var claim = markOf[note.id].getBoundingClientRect().top - box.top - 2;
      return { note: note, shift: parent.top - box.top, claim: claim, want: claim, para: markOf[note.id].closest("p") };
    });
    // A collapsed note shows three lines of its summary. Where that puts a paragraph's notes too far from their
    // claims, they show two; where even that is too far (and in a dense paragraph from the start), the paragraph's
    // notes form one group: stacked without gaps, each its sign and two lines in smaller type, the group set level
    // with the paragraph so that no entry is further from its claim than it must be.
    var levels = ["", "in-tight", "in-group"];
    items.forEach(function (item) { item.level = item.para.classList.contains("is-dense") ? 2 : 0; });
    for (var pass = 0; pass < 3; pass++) {
      items.forEach(function (item) {
        item.note.classList.remove("in-tight", "in-group");
        if (levels[item.level]) item.note.classList.add(levels[item.level]);
        item.grouped = item.level === 2;
      });
      items.forEach(function (item) { item.height = item.note.offsetHeight; });
      centreGroups(items);
      arrange(items, box);
      var far = new Set(items.filter(function (item) { return item.note !== current && Math.abs(item.top - item.claim) > DRIFT; })
                             .map(function (item) { return item.para; }));
      if (!far.size) break;
      items.forEach(function (item) { if (far.has(item.para)) item.level = Math.min(2, item.level + 1); });
    }
    items.forEach(function (item) { item.note.style.top = (item.top - item.shift) + "px"; });
  }

  // A group's entries follow one another; the stack is placed so that its furthest entries above and below their
  // claims are equally far from them (the least distance any entry must be from its claim).
  function centreGroups(items) {
    var groups = new Map();
    items.forEach(function (item) {
      item.want = item.claim;
      if (!item.grouped) return;
      if (!groups.has(item.para)) groups.set(item.para, []);
      groups.get(item.para).push(item);
    });
    groups.forEach(function (group) {
      if (group.some(function (item) { return item.note === current; })) return;
      var offsets = [], sum = 0;
      group.forEach(function (item) { offsets.push(sum - item.claim); sum += item.height; });
      var start = -(Math.max.apply(null, offsets) + Math.min.apply(null, offsets)) / 2;
      sum = 0;
      group.forEach(function (item) { item.want = start + sum; sum += item.height; });
    });
  }

  function arrange(items, box) {
    items.forEach(function (item) { item.top = undefined; });
    var bottom = box.height;
    var pinned = items.findIndex(function (item) { return item.note === current; });
    if (pinned >= 0) {
      var item = items[pinned], viewTop = headerBottom() - box.top + 8, viewBottom = window.innerHeight - box.top - 8;
      // A note taller than the screen starts level with its claim; a shorter one is kept whole on screen.
      var summary = item.note.querySelector(".annotation-summary");
      var lead = summary ? summary.offsetTop + summary.offsetHeight + 8 : 80;  // the note down to its summary
      // Placed once when it opens; later layouts (an image loading further down, say) keep it where it is in the
      // page, so scrolling past it never makes it jump.
      var pin = item.note._pin;
      item.top = pin && Math.abs(pin.want - item.want) < 1 ? pin.top
        : Math.max(viewTop, Math.min(item.want, viewBottom - (item.height > viewBottom - viewTop ? lead : item.height)));
      item.note._pin = { want: item.want, top: item.top };
      pushDown(items, pinned + 1, item.top + item.height + GAP);
      pushUp(items, pinned - 1, item.top - GAP);
    } else {
      pushDown(items, 0, 0);
      pushUp(items, items.length - 1, bottom);
    }
  }

  // The entries of a group touch; other notes are set a little apart.
  function gap(items, i) {
    var a = items[i], b = items[i + 1];
    return b && a.grouped && b.grouped && a.para === b.para && a.note !== current && b.note !== current ? 0 : GAP;
  }

  function pushDown(items, from, floor) {
    for (var i = from; i < items.length; i++) {
      items[i].top = Math.max(items[i].want, floor);
      floor = items[i].top + items[i].height + gap(items, i);
    }
  }

  function pushUp(items, from, ceiling) {
    for (var i = from; i >= 0; i--) {
      var top = items[i].top === undefined ? items[i].want : items[i].top;
      items[i].top = Math.min(top, ceiling - items[i].height);
      ceiling = items[i].top - (i > 0 ? gap(items, i - 1) : GAP);
    }
  }

  // ---- Claims index: buttons that show one verdict at a time (the jump links work without script). ----

  function setUpFilter() {
    var nav = document.querySelector(".claims-filter");
    if (!nav) return;
    var groups = Array.prototype.slice.call(document.querySelectorAll(".claims-group"));
    var bar = document.createElement("div");
    bar.className = "claims-filter";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", "Filter claims by verdict");
    var verdicts = ["all"].concat(groups.map(function (g) { return g.id.replace("verdict-", ""); }));
    verdicts.forEach(function (v) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-sm btn-outline-secondary";
      b.textContent = v === "all" ? "All verdicts" : v.replace(/-/g, " ");
      b.dataset.verdict = v;
      b.setAttribute("aria-pressed", v === "all" ? "true" : "false");
      b.addEventListener("click", function () {
        groups.forEach(function (g) { g.hidden = v !== "all" && g.id !== "verdict-" + v; });
        bar.querySelectorAll("button").forEach(function (o) { o.setAttribute("aria-pressed", o === b ? "true" : "false"); });
      });
      bar.appendChild(b);
    });
    nav.parentNode.insertBefore(bar, nav.nextSibling);
  }

  // ---- Sources page: a box that keeps the sources matching every typed word (all are listed without script). ----

  function setUpSourcesSearch() {
    var list = document.querySelector(".sources-list");
    if (!list) return;
    var box = document.createElement("input");
    box.type = "search";
    box.className = "sources-search form-control";
    box.setAttribute("aria-label", "Find a source");
    box.placeholder = "Find a source: title, publisher, address, claim";
    var status = document.createElement("p");
    status.className = "sources-status";
    status.setAttribute("aria-live", "polite");
    var entries = Array.prototype.slice.call(list.querySelectorAll("li"));
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean), shown = 0;
      entries.forEach(function (li) {
        var text = li.textContent.toLowerCase();
        li.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
        if (!li.hidden) shown++;
      });
      each(list.querySelectorAll(".sources-group"), function (g) { g.hidden = !g.querySelector("li:not([hidden])"); });
      status.textContent = words.length ? shown + " of " + entries.length + " sources" : "";
    });
    list.parentNode.insertBefore(box, list);
    list.parentNode.insertBefore(status, list);
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(); setUpFilter(); setUpSourcesSearch(); });
})();
