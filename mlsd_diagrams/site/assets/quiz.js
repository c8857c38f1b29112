/* Quiz: some component labels blanked and numbered in reading order; reveal one (click it, its button,
   or its number key), reveal all, or draw a new set with a new seed. */
(function () {
  "use strict";
  var M = (window.MLSD = window.MLSD || {});
  var COUNTS = [3, 5, 8, 0]; /* 0: every component */

  M.quiz = function (fig, data, ui) {
    var el = M.el;
    var ids = Object.keys(data.labels);
    var seed = 1, count = 3, blanks = [], list = null;

    function position(id) {
      var g = ui.svgs()[0].querySelector("g[data-node=" + M.q(id) + "]");
      return g ? [parseFloat(g.getAttribute("data-cx")), parseFloat(g.getAttribute("data-cy"))] : [0, 0];
    }

    /* Number the blanks the way the diagram reads: along its direction first, then across. */
    function readingOrder(chosen) {
      var dir = fig.getAttribute("data-direction");
      function key(id) {
        var p = position(id), x = Math.round(p[0]), y = Math.round(p[1]);
        return { LR: [x, y], RL: [-x, y], TB: [y, x], BT: [-y, x] }[dir] || [x, y];
      }
      return chosen.slice().sort(function (a, b) {
        var ka = key(a), kb = key(b);
        return ka[0] - kb[0] || ka[1] - kb[1] || (a < b ? -1 : 1);
      });
    }

    function choose() {
      var rng = M.random(seed + "/" + fig.getAttribute("data-diagram"));
      var pool = ids.slice();
      for (var i = pool.length - 1; i > 0; i--) {
        var j = Math.floor(rng() * (i + 1)), t = pool[i];
        pool[i] = pool[j];
        pool[j] = t;
      }
      return readingOrder(pool.slice(0, count ? Math.min(count, pool.length) : pool.length));
    }

    function groups(id) {
      return Array.prototype.map.call(ui.svgs(), function (svg) {
        return svg.querySelector("g[data-node=" + M.q(id) + "]");
      }).filter(Boolean);
    }

    function clear() {
      fig.querySelectorAll(".blank-mark").forEach(function (mark) { mark.remove(); });
      fig.querySelectorAll("g[data-blank]").forEach(function (g) {
        g.removeAttribute("data-blank");
        g.classList.remove("blanked", "revealed");
        g.removeEventListener("click", onClick);
      });
      blanks = [];
    }

    function onClick(event) {
      reveal(parseInt(event.currentTarget.getAttribute("data-blank"), 10));
    }

    function blank() {
      clear();
      blanks = choose().map(function (id, k) {
        var n = k + 1;
        groups(id).forEach(function (g) {
          g.setAttribute("data-blank", n);
          g.classList.add("blanked");
          g.addEventListener("click", onClick);
          g.appendChild(el("svg:text", { "class": "blank-mark", x: g.getAttribute("data-cx"),
            y: g.getAttribute("data-cy"), "text-anchor": "middle", "font-size": "15" }, ["? " + n]));
        });
        return { id: id, n: n, shown: false };
      });
      render();
      ui.say(blanks.length + " labels blanked (seed " + seed + "). Press a number, or use the buttons, to reveal one.");
    }

    function reveal(n) {
      var b = blanks[n - 1];
      if (!b || b.shown) return;
      b.shown = true;
      groups(b.id).forEach(function (g) {
        g.classList.remove("blanked");
        g.classList.add("revealed");
        var mark = g.querySelector(".blank-mark");
        if (mark) mark.remove();
      });
      render();
      ui.say("Blank " + n + ": " + data.labels[b.id]);
    }

    function render() {
      var items = blanks.map(function (b) {
        return el("li", { "data-blank": b.n }, b.shown
          ? [el("span", { "class": "blank-number" }, [String(b.n)]), el("span", { "class": "answer" }, [data.labels[b.id]])]
          : [el("span", { "class": "blank-number" }, [String(b.n)]),
             el("button", { type: "button", "class": "reveal-one", onclick: function () { reveal(b.n); } },
                ["Reveal " + b.n])]);
      });
      var next = el("ol", { "class": "answers", "aria-label": "Blanks" }, items);
      if (list && list.parentNode) list.parentNode.replaceChild(next, list);
      list = next;
      var done = blanks.filter(function (b) { return b.shown; }).length;
      var counter = ui.panel.querySelector(".quiz-progress");
      if (counter) counter.textContent = done + " of " + blanks.length + " revealed \u00b7 seed " + seed;
    }

    function start() {
      var select = el("select", { "class": "quiz-count", onchange: function (event) {
        count = parseInt(event.target.value, 10);
        blank();
      } }, COUNTS.map(function (c) {
        return el("option", { value: c, selected: c === count }, [c ? c + " blanks" : "every label"]);
      }));
      ui.panel.appendChild(el("div", { "class": "panel-row" }, [
        el("strong", {}, ["Quiz"]),
        el("span", { "class": "quiz-progress" }, []),
        el("label", {}, [el("span", { "class": "visually-hidden" }, ["How many labels to blank"]), select]),
        el("button", { type: "button", "class": "reveal-all", onclick: function () {
          blanks.forEach(function (b) { reveal(b.n); });
          ui.say("Every blank revealed.");
        } }, ["Reveal all"]),
        el("button", { type: "button", "class": "new-seed", onclick: function () {
          seed = 1 + Math.floor(Math.random() * 999999);
          blank();
        } }, ["New seed"])
      ]));
      list = el("ol", { "class": "answers" }, []);
      ui.panel.appendChild(list);
      ui.panel.appendChild(el("p", { "class": "hint" }, [
        "Name each numbered component, then click it, press its number on the focused diagram, or use its button."]));
      blank();
    }

    return {
      start: start,
      stop: clear,
      key: function (event) {
        if (!/^[1-9]$/.test(event.key)) return false;
        reveal(parseInt(event.key, 10));
        return true;
      },
      reveal: reveal
    };
  };
})();
