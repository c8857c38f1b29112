/* Each diagram's toolbar: zoom, and one practice mode at a time (quiz, step reveal, draw it yourself). */
(function () {
  "use strict";
  var M = window.MLSD;
  var source = document.getElementById("diagram-data");
  if (!source) return;
  var all = JSON.parse(source.textContent);

  document.querySelectorAll(".diagram-figure").forEach(function (fig) {
    var data = all[fig.getAttribute("data-diagram")];
    var status = fig.querySelector(".status");
    var ui = {
      viewport: fig.querySelector(".viewport"),
      panel: fig.querySelector(".panel"),
      cover: fig.querySelector(".cover"),
      svgs: function () { return Array.prototype.slice.call(fig.querySelectorAll("svg.diagram")); },
      say: function (message) { status.textContent = message; }
    };
    var zoom = M.zoom(fig, ui);
    var modes = { quiz: M.quiz(fig, data, ui), steps: M.steps(fig, data, ui), selfdraw: M.selfdraw(fig, data, ui) };
    var active = null;

    function setMode(name) {
      var was = active;
      if (active) {
        modes[active].stop();
        fig.querySelector("[data-mode=" + active + "]").setAttribute("aria-pressed", "false");
      }
      ui.panel.textContent = "";
      active = name === was ? null : name;
      ui.panel.hidden = !active;
      fig.classList.toggle("practising", !!active);
      if (!active) {
        ui.say("Practice off; the whole diagram is shown.");
        return;
      }
      fig.querySelector("[data-mode=" + active + "]").setAttribute("aria-pressed", "true");
      ui.panel.setAttribute("aria-label", fig.querySelector("[data-mode=" + active + "]").textContent);
      modes[active].start();
    }

    fig.querySelector(".toolbar").addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      var action = button.getAttribute("data-action");
      if (action === "zoom-in") zoom.zoomIn();
      else if (action === "zoom-out") zoom.zoomOut();
      else if (action === "zoom-fit") zoom.fit();
      else if (button.hasAttribute("data-mode")) setMode(button.getAttribute("data-mode"));
    });

    ui.viewport.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      if ((active && modes[active].key(event)) || zoom.key(event)) event.preventDefault();
    });
  });
})();
