// Yuqi page behaviour: draw ECharts charts declared in the markup, also after HTMX swaps.
(function () {
  "use strict";

  function drawCharts(root) {
    if (!window.echarts) { return; }
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var dataEl = el.querySelector("script[type='application/json']");
      if (!dataEl) { return; }
      var data = JSON.parse(dataEl.textContent);
      var lang = document.documentElement.lang && document.documentElement.lang.indexOf("zh") === 0 ? "ZH" : "EN";
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { locale: lang });
      chart.setOption({
        title: { text: el.dataset.chartTitle || "", left: 8, top: 4, textStyle: { fontSize: 13 } },
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 16, top: 40, bottom: 28 },
        xAxis: { type: "category", data: data.days },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ name: el.dataset.chartSeries || "", type: el.dataset.chart, data: data.counts,
                   itemStyle: { color: "#0b6e4f" } }]
      }, true);
    });
  }

  document.addEventListener("DOMContentLoaded", function () { drawCharts(document); });
  document.addEventListener("htmx:afterSwap", function (event) { drawCharts(event.target); });
  window.addEventListener("resize", function () {
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = window.echarts && echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });
})();
