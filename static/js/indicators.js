// Charts of the indicators dashboard, built from the JSON in each canvas's data-chart attribute.
// The same numbers are in the table under each chart, so the page is complete without JavaScript.
(function () {
  "use strict";

  var COLOURS = ["#a3181c", "#1f4aa8", "#1e7b34", "#8a5a00", "#6b3fa0"];
  var TARGET_COLOUR = "#1d1d1f";
  var locale = document.documentElement.lang || "vi";

  function formatNumber(value, percent) {
    if (value === null || value === undefined) {
      return "—";
    }
    var text = Number(value).toLocaleString(locale, {maximumFractionDigits: 1});
    return percent ? text + "%" : text;
  }

  // Draws the target as a dashed line across the whole plot (the line dataset alone stops at the outer bars).
  var targetLine = {
    id: "targetLine",
    afterDatasetsDraw: function (chart, args, pluginOptions) {
      if (!pluginOptions || pluginOptions.value === undefined || pluginOptions.value === null) {
        return;
      }
      var area = chart.chartArea;
      var y = chart.scales.y.getPixelForValue(pluginOptions.value);
      var context = chart.ctx;
      context.save();
      context.strokeStyle = TARGET_COLOUR;
      context.lineWidth = 2;
      context.setLineDash([6, 4]);
      context.beginPath();
      context.moveTo(area.left, y);
      context.lineTo(area.right, y);
      context.stroke();
      context.restore();
    }
  };

  function datasets(spec) {
    var result = spec.series.map(function (series, index) {
      return {
        type: "bar",
        label: series.label,
        data: series.data,
        backgroundColor: COLOURS[index % COLOURS.length],
        pointStyle: "rect",
        order: 2
      };
    });
    if (spec.target) {
      // The 40% minimum as a dashed horizontal line across the categories.
      result.push({
        type: "line",
        label: spec.target.label,
        data: spec.labels.map(function () { return spec.target.value; }),
        borderColor: TARGET_COLOUR,
        backgroundColor: TARGET_COLOUR,
        borderDash: [6, 4],
        borderWidth: 2,
        pointRadius: 0,
        pointStyle: "line",
        fill: false,
        order: 1
      });
    }
    return result;
  }

  function options(spec) {
    var percent = Boolean(spec.percent);
    var valueAxis = {
      beginAtZero: true,
      ticks: {
        precision: 0,
        callback: function (value) { return formatNumber(value, percent); }
      }
    };
    if (percent) {
      valueAxis.max = 100;
    }
    var scales = spec.horizontal ? {x: valueAxis} : {y: valueAxis};
    return {
      indexAxis: spec.horizontal ? "y" : "x",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: scales,
      plugins: {
        legend: {
          position: "bottom",
          display: spec.series.length > 1 || Boolean(spec.target),
          labels: {usePointStyle: true}
        },
        targetLine: spec.target ? {value: spec.target.value} : false,
        tooltip: {
          callbacks: {
            label: function (context) {
              var value = spec.horizontal ? context.parsed.x : context.parsed.y;
              return context.dataset.label + ": " + formatNumber(value, percent);
            }
          }
        }
      }
    };
  }

  function build(canvas) {
    var spec = JSON.parse(canvas.getAttribute("data-chart"));
    return new window.Chart(canvas, {
      type: "bar",
      data: {labels: spec.labels, datasets: datasets(spec)},
      options: options(spec),
      plugins: [targetLine]
    });
  }

  if (!window.Chart) {
    return;  // the tables carry the numbers
  }
  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), build);
})();
