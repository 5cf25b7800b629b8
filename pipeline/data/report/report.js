/* The declarations report's only script: the search box of the index and the filters of the
   document pages. Loaded as a file (the Content-Security-Policy allows scripts from the report's
   own folder only, and no inline script or event handler). No library, no network. */
"use strict";

var DeclarationsReport = (function () {
  var documents = [];  // [doc_id, href, [[sentence_id, text, folded], ...]] from the shards

  function fold(text) {  // case and diacritics aside: "Kroatië" is found by "kroatie"
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function addSentences(docs) {
    docs.forEach(function (d) {
      d[2].forEach(function (s) { s.push(fold(s[1])); });
      documents.push(d);
    });
  }

  // --- search over every sentence (index page) ----------------------------------------------

  function loadShards(box, done) {
    var shards = (box.getAttribute("data-shards") || "").split(" ").filter(Boolean);
    var left = shards.length;
    if (!left) { done(); return; }
    shards.forEach(function (src) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = script.onerror = function () { if (--left === 0) done(); };
      document.head.appendChild(script);
    });
  }

  function marked(text, folded, term) {
    // the text with every occurrence of term as <mark class="hit">; positions from the folded
    // text, which has the same length as long as no character decomposes into two letters
    var out = document.createDocumentFragment();
    var at = 0, i = folded.indexOf(term);
    if (folded.length !== text.length) { out.appendChild(document.createTextNode(text)); return out; }
    while (i >= 0) {
      out.appendChild(document.createTextNode(text.slice(at, i)));
      var hit = document.createElement("mark");
      hit.className = "hit";
      hit.textContent = text.slice(i, i + term.length);
      out.appendChild(hit);
      at = i + term.length;
      i = folded.indexOf(term, at);
    }
    out.appendChild(document.createTextNode(text.slice(at)));
    return out;
  }

  function search(box, list, status) {
    var term = fold(box.value.trim());
    var limit = parseInt(list.getAttribute("data-limit") || "200", 10);
    list.textContent = "";
    if (term.length < 2) { status.textContent = "Type two letters or more."; return; }
    var hits = 0, docsHit = 0;
    documents.forEach(function (d) {
      var before = hits;
      d[2].forEach(function (s) {
        if (s[2].indexOf(term) < 0) return;
        hits++;
        if (hits > limit) return;
        var li = document.createElement("li");
        var where = document.createElement("a");
        where.className = "where";
        where.href = d[1] + "#s-" + s[0];
        where.textContent = d[0] + " " + s[0];
        li.appendChild(where);
        li.appendChild(marked(s[1], s[2], term));
        list.appendChild(li);
      });
      if (hits > before) docsHit++;
    });
    status.textContent = hits + " sentence(s) in " + docsHit + " document(s)" +
      (hits > limit ? "; the first " + limit + " are shown" : "");
  }

  function setUpSearch(box) {
    var list = document.getElementById(box.getAttribute("data-hits"));
    var status = document.getElementById(box.getAttribute("data-status"));
    var state = "unloaded", timer = null;
    function run() {
      if (state === "loaded") { search(box, list, status); return; }
      if (state === "loading") return;
      state = "loading";
      status.textContent = "Loading the sentences…";
      loadShards(box, function () { state = "loaded"; search(box, list, status); });
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
  }

  // --- filters (document pages) -------------------------------------------------------------

  function setUpFilters(panel) {
    var items = Array.prototype.slice.call(document.querySelectorAll(".filterable"));
    var segments = Array.prototype.slice.call(document.querySelectorAll("li.seg")).reverse();
    var range = panel.querySelector("input[type=range]");
    var shownLine = panel.querySelector(".shown");

    function selected() {
      var facets = {};
      panel.querySelectorAll(".facet[data-facet]").forEach(function (facet) {
        var on = [];
        facet.querySelectorAll("button.chip[aria-pressed=true]").forEach(function (b) {
          on.push(b.getAttribute("data-value"));
        });
        if (on.length) facets[facet.getAttribute("data-facet")] = on;
      });
      return facets;
    }

    function apply() {
      var facets = selected();
      var minimum = range ? parseFloat(range.value) : 0;
      var active = Object.keys(facets).length > 0 || minimum > 0;
      var counts = {};
      items.forEach(function (el) {
        var show = Object.keys(facets).every(function (name) {
          var values = (el.getAttribute("data-" + name) || "").split(" ");
          return facets[name].some(function (v) { return values.indexOf(v) >= 0; });
        });
        var confidence = el.getAttribute("data-confidence");
        if (show && minimum > 0 && confidence !== null && confidence !== "") {
          show = parseFloat(confidence) >= minimum;
        }
        el.hidden = !show;
        var kind = el.getAttribute("data-kind");
        counts[kind] = counts[kind] || [0, 0];
        counts[kind][1]++;
        if (show) counts[kind][0]++;
      });
      segments.forEach(function (li) {  // deepest first: a point stays while a bullet shows
        li.hidden = active && !li.querySelector(".sentence:not([hidden])");
      });
      if (range) panel.querySelector("output").textContent = minimum.toFixed(2);
      if (shownLine) {
        shownLine.textContent = "shown: " + Object.keys(counts).sort().map(function (k) {
          return counts[k][0] + " of " + counts[k][1] + " " + k;
        }).join(", ");
      }
    }

    panel.querySelectorAll("button.chip").forEach(function (b) {
      b.addEventListener("click", function () {
        b.setAttribute("aria-pressed", b.getAttribute("aria-pressed") === "true" ? "false" : "true");
        apply();
      });
    });
    if (range) range.addEventListener("input", apply);
    var reset = panel.querySelector("button.reset");
    if (reset) {
      reset.addEventListener("click", function () {
        panel.querySelectorAll("button.chip").forEach(function (b) {
          b.setAttribute("aria-pressed", "false");
        });
        if (range) range.value = 0;
        apply();
      });
    }
    apply();
  }

  function start() {
    var box = document.getElementById("search");
    if (box) setUpSearch(box);
    var panel = document.querySelector(".filters");
    if (panel) setUpFilters(panel);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  return { addSentences: addSentences };
})();
