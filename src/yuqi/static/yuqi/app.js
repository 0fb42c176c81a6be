// Yuqi page behaviour: draw ECharts charts declared in the markup, also after HTMX swaps.
(function () {
  "use strict";

  function locale() {
    var lang = document.documentElement.lang || "";
    return lang.indexOf("zh") === 0 ? "ZH" : "EN";
  }

  // <div class="chart" data-echarts><script type="application/json">{full ECharts option}
  // </script></div>: the option is built on the server (one source for chart and download).
  function drawOptionCharts(root) {
    root.querySelectorAll("[data-echarts]").forEach(function (el) {
      var dataEl = el.querySelector("script[type='application/json']");
      if (!dataEl) { return; }
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { locale: locale() });
      chart.setOption(JSON.parse(dataEl.textContent), true);
    });
  }

  function drawCharts(root) {
    if (!window.echarts) { return; }
    drawOptionCharts(root);
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var dataEl = el.querySelector("script[type='application/json']");
      if (!dataEl) { return; }
      var data = JSON.parse(dataEl.textContent);
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { locale: locale() });
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
    document.querySelectorAll("[data-chart], [data-echarts]").forEach(function (el) {
      var chart = window.echarts && echarts.getInstanceByDom(el);
      if (chart) { chart.resize(); }
    });
  });
})();
