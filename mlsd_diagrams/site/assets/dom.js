/* Small DOM helpers shared by the page's scripts (loaded first). */
(function () {
  "use strict";
  var M = (window.MLSD = window.MLSD || {});
  var SVG_NS = "http://www.w3.org/2000/svg";

  /* el("button", {type: "button", class: "x", onclick: f}, ["text", child]) */
  M.el = function (tag, attrs, children) {
    var node = tag.indexOf("svg:") === 0 ? document.createElementNS(SVG_NS, tag.slice(4)) : document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (typeof value === "function") node.addEventListener(name.replace(/^on/, ""), value);
      else if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : value);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  /* A CSS attribute selector value, quoted (ids are snake_case, but a user's spec is a user's spec). */
  M.q = function (value) {
    return '"' + String(value).replace(/["\\]/g, "\\$&") + '"';
  };

  /* A small seeded generator (mulberry32 over a string hash): the same seed gives the same quiz. */
  M.random = function (text) {
    var h = 1779033703 ^ text.length;
    for (var i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 3432918353);
      h = (h << 13) | (h >>> 19);
    }
    var a = h >>> 0;
    return function () {
      a = (a + 0x6d2b79f5) | 0;
      var t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  };
})();
