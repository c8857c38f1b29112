/* Search every chapter, framework step, diagram and component; "/" focuses the box, arrows move in the results. */
(function () {
  "use strict";
  var box = document.getElementById("search-box");
  var results = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var entries = window.MLSD_SEARCH || [];
  var LIMIT = 12;
  var KIND = { chapter: "Chapter", step: "Step", diagram: "Diagram", component: "Component" };
  var RANK = { chapter: 0, diagram: 1, component: 2, step: 3 };
  if (!box) return;

  var haystack = entries.map(function (e) { return (e.t + " \u00a0 " + e.c).toLowerCase(); });

  function find(query) {
    var words = query.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.length) return [];
    var found = [];
    entries.forEach(function (e, i) {
      if (!words.every(function (w) { return haystack[i].indexOf(w) >= 0; })) return;
      var title = e.t.toLowerCase(), q = words.join(" ");
      var score = (title === q ? 0 : title.indexOf(q) === 0 ? 1 : title.indexOf(q) >= 0 ? 2 : 3) * 10 + RANK[e.k];
      found.push({ e: e, score: score, i: i });
    });
    found.sort(function (a, b) { return a.score - b.score || a.i - b.i; });
    return found.map(function (f) { return f.e; });
  }

  function show() {
    var hits = find(box.value.trim());
    results.textContent = "";
    hits.slice(0, LIMIT).forEach(function (e) {
      var a = document.createElement("a");
      a.href = e.u;
      a.className = "search-hit";
      [["hit-kind", KIND[e.k] || e.k], ["hit-title", e.t], ["hit-context", e.c]].forEach(function (part) {
        var span = document.createElement("span");
        span.className = part[0];
        span.textContent = part[1];
        a.appendChild(span);
      });
      a.addEventListener("click", close);
      var li = document.createElement("li");
      li.appendChild(a);
      results.appendChild(li);
    });
    results.hidden = !box.value.trim();
    if (!hits.length && box.value.trim()) {
      var li = document.createElement("li");
      li.className = "no-hits";
      li.textContent = "Nothing found.";
      results.appendChild(li);
    }
    status.textContent = box.value.trim() ? hits.length + " result" + (hits.length === 1 ? "" : "s") +
      (hits.length > LIMIT ? ", the first " + LIMIT + " shown" : "") : "";
  }

  function links() { return Array.prototype.slice.call(results.querySelectorAll("a")); }

  function close() {
    results.hidden = true;
  }

  box.addEventListener("input", show);
  box.addEventListener("focus", function () { if (box.value.trim()) show(); });
  box.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape") {
      box.value = "";
      show();
    } else if (event.key === "Enter" && links().length) {
      event.preventDefault();
      links()[0].click();
    }
  });
  results.addEventListener("keydown", function (event) {
    var all = links(), at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < all.length - 1) all[at + 1].focus();
    else if (event.key === "ArrowUp") (at > 0 ? all[at - 1] : box).focus();
    else if (event.key === "Escape") box.focus();
    else return;
    event.preventDefault();
  });
  document.addEventListener("keydown", function (event) {
    var t = event.target;
    if (event.key !== "/" || /^(INPUT|SELECT|TEXTAREA)$/.test(t.tagName) || t.isContentEditable) return;
    event.preventDefault();
    box.focus();
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest(".search")) close();
  });
})();
