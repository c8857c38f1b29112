/* Zoom and pan a diagram: buttons, + - 0 keys, Ctrl+wheel; drag or scroll to pan when it is larger than the box. */
(function () {
  "use strict";
  var M = (window.MLSD = window.MLSD || {});
  var MIN = 0.2, MAX = 4, STEP = 1.25;

  M.zoom = function (fig, ui) {
    var viewport = ui.viewport;
    var natural = parseFloat(fig.getAttribute("data-width")) || 800;
    var scale = 0; /* 0: fit the width of the box */

    function fitted() {
      return Math.min(1, (viewport.clientWidth - 2) / natural);
    }

    function apply(next, px, py) {
      var before = scale || fitted();
      var ox = px === undefined ? viewport.clientWidth / 2 : px;
      var oy = py === undefined ? viewport.clientHeight / 2 : py;
      var cx = (viewport.scrollLeft + ox) / before, cy = (viewport.scrollTop + oy) / before;
      scale = next;
      ui.svgs().forEach(function (svg) {
        svg.style.width = scale ? natural * scale + "px" : "";
        svg.style.maxWidth = scale ? "none" : "";
      });
      viewport.classList.toggle("zoomed", !!scale && natural * scale > viewport.clientWidth);
      var after = scale || fitted();
      viewport.scrollLeft = cx * after - ox;
      viewport.scrollTop = cy * after - oy;
      ui.say(scale ? "Zoom " + Math.round(scale * 100) + "%" : "Fitted to the width");
    }

    function by(factor, px, py) {
      apply(Math.max(MIN, Math.min(MAX, (scale || fitted()) * factor)), px, py);
    }

    viewport.addEventListener("wheel", function (event) {
      if (!(event.ctrlKey || event.metaKey)) return;
      event.preventDefault();
      var box = viewport.getBoundingClientRect();
      by(event.deltaY < 0 ? STEP : 1 / STEP, event.clientX - box.left, event.clientY - box.top);
    }, { passive: false });

    var drag = null;
    viewport.addEventListener("pointerdown", function (event) {
      if (event.button !== 0 || !viewport.classList.contains("zoomed")) return;
      drag = { x: event.clientX, y: event.clientY, left: viewport.scrollLeft, top: viewport.scrollTop, moved: false };
    });
    viewport.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x, dy = event.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 5) return;
      if (!drag.moved) viewport.setPointerCapture(event.pointerId);
      drag.moved = true;
      viewport.classList.add("dragging");
      viewport.scrollLeft = drag.left - dx;
      viewport.scrollTop = drag.top - dy;
    });
    function end() {
      drag = null;
      viewport.classList.remove("dragging");
    }
    viewport.addEventListener("pointerup", end);
    viewport.addEventListener("pointercancel", end);

    return {
      zoomIn: function () { by(STEP); },
      zoomOut: function () { by(1 / STEP); },
      fit: function () { apply(0); },
      key: function (event) {
        if (event.key === "+" || event.key === "=") by(STEP);
        else if (event.key === "-" || event.key === "_") by(1 / STEP);
        else if (event.key === "0") apply(0);
        else return false;
        return true;
      }
    };
  };
})();
