/* Hide it and draw it yourself: the diagram goes away for a few minutes while you draw it on paper,
   then comes back (or press "Show it now") so you can compare. */
(function () {
  "use strict";
  var M = (window.MLSD = window.MLSD || {});
  var MINUTES = [2, 5, 10, 15];

  function clock(ms) {
    var s = Math.max(0, Math.ceil(ms / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  M.selfdraw = function (fig, data, ui) {
    var el = M.el;
    var minutes = 5, started = 0, timer = null, left = null, showBtn = null;

    function hide() {
      stopTimer();
      started = Date.now();
      ui.viewport.classList.add("is-hidden");
      ui.cover.hidden = false;
      ui.cover.textContent = "";
      left = el("p", { "class": "cover-time" }, []);
      ui.cover.appendChild(el("p", { "class": "cover-title" }, ["Hidden: draw it on paper from memory"]));
      ui.cover.appendChild(left);
      tick();
      timer = window.setInterval(tick, 250);
      ui.say("Diagram hidden for " + minutes + " minutes. Draw it yourself.");
    }

    function tick() {
      var remaining = minutes * 60000 - (Date.now() - started);
      if (remaining <= 0) {
        show("Time is up.");
        return;
      }
      if (left) left.textContent = clock(remaining) + " left";
    }

    function show(why) {
      var took = clock(Date.now() - started);
      stopTimer();
      ui.viewport.classList.remove("is-hidden");
      ui.cover.hidden = true;
      if (showBtn) showBtn.textContent = "Hide it again";
      ui.say((why ? why + " " : "") + "Shown after " + took + ". Compare it with your drawing.");
      var note = ui.panel.querySelector(".selfdraw-result");
      if (note) note.textContent = (why ? why + " " : "") + "Shown after " + took + ".";
    }

    function stopTimer() {
      if (timer !== null) window.clearInterval(timer);
      timer = null;
    }

    function start() {
      var select = el("select", { "class": "selfdraw-minutes", onchange: function (event) {
        minutes = parseInt(event.target.value, 10);
        hide();
      } }, MINUTES.map(function (m) { return el("option", { value: m, selected: m === minutes }, [m + " minutes"]); }));
      showBtn = el("button", { type: "button", "class": "selfdraw-show", onclick: function () {
        if (ui.viewport.classList.contains("is-hidden")) show("");
        else { showBtn.textContent = "Show it now"; hide(); }
      } }, ["Show it now"]);
      ui.panel.appendChild(el("div", { "class": "panel-row" }, [
        el("strong", {}, ["Draw it yourself"]),
        el("label", {}, [el("span", { "class": "visually-hidden" }, ["Time to draw"]), select]),
        showBtn,
        el("span", { "class": "selfdraw-result", "aria-live": "off" }, [])
      ]));
      hide();
    }

    function stop() {
      stopTimer();
      ui.viewport.classList.remove("is-hidden");
      ui.cover.hidden = true;
      showBtn = left = null;
    }

    return { start: start, stop: stop, key: function () { return false; }, show: show };
  };
})();
