// The Outstanding rule's answer before saving, on the admin's case study form
// (CaseStudyPageForm in knowledgebase/case_studies.py renders the answer for the form as it
// loads, as the provider's and key questions' help text). When the provider or the key
// questions change, ask the admin's outstanding-rule endpoint again (the rule is the
// server's, Provider.outstanding_rule_error: it is not written a second time here) and
// show its answer. Without JavaScript, saving gives the same answer as an error.
(function () {
  "use strict";

  function start() {
    var answers = document.querySelectorAll(".outstanding-rule-answer[data-rule-url]");
    if (!answers.length) return;
    var form = answers[0].closest("form");
    if (!form) return;
    var url = answers[0].getAttribute("data-rule-url");
    // The server's words for "choose a provider first", when the form opened without one.
    var noProviderText = answers[0].getAttribute("data-meets-rule") === ""
      ? answers[0].textContent : null;
    var latest = 0; // an answer that arrives after a newer question is dropped

    function show(message, meets) {
      answers.forEach(function (answer) {
        answer.textContent = message;
        answer.setAttribute("data-meets-rule", meets);
      });
    }

    function ask() {
      var provider = form.elements.namedItem("provider");
      var providerId = provider ? provider.value : "";
      var asked = ++latest;
      if (!providerId) {
        if (noProviderText) show(noProviderText, "");
        return;
      }
      var query = new URLSearchParams({ provider: providerId });
      form.querySelectorAll('input[name="key_questions"]:checked').forEach(function (box) {
        query.append("key_questions", box.value);
      });
      fetch(url + "?" + query.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && asked === latest) show(data.message, data.meets_rule ? "yes" : "no");
        })
        .catch(function () { /* unreachable: saving still checks the rule */ });
    }

    form.addEventListener("change", function (event) {
      var name = event.target && event.target.name;
      if (name === "provider" || name === "key_questions") ask();
    });
  }

  // The admin loads a form's Media in the page's head, before the form exists.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
