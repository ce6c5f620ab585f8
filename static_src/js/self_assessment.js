// The self-assessment (templates/self_assessment/). Progressive enhancement only: both
// pages work without it. On the form with errors, focus goes to the error summary; on the
// result, "Print this page" stands in for the note about the browser's Print, and "Copy
// link" copies the shareable link.
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  var note = document.querySelector("[data-print-note]");
  if (note && typeof window.print === "function") {
    var print = document.createElement("button");
    print.type = "button";
    print.className = "button--secondary";
    print.textContent = "Print this page";
    print.addEventListener("click", function () { window.print(); });
    note.parentNode.insertBefore(print, note);
    note.hidden = true;
  }

  var link = document.querySelector("[data-copy-link]");
  if (link) {
    var copy = document.createElement("button");
    var status = document.createElement("p");
    copy.type = "button";
    copy.className = "button--secondary";
    copy.textContent = "Copy link";
    status.className = "hint sa-copy-status";
    status.setAttribute("role", "status");
    link.parentNode.appendChild(copy);
    link.parentNode.parentNode.appendChild(status);

    function selected() {
      link.focus();
      link.select();
      status.textContent = "The link is selected: copy it with Ctrl+C (⌘C on a Mac).";
    }
    link.addEventListener("focus", function () { link.select(); });
    copy.addEventListener("click", function () {
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(link.value).then(function () {
          status.textContent = "Link copied.";
        }, selected);
      } else {
        selected();
      }
    });
  }
})();
