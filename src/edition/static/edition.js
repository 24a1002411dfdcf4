// Progressive enhancements; everything works without them.
(function () {
  // Following a claim marker (mouse or keyboard) opens its annotation's details and moves focus there.
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    if (!id) return;
    var note = document.getElementById(id);
    if (!note || !note.classList.contains("annotation")) return;
    var details = note.querySelector("details");
    if (details) details.open = true;
    note.setAttribute("tabindex", "-1");
    note.focus({ preventScroll: false });
  }
  window.addEventListener("hashchange", openTarget);
  document.addEventListener("DOMContentLoaded", function () {
    openTarget();
    // Claims index: buttons that show one verdict at a time (the jump links work without script).
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
  });
})();
