// Advocate's only script: htmx does the rest. When a nudge is marked done ("nudge-done", sent
// by the server in HX-Trigger), load the quick-log prefilled for that person and kind, so
// logging what the student just did takes one tap. Without it, the nudge's own "Log what you
// did" link does the same with a page load.
document.addEventListener("nudge-done", function (event) {
  var url = event.detail && event.detail.quickLogUrl;
  if (!url || !window.htmx || !document.getElementById("quick-log")) return;
  htmx.ajax("GET", url, { target: "#quick-log", swap: "outerHTML" }).then(function () {
    var heading = document.getElementById("quick-log-heading");
    if (!heading) return;
    var calm = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    heading.scrollIntoView({ behavior: calm ? "auto" : "smooth", block: "start" });
    heading.focus({ preventScroll: true });
  });
});
