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

// Main navigation: each task group is a menu. Hover and keyboard focus open it through CSS
// alone; here a click (or Enter/Space) pins it open, Escape closes it and returns focus to its
// button, arrow keys move between the group buttons and the menu's links, and a click
// elsewhere closes every menu. aria-expanded follows the open state.
(function () {
  "use strict";

  function groups() { return Array.prototype.slice.call(document.querySelectorAll(".navgroup")); }

  function setOpen(group, open) {
    group.classList.toggle("open", open);
    group.classList.toggle("closed", !open && group.contains(document.activeElement));
    var button = group.querySelector(".navgroup-toggle");
    if (button) { button.setAttribute("aria-expanded", open ? "true" : "false"); }
  }

  function closeAll(except) {
    groups().forEach(function (g) { if (g !== except) { setOpen(g, false); g.classList.remove("closed"); } });
  }

  function links(group) {
    return Array.prototype.slice.call(group.querySelectorAll(".navmenu a, .navmenu button"));
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".navgroup-toggle");
    if (button) {
      var group = button.parentElement;
      var open = !group.classList.contains("open");
      closeAll(group);
      setOpen(group, open);
      return;
    }
    if (!(event.target.closest && event.target.closest(".navgroup"))) { closeAll(null); }
  });

  document.addEventListener("keydown", function (event) {
    var group = event.target.closest && event.target.closest(".navgroup");
    if (!group) { return; }
    var all = groups();
    var index = all.indexOf(group);
    var items = links(group);
    var at = items.indexOf(event.target);
    if (event.key === "Escape") {
      setOpen(group, false);
      group.classList.add("closed");
      group.querySelector(".navgroup-toggle").focus();
      event.preventDefault();
    } else if (event.key === "ArrowDown") {
      group.classList.remove("closed");
      setOpen(group, true);
      if (items.length) { items[Math.min(at + 1, items.length - 1)].focus(); }
      event.preventDefault();
    } else if (event.key === "ArrowUp" && at >= 0) {
      if (at === 0) { group.querySelector(".navgroup-toggle").focus(); } else { items[at - 1].focus(); }
      event.preventDefault();
    } else if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && all.length) {
      var next = all[(index + (event.key === "ArrowRight" ? 1 : all.length - 1)) % all.length];
      closeAll(next);
      next.querySelector(".navgroup-toggle").focus();
      event.preventDefault();
    }
  });

  // A menu closed with Escape opens again on the next hover or focus of its group.
  document.addEventListener("mouseover", function (event) {
    var group = event.target.closest && event.target.closest(".navgroup");
    if (group && !group.contains(event.relatedTarget)) { group.classList.remove("closed"); }
  });
  document.addEventListener("focusin", function (event) {
    var group = event.target.closest && event.target.closest(".navgroup");
    groups().forEach(function (g) {
      if (g !== group) { setOpen(g, false); g.classList.remove("closed"); }
    });
  });
})();
