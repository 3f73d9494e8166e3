/* Draws each chart of the corpus report from its JSON block; the data is never read as HTML or code. */
(function () {
  "use strict";
  if (typeof window.Plotly === "undefined") {
    return;
  }
  var config = { displayModeBar: false, displaylogo: false, responsive: true, showTips: false };
  var blocks = document.querySelectorAll('script.figure[type="application/json"]');
  Array.prototype.forEach.call(blocks, function (block) {
    var target = document.getElementById(block.getAttribute("data-target"));
    if (!target) {
      return;
    }
    var figure;
    try {
      figure = JSON.parse(block.textContent);
    } catch (error) {
      target.textContent = "This chart could not be read; the table below has its numbers.";
      return;
    }
    window.Plotly.newPlot(target, figure.data || [], figure.layout || {}, config).then(function () {
      target.classList.add("drawn");
    });
  });
})();
