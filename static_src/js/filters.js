// Progressive enhancement of the search page's filters (templates/search/search.html).
// Without JavaScript the filters open from their summary and apply with a button. With it:
// on a wide screen the filters open as a side column; a change applies at once (the hint
// says so before the controls, WCAG 3.2.2); after the reload, focus goes back to the control
// that changed and the new count is read out.
(function () {
  "use strict";
  var form = document.querySelector("form[data-filters-form]");
  if (!form) return;
  var filters = form.querySelector("[data-filters]");
  var status = form.querySelector("[data-filters-status]");
  var KEY = "practice-exchange:changed-filter";
  // The width at which site.css puts the filters above the results, not beside them.
  var narrow = window.matchMedia("(max-width: 48rem)");
  var NAVIGATION_KEYS = ["ArrowUp", "ArrowDown", "Home", "End", "PageUp", "PageDown"];
  var browsing = null; // a select whose value the keyboard is moving through

  function openOnWideScreens() {
    if (filters && !narrow.matches) filters.open = true;
  }

  function apply(control) {
    var group = control.closest("[data-facet]");
    try {
      sessionStorage.setItem(KEY, JSON.stringify({
        id: control.id, facet: group ? group.getAttribute("data-facet") : ""
      }));
    } catch (e) { /* storage refused: the filter still applies, focus starts at the top */ }
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function openAround(element) {
    for (var node = element.parentElement; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") node.open = true;
    }
  }

  // After a filter applied at once: focus where the reader was, and say what changed.
  function restore() {
    var changed = null;
    try {
      changed = JSON.parse(sessionStorage.getItem(KEY) || "null");
      sessionStorage.removeItem(KEY);
    } catch (e) { return; }
    if (!changed) return;
    var group = changed.facet && form.querySelector("[data-facet='" + changed.facet + "'] > summary");
    // The value may be gone (nothing left to count): then its group, else the count.
    var target = document.getElementById(changed.id) || group || document.getElementById("result-count");
    if (!target) return;
    openAround(target);
    target.focus();
    var count = document.getElementById("result-count");
    if (status && count) {
      // Later than the page load, so that screen readers read it after the focused control.
      setTimeout(function () {
        status.textContent = "Filters applied: " + count.textContent.replace(/\s+/g, " ").trim() + ".";
      }, 600);
    }
  }

  openOnWideScreens();
  narrow.addEventListener("change", openOnWideScreens);
  form.querySelectorAll("[data-filters-apply]").forEach(function (button) { button.hidden = true; });
  form.querySelectorAll("[data-filters-at-once]").forEach(function (hint) { hint.hidden = false; });

  form.addEventListener("change", function (event) {
    var control = event.target;
    if (control.type === "checkbox") {
      apply(control);
    } else if (control.tagName === "SELECT") {
      // Arrow keys on a closed list change its value at each press: wait for Enter or for
      // the reader to leave it, rather than reloading the page at every option passed.
      if (browsing !== control) apply(control);
    }
  });
  form.addEventListener("keydown", function (event) {
    var control = event.target;
    if (control.tagName !== "SELECT") return;
    if (NAVIGATION_KEYS.indexOf(event.key) !== -1) {
      browsing = control;
      control.setAttribute("data-value-before", control.getAttribute("data-value-before") || control.value);
    } else if (event.key === "Enter" && browsing === control) {
      event.preventDefault();
      browsing = null;
      apply(control);
    }
  });
  form.addEventListener("focusout", function (event) {
    var control = event.target;
    if (control !== browsing) return;
    browsing = null;
    if (control.value !== control.getAttribute("data-value-before")) apply(control);
    control.removeAttribute("data-value-before");
  });
  form.addEventListener("pointerdown", function () { browsing = null; });

  restore();
})();
