// The statistics dashboard of the organization page: fetch the chart data, then draw it with
// Chart.js (vendored). A bar of the age and education charts opens the list behind it.
(function () {
  function draw(panel, data) {
    var locale = document.documentElement.lang || "vi";
    var colors = ["#b71c1c", "#e57373", "#f9a825", "#2e7d32", "#1565c0", "#6a1b9a", "#455a64"];
    function open(chart) {
      // a bar's list: its own link (admissions of a year) or the records of its metric key
      return function (event, elements) {
        if (!elements.length) return;
        var i = elements[0].index;
        window.location.href = chart.urls ? chart.urls[i]
          : data.records_url.replace("KEY", encodeURIComponent(chart.keys[i]));
      };
    }
    // Every chart counts people or events: its value axis starts at zero and steps by whole
    // numbers (Chart.js would put 0,5 between 0 and 1 for small counts).
    function counts(axis) {
      var scales = {};
      scales[axis] = {beginAtZero: true, ticks: {precision: 0}};
      return scales;
    }
    function bars(name, chart, vertical) {
      new window.Chart(panel.querySelector('[data-chart="' + name + '"]'), {
        type: "bar",
        data: {labels: chart.labels, datasets: [{data: chart.values, backgroundColor: colors[0]}]},
        options: {locale: locale, indexAxis: vertical ? "x" : "y", animation: false,
                  scales: counts(vertical ? "y" : "x"),
                  plugins: {legend: {display: false}},
                  onClick: open(chart)}
      });
    }
    bars("age", data.age, true);
    bars("education", data.education, false);
    bars("admissions", data.admissions, true);
    new window.Chart(panel.querySelector('[data-chart="status"]'), {
      type: "line",
      data: {labels: data.status.labels, datasets: data.status.series.map(function (s, i) {
        return {label: s.label, data: s.values, borderColor: colors[i * 4], backgroundColor: colors[i * 4]};
      })},
      options: {locale: locale, animation: false, scales: counts("y"),
                plugins: {legend: {position: "bottom"}}}
    });
  }

  // A chart a process registered (chibo.core.registry.DashboardChart): lines or bars of one
  // or more series over the same labels; a point with a link opens the records behind it.
  function drawRegistered(canvas, data) {
    var locale = document.documentElement.lang || "vi";
    var colors = ["#b71c1c", "#1565c0", "#2e7d32", "#f9a825", "#6a1b9a", "#455a64"];
    var scales = {y: data.percent ? {min: 0, max: 100, ticks: {callback: function (v) { return v + " %"; }}}
                                  : {beginAtZero: true, ticks: {precision: 0}}};
    new window.Chart(canvas, {
      type: data.kind === "bars" ? "bar" : "line",
      data: {labels: data.labels, datasets: data.series.map(function (s, i) {
        return {label: s.label, data: s.values, borderColor: colors[i % colors.length],
                backgroundColor: colors[i % colors.length], spanGaps: false};
      })},
      options: {locale: locale, animation: false, scales: scales,
                plugins: {legend: {position: "bottom"}},
                onClick: function (event, elements) {
                  if (!elements.length) return;
                  var series = data.series[elements[0].datasetIndex];
                  var url = series.urls && series.urls[elements[0].index];
                  if (url) window.location.href = url;
                }}
    });
    canvas.dataset.loaded = "1";
  }

  function fetchJson(url) {
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      });
  }

  function load() {
    var panel = document.getElementById("stats-dashboard");
    if (!panel || !window.Chart) return;
    var status = panel.querySelector("[data-dashboard-status]");
    fetchJson(panel.dataset.url)
      .then(function (data) { draw(panel, data); status.remove(); panel.dataset.loaded = "1"; })
      .catch(function () { status.textContent = panel.dataset.failed || "×"; });
    panel.querySelectorAll("canvas[data-chart-url]").forEach(function (canvas) {
      fetchJson(canvas.dataset.chartUrl)
        .then(function (data) { drawRegistered(canvas, data); })
        .catch(function () {
          canvas.insertAdjacentText("afterend", panel.dataset.failed || "×");
        });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
