/* Step reveal: the diagram built up part by part on its one layout (arrow keys, Home, End, or the buttons).
   A frame adds its nodes; an edge shows once both its ends do, a group box with its first node. */
(function () {
  "use strict";
  var M = (window.MLSD = window.MLSD || {});

  M.steps = function (fig, data, ui) {
    var el = M.el;
    var by = "group", k = 0, frames = data.frames[by];
    var counter = null, titleEl = null, prev = null, next = null;

    function show(i) {
      k = Math.max(0, Math.min(frames.length - 1, i));
      var shown = {};
      frames.slice(0, k + 1).forEach(function (f) { f.nodes.forEach(function (id) { shown[id] = true; }); });
      ui.svgs().forEach(function (svg) {
        svg.querySelectorAll("g[data-node]").forEach(function (g) {
          g.classList.toggle("step-hidden", !shown[g.getAttribute("data-node")]);
        });
        svg.querySelectorAll("g[data-edge]").forEach(function (g) {
          var ends = g.getAttribute("data-edge").split(" ");
          g.classList.toggle("step-hidden", !(shown[ends[0]] && shown[ends[ends.length - 1]]));
        });
        svg.querySelectorAll("g[data-group]").forEach(function (g) {
          var nodes = data.groups[g.getAttribute("data-group")] || [];
          g.classList.toggle("step-hidden", !nodes.some(function (id) { return shown[id]; }));
        });
      });
      var text = "Step " + (k + 1) + " of " + frames.length + ": " + frames[k].title;
      if (counter) counter.textContent = "Step " + (k + 1) + " of " + frames.length;
      if (titleEl) titleEl.textContent = frames[k].title;
      if (prev) prev.disabled = k === 0;
      if (next) next.disabled = k === frames.length - 1;
      ui.say(text);
    }

    function start() {
      k = 0;
      frames = data.frames[by];
      counter = el("span", { "class": "steps-progress" }, []);
      titleEl = el("span", { "class": "steps-title" }, []);
      prev = el("button", { type: "button", "class": "steps-prev", onclick: function () { show(k - 1); } },
        ["\u2190 Previous"]);
      next = el("button", { type: "button", "class": "steps-next", onclick: function () { show(k + 1); } },
        ["Next \u2192"]);
      var select = el("select", { "class": "steps-by", onchange: function (event) {
        by = event.target.value;
        frames = data.frames[by];
        show(0);
      } }, [el("option", { value: "group", selected: by === "group" }, ["by pipeline box"]),
            el("option", { value: "step", selected: by === "step" }, ["by framework step"])]);
      ui.panel.appendChild(el("div", { "class": "panel-row" }, [
        el("strong", {}, ["Step reveal"]), counter, titleEl, prev, next,
        el("label", {}, [el("span", { "class": "visually-hidden" }, ["Reveal"]), select])
      ]));
      ui.panel.appendChild(el("p", { "class": "hint" }, [
        "On the focused diagram: \u2190 and \u2192 walk the steps, Home and End jump to the first and the whole."]));
      show(0);
    }

    function stop() {
      fig.querySelectorAll(".step-hidden").forEach(function (g) { g.classList.remove("step-hidden"); });
      counter = titleEl = prev = next = null;
    }

    return {
      start: start,
      stop: stop,
      key: function (event) {
        var to = { ArrowRight: k + 1, ArrowDown: k + 1, PageDown: k + 1, " ": k + 1, ArrowLeft: k - 1,
                   ArrowUp: k - 1, PageUp: k - 1, Home: 0, End: frames.length - 1 }[event.key];
        if (to === undefined) return false;
        show(to);
        return true;
      },
      show: show
    };
  };
})();
