// Yuqi page behaviour: draw ECharts charts declared in the markup, also after HTMX swaps.
(function () {
  "use strict";

  function locale() {
    var lang = document.documentElement.lang || "";
    return lang.indexOf("zh") === 0 ? "ZH" : "EN";
  }

  // The Content-Security-Policy allows no inline style attribute. ECharts' HTML tooltips are
  // markup with style attributes, so tooltips are drawn on the canvas ("richText") instead.
  function canvasTooltips(option) {
    var tips = option.tooltip;
    (Array.isArray(tips) ? tips : tips ? [tips] : []).forEach(function (tip) {
      if (!tip.renderMode) { tip.renderMode = "richText"; }
    });
    return option;
  }

  // A chart's height comes from data-height (pixels): set through the CSSOM, which the CSP
  // allows, where a style="" attribute would be refused.
  function chartFor(el) {
    if (el.dataset.height && !el.style.height) { el.style.height = el.dataset.height + "px"; }
    return echarts.getInstanceByDom(el) || echarts.init(el, null, { locale: locale() });
  }

  // <div class="chart" data-echarts><script type="application/json">{full ECharts option}
  // </script></div>: the option is built on the server (one source for chart and download).
  function drawOptionCharts(root) {
    root.querySelectorAll("[data-echarts]").forEach(function (el) {
      var dataEl = el.querySelector("script[type='application/json']");
      if (!dataEl) { return; }
      chartFor(el).setOption(canvasTooltips(JSON.parse(dataEl.textContent)), true);
    });
  }

  function drawCharts(root) {
    if (!window.echarts) { return; }
    drawOptionCharts(root);
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      var dataEl = el.querySelector("script[type='application/json']");
      if (!dataEl) { return; }
      var data = JSON.parse(dataEl.textContent);
      chartFor(el).setOption({
        title: { text: el.dataset.chartTitle || "", left: 8, top: 4, textStyle: { fontSize: 13 } },
        tooltip: { trigger: "axis", renderMode: "richText" },
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
