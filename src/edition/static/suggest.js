// "Suggest a fact-check": select words of the article and get the issue form "Suggest an annotation",
// prefilled with the words and the context that anchors them (W3C TextQuoteSelector: exact, prefix,
// suffix, within one paragraph, as the annotation files use). A progressive enhancement.
(function () {
  var script = document.currentScript;
  var repository = script && script.getAttribute("data-repository");
  var FORM = "suggest-an-annotation.yml";
  var CONTEXT = 32; // characters of context either side, widened to whole words
  var LONGEST = 600; // what the form's field and a URL comfortably hold
  var box = null;
  var timer = null;

  function paragraphOf(node) {
    var el = node && (node.nodeType === 1 ? node : node.parentElement);
    return el ? el.closest("p.article-text") : null;
  }

  // Every place on the page where exact sits between prefix and suffix within one paragraph.
  function countOnPage(exact, prefix, suffix) {
    var count = 0;
    document.querySelectorAll("p.article-text").forEach(function (p) {
      var text = p.textContent;
      for (var at = text.indexOf(exact); at !== -1; at = text.indexOf(exact, at + 1)) {
        if (text.slice(0, at).endsWith(prefix) && text.slice(at + exact.length).startsWith(suffix)) count++;
      }
    });
    return count;
  }

  // {url} for a selection that anchors, {message} for one that does not, null for no selection.
  function describe(selection) {
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
    var range = selection.getRangeAt(0);
    var main = document.querySelector("main");
    if (!main || !main.contains(range.commonAncestorContainer)) return null; // menus, sidebars
    var para = paragraphOf(range.startContainer);
    if (!para || para !== paragraphOf(range.endContainer)) {
      var across = para || paragraphOf(range.endContainer);
      return { message: across
        ? "This selection runs across two paragraphs. To suggest a fact-check, select words within one paragraph of the article."
        : "This is not the article\u2019s text. To suggest a fact-check, select words in a paragraph of the article." };
    }
    var text = para.textContent;
    var pos = window.domAnchorTextPosition.fromRange(para, range);
    var start = pos.start, end = pos.end;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    if (end - start < 3) return { message: "Select a few words of the article (extend the selection), then suggest a fact-check." };
    if (end - start > LONGEST) return { message: "This selection is long. Select the sentence or clause that needs checking." };
    var from = Math.max(0, start - CONTEXT), to = Math.min(text.length, end + CONTEXT);
    while (from > 0 && !/\s/.test(text[from - 1])) from--;
    while (to < text.length && !/\s/.test(text[to])) to++;
    var exact = text.slice(start, end), prefix = text.slice(from, start), suffix = text.slice(end, to);
    if (countOnPage(exact, prefix, suffix) !== 1) {
      return { message: "These words cannot be told apart from another passage. Extend the selection by a few words." };
    }
    var chapter = location.pathname.split("/").pop().replace(/\.html$/, "");
    var key = para.id.replace(/^article-/, "");
    var params = new URLSearchParams();
    params.set("template", FORM);
    params.set("title", "Fact-check: " + (exact.length > 60 ? exact.slice(0, 57) + "\u2026" : exact));
    params.set("exact", exact);
    params.set("prefix", prefix);
    params.set("suffix", suffix);
    params.set("place", chapter + ", paragraph " + key);
    params.set("page", location.origin + location.pathname + "#" + para.id);
    return { url: repository.replace(/\/+$/, "") + "/issues/new?" + params.toString() };
  }

  function hide() {
    if (box) box.remove();
    box = null;
  }

  function show(found, range) {
    var key = found.url || found.message;
    if (box && box.getAttribute("data-for") === key) return; // unchanged: keep it (and its focus)
    hide();
    box = document.createElement("div");
    box.setAttribute("data-for", key);
    box.className = "suggest-control";
    box.setAttribute("role", "status");
    var s = box.style;
    s.position = "absolute"; s.zIndex = "1050"; s.maxWidth = "22rem"; s.padding = ".35rem .6rem";
    s.fontSize = ".85rem"; s.borderRadius = ".3rem"; s.userSelect = "none";
    s.background = "var(--pst-color-surface, #fff)"; s.color = "var(--pst-color-text-base, #222)";
    s.border = "1px solid var(--pst-color-border, #ccc)"; s.boxShadow = "0 .2rem .6rem rgba(0, 0, 0, .2)";
    if (found.url) {
      var link = document.createElement("a");
      link.href = found.url;
      link.target = "_blank";
      link.rel = "noopener";
      link.className = "suggest-link";
      link.textContent = "Suggest a fact-check";
      box.appendChild(link);
    } else {
      box.textContent = found.message;
    }
    // Keep the selection when the control is pressed.
    box.addEventListener("mousedown", function (event) { event.preventDefault(); });
    document.body.appendChild(box);
    var rects = range.getClientRects();
    var last = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    var left = Math.min(last.right + window.scrollX, window.scrollX + document.documentElement.clientWidth - box.offsetWidth - 8);
    s.left = Math.max(window.scrollX + 8, left) + "px";
    s.top = last.bottom + window.scrollY + 6 + "px";
  }

  function update() {
    var selection = window.getSelection();
    var found = describe(selection);
    if (found) show(found, selection.getRangeAt(0));
    else hide();
  }

  if (!repository || !window.domAnchorTextPosition) return;
  document.addEventListener("selectionchange", function () {
    clearTimeout(timer);
    timer = setTimeout(update, 200); // once the mouse or the keys have stopped moving the selection
  });
  document.addEventListener("keydown", function (event) {
    if (!box) return;
    var link = box.querySelector("a");
    if (event.key === "Escape") hide();
    // Tab right after a selection goes to the control, so it is reachable without a mouse.
    else if (event.key === "Tab" && !event.shiftKey && link && document.activeElement !== link) {
      event.preventDefault();
      link.focus();
    }
  });
})();
