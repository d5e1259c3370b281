// The spine diagram on the procedure form: each vertebra toggles the matching level checkbox,
// with the mouse or with Space/Enter. The checkboxes stay the source of truth (and the fallback
// when scripts do not run); per-level detail fieldsets show for the chosen levels only.
(function () {
  "use strict";
  function sync(form) {
    form.querySelectorAll('input[name="levels"]').forEach(function (box) {
      var g = form.querySelector('.vertebra[data-level="' + box.value + '"]');
      if (g) {
        g.classList.toggle("treated", box.checked);
        g.setAttribute("aria-checked", box.checked ? "true" : "false");
      }
      var details = document.getElementById("level-" + box.value);
      if (details) { details.hidden = !box.checked; }
    });
  }
  function init() {
    var form = document.querySelector("form[data-spine-form]");
    if (!form) { return; }
    document.documentElement.classList.add("spine-js");
    form.querySelectorAll(".spine-interactive .vertebra").forEach(function (g) {
      var box = form.querySelector('input[name="levels"][value="' + g.dataset.level + '"]');
      function toggle() {
        box.checked = !box.checked;
        box.dispatchEvent(new Event("change", { bubbles: true }));
      }
      g.addEventListener("click", toggle);
      g.addEventListener("keydown", function (event) {
        if (event.key === " " || event.key === "Enter") { event.preventDefault(); toggle(); }
      });
    });
    form.addEventListener("change", function () { sync(form); });
    sync(form);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else { init(); }
})();
