// Charts over the dashboard tables (progressive enhancement): every chart draws the table
// named by its data-table, which stays on the page and works without JavaScript.
//   <div data-chart data-table="ID" [data-horizontal]>
//   <th data-series="key" data-type="bar|line" [data-axis="1"] [data-unit="%"]>Title</th>
//   <tr [data-label="..."]><th scope="row">Label</th> … <td data-value="12.5">…</td>
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "vi").slice(0, 2);
  var fmt = new Intl.NumberFormat(lang === "en" ? "en-GB" : "vi-VN", { maximumFractionDigits: 1 });

  function read(table) {
    var heads = Array.prototype.slice.call(table.querySelectorAll("thead th[data-series]"));
    var headRow = table.querySelector("thead tr");
    var columns = heads.map(function (th) {
      return Array.prototype.indexOf.call(headRow.children, th);
    });
    var labels = [];
    var data = heads.map(function () { return []; });
    Array.prototype.forEach.call(table.tBodies[0].rows, function (tr) {
      var first = tr.querySelector("th[scope=row]");
      if (!first) return;
      labels.push(tr.dataset.label || first.textContent.trim());
      columns.forEach(function (c, i) {
        var cell = tr.children[c];
        var v = cell && cell.dataset.value;
        data[i].push(v === undefined || v === "" ? null : Number(v));
      });
    });
    return { heads: heads, labels: labels, data: data };
  }

  function draw(el) {
    var table = document.getElementById(el.dataset.table);
    if (!table || !window.echarts) return;
    var t = read(table);
    if (!t.labels.length) { el.hidden = true; return; }
    var horizontal = el.hasAttribute("data-horizontal");
    var twoAxes = t.heads.some(function (th) { return th.dataset.axis === "1"; });
    var category = { type: "category", data: t.labels, axisLabel: { interval: 0, width: 160, overflow: "truncate" } };
    if (!horizontal && t.labels.length > 6) category.axisLabel.rotate = 30;
    var values = [{ type: "value", axisLabel: { formatter: function (v) { return fmt.format(v); } } }];
    if (twoAxes) values.push({ type: "value", min: 0, max: 100, axisLabel: { formatter: "{value} %" } });
    var percentOnly = t.heads.every(function (th) { return th.dataset.unit === "%"; });
    if (percentOnly) { values[0].min = 0; values[0].max = 100; values[0].axisLabel = { formatter: "{value} %" }; }
    var series = t.heads.map(function (th, i) {
      var unit = th.dataset.unit === "%" ? " %" : "";
      var s = {
        name: th.textContent.trim(),
        type: th.dataset.type || "bar",
        data: t.data[i],
        tooltip: { valueFormatter: function (v) { return v == null ? "—" : fmt.format(v) + unit; } }
      };
      if (th.dataset.axis === "1") s.yAxisIndex = 1;
      if (s.type === "line") { s.connectNulls = false; s.symbolSize = 8; s.showSymbol = true; s.z = 5; }
      return s;
    });
    if (horizontal) el.style.height = Math.max(260, 28 * t.labels.length + 80) + "px";
    var chart = window.echarts.init(el, null, { locale: lang === "vi" ? "VI" : "EN", renderer: "svg" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 16, right: twoAxes ? 48 : 16, top: 36, bottom: 8, containLabel: true },
      xAxis: horizontal ? values[0] : category,
      yAxis: horizontal ? Object.assign({}, category, { inverse: true }) : values,
      series: series
    });
    el.dataset.drawn = "1";
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
