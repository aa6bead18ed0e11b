// refugee-stats: what Streamlit's plotly charts cannot be told from Python (see ui/a11y.py).
//
// 1. Each chart (role="figure", aria-label from st.plotly_chart's alt=) gets aria-describedby
//    pointing at its long description: the element with id "describe-KEY", where KEY is the
//    chart's element key (class st-key-KEY on its container).
// 2. Each chart's modebar gets an SVG download button beside plotly's camera (PNG): it asks the
//    camera for SVG once (plotly reads toImageButtonOptions when clicked). Both buttons are
//    titled in the page's language.
// Streamlit re-renders charts (a rerun, a language switch): a MutationObserver applies both
// again. The script holds no data; its titles come from the data-* attributes of the last
// .chart-a11y element. Written without markup in strings: Streamlit's sanitizer drops a script
// whose text looks like markup.
(function () {
  var PREFIX = "st-key-";
  // An arrow down into a tray: a download (filled, as plotly's modebar colours icons by fill).
  var ICON = "M10 3h2v9.2l3.3-3.3 1.4 1.4-5.7 5.7-5.7-5.7 1.4-1.4 3.3 3.3z M3 16h2v3h12v-3h2v5H3z";

  function settings() {
    var boxes = document.querySelectorAll(".chart-a11y");
    var last = boxes[boxes.length - 1];
    return {
      svg: last ? last.getAttribute("data-svg-title") : "SVG",
      png: last ? last.getAttribute("data-png-title") : "PNG",
    };
  }

  function keyOf(box) {
    var names = Array.prototype.filter.call(box.classList, function (c) { return c.indexOf(PREFIX) === 0; });
    return names.length ? names[0].slice(PREFIX.length) : null;
  }

  function svgButton(gd, camera, title) {
    // A copy of the camera button (plotly's classes, tooltip and icon colour), with its own
    // icon, title and click.
    var button = camera.cloneNode(true);
    button.classList.add("refugee-stats-svg");
    button.removeAttribute("data-btn-style-event-added");
    button.setAttribute("data-title", title);
    button.setAttribute("aria-label", title);
    var icon = button.querySelector("svg");
    var path = button.querySelector("path");
    if (icon && path) {
      icon.setAttribute("viewBox", "0 0 22 22");
      path.setAttribute("d", ICON);
      path.removeAttribute("transform");  // plotly's icons are font glyphs, drawn upside down
    }
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var options = gd._context.toImageButtonOptions || {};
      gd._context.toImageButtonOptions = Object.assign({}, options, {format: "svg"});
      try { camera.click(); } finally { gd._context.toImageButtonOptions = options; }
    });
    return button;
  }

  function camera(gd) {
    var bar = gd && gd._fullLayout && gd._fullLayout._modeBar;
    if (!bar || !bar.buttonsNames) return null;
    return bar.buttonElements[bar.buttonsNames.indexOf("toImage")] || null;
  }

  function apply() {
    var s = settings();
    document.querySelectorAll('[data-testid="stElementContainer"]').forEach(function (box) {
      var chart = box.querySelector('[data-testid="stPlotlyChart"]');
      if (!chart) return;
      var key = keyOf(box);
      var text = key && document.getElementById("describe-" + key);
      if (text && chart.getAttribute("aria-describedby") !== text.id) {
        chart.setAttribute("aria-describedby", text.id);
      }
      var gd = chart.querySelector(".js-plotly-plot");
      var cam = camera(gd);
      if (!cam || !cam.parentNode) return;
      if (cam.getAttribute("aria-label") !== s.png) {  // the camera's title in the page's language
        cam.setAttribute("data-title", s.png);
        cam.setAttribute("aria-label", s.png);
      }
      var mine = cam.parentNode.querySelector(".refugee-stats-svg");
      if (mine && mine.getAttribute("data-title") === s.svg) return;
      if (mine) mine.remove();
      cam.insertAdjacentElement("afterend", svgButton(gd, cam, s.svg));
    });
  }

  window.refugeeStatsCharts = apply;
  if (!window.refugeeStatsChartsObserver) {
    var pending = false;
    window.refugeeStatsChartsObserver = new MutationObserver(function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; apply(); });
    });
    window.refugeeStatsChartsObserver.observe(document.body, {childList: true, subtree: true});
  }
  apply();
})();
