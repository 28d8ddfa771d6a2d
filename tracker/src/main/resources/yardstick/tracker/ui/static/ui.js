// The history UI's small behaviours; pages work without it, only less conveniently.
"use strict";
document.addEventListener("click", function (e) {
  var button = e.target.closest("button.expand");
  if (!button) return;
  var open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  button.textContent = (open ? "\u25BE " : "\u25B8 ") + button.textContent.slice(2);
  toggle(button.dataset.run, open);
});

/** Shows or hides the rows nested under a run; hiding also hides their own nested rows. */
function toggle(runId, open) {
  document.querySelectorAll("#runs tr[data-parent]").forEach(function (row) {
    if (row.dataset.parent !== runId) return;
    row.hidden = !open;
    var inner = row.querySelector("button.expand");
    if (!open && inner && inner.getAttribute("aria-expanded") === "true") {
      inner.setAttribute("aria-expanded", "false");
      inner.textContent = "\u25B8 " + inner.textContent.slice(2);
      toggle(row.dataset.run, false);
    }
  });
}

// Compare page: show only the rows whose values differ.
document.addEventListener("change", function (e) {
  if (e.target.id !== "only-diff") return;
  document.querySelectorAll("#compare-values tr[data-key]").forEach(function (row) {
    row.hidden = e.target.checked && !row.classList.contains("diff") && !row.classList.contains("differs");
  });
});

// Links in MLflow's own form (/#/experiments/E/runs/R, as the magics print them) open the same page here.
(function () {
  var m = /^#\/experiments\/([^/?#]+)(?:\/runs\/([^/?#]+))?/.exec(location.hash);
  if (location.pathname === "/" && m) {
    location.replace(m[2] ? "/runs/" + m[2] : "/experiments/" + m[1]);
  }
})();
