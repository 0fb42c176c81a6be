// Pareto charts: a click on a bar opens "create an action" for that bar. The addresses come
// from the server (a JSON list beside the chart, one per bar, in the bars' order).
(function () {
  "use strict";
  function wire() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-bar-links]").forEach(function (el) {
      var chart = echarts.getInstanceByDom(el);
      var list = document.getElementById(el.dataset.barLinks);
      if (!chart || !list || el.dataset.wired) { return; }
      var urls = JSON.parse(list.textContent);
      el.dataset.wired = "1";
      chart.on("click", function (params) {
        if (params.componentType === "series" && urls[params.dataIndex]) {
          window.location.assign(urls[params.dataIndex]);
        }
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { window.setTimeout(wire, 0); });
})();
