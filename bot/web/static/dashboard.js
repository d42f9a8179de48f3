// Refreshes the figures of the open page: every few seconds (data-seconds on <main>) it fetches
// the page's JSON (data-refresh) and writes each figure into the element with the same
// data-figure name. No inline scripts, nothing from elsewhere; the page works without it.
(function () {
  "use strict";
  var main = document.querySelector("main[data-refresh]");
  if (!main) { return; }
  var url = main.getAttribute("data-refresh");
  var seconds = Math.max(5, parseInt(main.getAttribute("data-seconds"), 10) || 30);
  var status = document.querySelector("[data-updated]");

  function say(text) { if (status) { status.textContent = text; } }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          say("Uw sessie is verlopen. Laad de pagina opnieuw om u aan te melden.");
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (!data || !data.figures) { return; }
        Object.keys(data.figures).forEach(function (name) {
          document.querySelectorAll('[data-figure="' + name + '"]').forEach(function (el) {
            el.textContent = data.figures[name];
          });
        });
        var now = new Date();
        say("Bijgewerkt om " + now.toLocaleTimeString("nl-NL", { hour: "2-digit", minute: "2-digit", second: "2-digit" }) + ".");
        window.setTimeout(refresh, seconds * 1000);
      })
      .catch(function () {
        say("Bijwerken lukt even niet; het volgende moment probeer ik het opnieuw.");
        window.setTimeout(refresh, seconds * 1000);
      });
  }
  window.setTimeout(refresh, seconds * 1000);
}());
