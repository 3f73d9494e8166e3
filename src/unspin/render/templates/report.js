(function () {
  "use strict";
  var doc = document, body = doc.body;
  var article = doc.getElementById("article");
  var panel = doc.getElementById("details");
  var out = doc.getElementById("details-body");
  var hint = doc.getElementById("details-hint");
  if (!article || !panel || !out) { return; }

  function off(mark) {
    return body.classList.contains("off" + mark.getAttribute("data-k"));
  }
  function spansAt(el) {
    var ids = [];
    for (var n = el; n && n !== article; n = n.parentElement) {
      if (n.classList && n.classList.contains("hl") && !off(n)) { ids.push(n.getAttribute("data-i")); }
    }
    return ids.reverse();
  }
  function clearActive() {
    article.querySelectorAll(".hl.active").forEach(function (e) { e.classList.remove("active"); });
  }
  function show(ids, preview) {
    if (!ids.length) { return; }
    panel.classList.toggle("preview", !!preview);
    clearActive();
    var nodes = [];
    ids.forEach(function (i) {
      var entry = doc.getElementById("sp-" + i);
      if (!entry) { return; }
      var copy = entry.querySelector(".entry").cloneNode(true);
      copy.querySelectorAll("[id]").forEach(function (x) { x.removeAttribute("id"); });
      nodes.push(copy);
      article.querySelectorAll('.hl[data-i="' + i + '"]').forEach(function (e) { e.classList.add("active"); });
    });
    out.replaceChildren.apply(out, nodes);
    if (hint) { hint.hidden = true; }
    panel.classList.add("open");
    panel.setAttribute("data-shown", ids.join(" "));
    if (!preview && panel.scrollIntoView) { panel.scrollIntoView({block: "nearest"}); }
  }
  function close() {
    pinned = false;
    clearActive();
    out.replaceChildren();
    if (hint) { hint.hidden = false; }
    panel.classList.remove("open");
    panel.removeAttribute("data-shown");
  }
  function flash(s, e) {
    article.querySelectorAll("[data-o]").forEach(function (n) {
      var o = +n.getAttribute("data-o");
      if (o >= s && o < e) {
        n.classList.remove("flash");
        void n.offsetWidth;
        n.classList.add("flash");
      }
    });
  }

  var pinned = false;
  article.addEventListener("click", function (ev) {
    var mark = ev.target.closest ? ev.target.closest(".hl") : null;
    if (mark) { pinned = true; show(spansAt(ev.target)); }
  });
  article.addEventListener("mouseover", function (ev) {
    if (pinned || !ev.target.closest) { return; }
    var mark = ev.target.closest(".hl");
    if (mark) { show(spansAt(ev.target), true); }
  });
  article.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if ((ev.key === "Enter" || ev.key === " ") && t.classList && t.classList.contains("hl")) {
      ev.preventDefault();
      var inner = t;
      while (inner.firstElementChild && inner.firstElementChild.classList.contains("hl")) { inner = inner.firstElementChild; }
      pinned = true;
      show(spansAt(inner));
    }
  });
  var cursor = {};
  doc.querySelectorAll("button[data-next]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var k = btn.getAttribute("data-next");
      var marks = article.querySelectorAll(".hl.t" + k + "[tabindex]");
      if (!marks.length) { return; }
      var box = doc.querySelector("input[data-k='" + k + "']");
      if (box && !box.checked) { box.checked = true; body.classList.remove("off" + k); }
      cursor[k] = ((cursor[k] === undefined ? -1 : cursor[k]) + 1) % marks.length;
      var mark = marks[cursor[k]];
      mark.scrollIntoView({block: "center"});
      mark.focus({preventScroll: true});
      pinned = true;
      show([mark.getAttribute("data-i")]);
      btn.setAttribute("aria-label", "Occurrence " + (cursor[k] + 1) + " of " + marks.length + "; next");
    });
  });
  doc.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape" && panel.classList.contains("open")) { close(); }
  });
  var closer = doc.getElementById("details-close");
  if (closer) { closer.addEventListener("click", close); }

  doc.querySelectorAll("input[data-k]").forEach(function (box) {
    box.addEventListener("change", function () {
      body.classList.toggle("off" + box.getAttribute("data-k"), !box.checked);
    });
  });
  function setAll(on) {
    doc.querySelectorAll("input[data-k]").forEach(function (box) {
      box.checked = on;
      body.classList.toggle("off" + box.getAttribute("data-k"), !on);
    });
  }
  var all = doc.getElementById("show-all"), none = doc.getElementById("show-none");
  if (all) { all.addEventListener("click", function () { setAll(true); }); }
  if (none) { none.addEventListener("click", function () { setAll(false); }); }

  doc.querySelectorAll("input[data-layer]").forEach(function (box) {
    var cls = box.getAttribute("data-layer");
    var apply = function () {
      if (cls === "no-shade") { body.classList.toggle(cls, !box.checked); }
      else { body.classList.toggle(cls, box.checked); }
    };
    box.addEventListener("change", apply);
    apply();
  });

  doc.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a.jump") : null;
    if (!link) { return; }
    var s = +link.getAttribute("data-s"), e = +link.getAttribute("data-e");
    setTimeout(function () { flash(s, e); }, 30);
  });
  // folded lists print unfolded: a printed report shows every finding
  window.addEventListener("beforeprint", function () {
    doc.querySelectorAll("details:not([open])").forEach(function (d) {
      d.setAttribute("open", "");
      d.setAttribute("data-print-opened", "");
    });
  });
  window.addEventListener("afterprint", function () {
    doc.querySelectorAll("details[data-print-opened]").forEach(function (d) {
      d.removeAttribute("open");
      d.removeAttribute("data-print-opened");
    });
  });
  body.classList.add("js");
})();
