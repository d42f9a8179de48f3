// The Teams tab's sign-in: initialise TeamsJS (served by the bot from static/vendor/teams-js),
// ask Teams for the single sign-on token and post it, with the page's nonce, to /dashboard/sso,
// which answers with the dashboard (or a Dutch refusal page). No inline scripts.
(function () {
  "use strict";
  var form = document.getElementById("teams-sso");
  var status = document.getElementById("teams-status");
  if (!form || !status) { return; }

  function fail(text) {
    status.textContent = text;
    status.className = "notice";
  }

  var teams = window.microsoftTeams;
  if (!teams || !teams.app || !teams.authentication) {
    fail("De Teams-koppeling kon niet worden geladen. Open het dashboard in uw browser.");
    return;
  }
  var waiting = window.setTimeout(function () {
    fail("Teams antwoordt niet. Deze pagina is bedoeld voor het tabblad in Teams; " +
      "buiten Teams opent u het dashboard in uw browser.");
  }, 20000);

  teams.app.initialize()
    .then(function () { return teams.authentication.getAuthToken(); })
    .then(function (token) {
      window.clearTimeout(waiting);
      form.elements.namedItem("token").value = token;
      form.submit();
    })
    .catch(function () {
      window.clearTimeout(waiting);
      fail("Aanmelden via Teams is niet gelukt. Open het dashboard in uw browser, " +
        "of probeer het later nog eens.");
    });
})();
