/* Suggestions for the search boxes of core/suggestions.py: as a person types in an input with
   `data-suggest`, its <datalist> is filled from that address (?q=...). Without this script the
   box is a plain text search, matched on the server. */
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var typed = input.value.trim();
        if (!typed || typed === asked || !list) return;
        asked = typed;
        fetch(input.getAttribute("data-suggest") + "?q=" + encodeURIComponent(typed), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.textContent = "";
            (data.suggestions || []).forEach(function (label) {
              var option = document.createElement("option");
              option.value = label;
              list.appendChild(option);
            });
          })
          .catch(function () {});
      }, 200);
    });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
