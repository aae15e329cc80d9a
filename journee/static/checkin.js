/* Check-in page: progressive enhancement of forms that work without JavaScript.
 *
 * - search as you type: the results list is fetched from the same view as a fragment;
 * - one tap marks present without reloading (the form is posted with fetch; on any
 *   failure the form is submitted the ordinary way);
 * - the counts are refreshed every 10 seconds;
 * - a badge scanner with the camera where the browser has BarcodeDetector.
 */
(function () {
  "use strict";

  var COUNTS_EVERY_MS = 10000;
  var SEARCH_DELAY_MS = 250;
  var SCAN_EVERY_MS = 250;

  function canScan() {
    return "BarcodeDetector" in window && !!navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === "function";
  }

  /* The badge page: offer to scan the next badge when the desk can scan. */
  var next = document.getElementById("scanner-suivant");
  if (next && canScan()) {
    next.hidden = false;
  }

  var root = document.querySelector("[data-checkin]");
  if (!root || !window.fetch) {
    return;
  }
  var searchForm = root.querySelector("form[role=search]");
  var input = searchForm.querySelector("input[name=q]");
  var results = document.getElementById("resultats");
  var summary = document.getElementById("resultats-statut");
  var message = document.getElementById("accueil-message");

  function say(text, isError) {
    message.textContent = text;
    message.classList.toggle("is-error", !!isError);
  }

  /* Search as you type ------------------------------------------------------------ */

  var timer = null;
  var pending = null;

  function showResults(html) {
    results.innerHTML = html;
    var fragment = results.querySelector("[data-summary]");
    summary.textContent = fragment ? fragment.getAttribute("data-summary") : "";
  }

  /* Fetch the results for the typed text; ``fallback``: on failure, submit the form
     the ordinary way (the « Chercher » button), rather than only saying so. */
  function search(fallback) {
    var query = input.value.trim();
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    var url = root.dataset.resultsUrl + "?q=" + encodeURIComponent(query);
    return fetch(url, {signal: pending.signal, credentials: "same-origin",
                       headers: {"Accept": "text/html"}})
      .then(function (response) {
        if (response.redirected) {
          // Signed out meanwhile: reload, the login page brings the person back.
          window.location.reload();
          return;
        }
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text().then(function (html) {
          showResults(html);
          var address = new URL(window.location.href);
          if (query) {
            address.searchParams.set("q", query);
          } else {
            address.searchParams.delete("q");
          }
          window.history.replaceState(null, "", address.toString());
        });
      })
      .catch(function (error) {
        if (error.name === "AbortError") {
          return;
        }
        if (fallback === true) {
          searchForm.submit();
        } else {
          say("La recherche n’a pas abouti\u202f: vérifiez la connexion, puis appuyez sur «\u202fChercher\u202f».", true);
        }
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { search(false); }, SEARCH_DELAY_MS);
  });
  searchForm.addEventListener("submit", function (event) {
    event.preventDefault();
    window.clearTimeout(timer);
    search(true);
  });

  /* Marking present without reload ----------------------------------------------- */

  results.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-checkin-action]")) {
      return;
    }
    event.preventDefault();
    var button = form.querySelector("button");
    if (button.disabled) {
      return;
    }
    button.disabled = true;
    fetch(form.action, {method: "POST", body: new FormData(form), credentials: "same-origin",
                        headers: {"Accept": "application/json"}})
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          throw new Error("HTTP " + response.status);
        }
        return response.json().then(function (answer) {
          say(answer.message, !answer.ok);
          updateCounts(answer.counts);
          var people = Array.prototype.slice.call(results.querySelectorAll(".checkin-person"));
          var position = people.indexOf(form.closest(".checkin-person"));
          return search(false).then(function () { refocus(position); });
        });
      })
      .catch(function () {
        // Expired session or token, network trouble: the ordinary form knows what to do.
        button.disabled = false;
        form.submit();
      });
  });

  /* Keep the keyboard where it was: on the same person's new button. */
  function refocus(position) {
    var person = results.querySelectorAll(".checkin-person")[position];
    var target = person && person.querySelector("button");
    (target || input).focus();
  }

  /* Live counts -------------------------------------------------------------------- */

  function setText(selector, value) {
    var element = root.querySelector(selector);
    if (element && element.textContent !== String(value)) {
      element.textContent = value;
    }
  }

  function updateCounts(counts) {
    if (!counts) {
      return;
    }
    setText("[data-count=present]", counts.present);
    setText("[data-count=expected]", counts.expected);
    counts.slots.forEach(function (slot) {
      slot.workshops.forEach(function (workshop) {
        setText("[data-workshop-present='" + workshop.id + "']", workshop.present);
        setText("[data-workshop-members='" + workshop.id + "']", workshop.members);
      });
    });
  }

  function refreshCounts() {
    if (document.hidden) {
      return;
    }
    fetch(root.dataset.countsUrl, {credentials: "same-origin",
                                   headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(updateCounts)
      .catch(function () { /* the next round will try again */ });
  }

  window.setInterval(refreshCounts, COUNTS_EVERY_MS);
  document.addEventListener("visibilitychange", refreshCounts);

  /* Badge scanner ------------------------------------------------------------------ */

  var open = document.getElementById("scanner-ouvrir");
  var panel = document.getElementById("scanner");
  var close = document.getElementById("scanner-fermer");
  var frame = document.getElementById("scanner-image");
  var video = null;
  var scanStatus = document.getElementById("scanner-message");
  var stream = null;
  var scanTimer = null;

  /* The check-in address of a scanned text, on this site, or null. */
  function badgeTarget(text) {
    var prefix = root.dataset.badgePrefix;
    var address;
    try {
      address = new URL(text, window.location.href);
    } catch (error) {
      return null;
    }
    var code = address.pathname.slice(prefix.length);
    if (address.pathname.indexOf(prefix) !== 0 || !code || code.indexOf("/") !== -1) {
      return null;
    }
    return window.location.origin + address.pathname;
  }

  function stopScanner() {
    window.clearTimeout(scanTimer);
    if (stream) {
      stream.getTracks().forEach(function (track) { track.stop(); });
      stream = null;
    }
    if (video) {
      video.srcObject = null;
      video.remove();
      video = null;
    }
    panel.hidden = true;
    open.hidden = false;
    open.focus();
  }

  function startScanner() {
    var detector;
    try {
      detector = new window.BarcodeDetector({formats: ["qr_code"]});
    } catch (error) {
      say("Ce navigateur ne sait pas lire les QR codes\u202f: utilisez l’appareil photo du téléphone ou la recherche.", true);
      return;
    }
    // Made here, not in the page: without the script a video element has no use.
    video = document.createElement("video");
    video.muted = true;
    video.setAttribute("playsinline", "");
    video.setAttribute("aria-label", "Image de la caméra");
    frame.appendChild(video);
    panel.hidden = false;
    open.hidden = true;
    scanStatus.textContent = "Ouverture de la caméra…";
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}, audio: false})
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      })
      .then(function () {
        scanStatus.textContent = "Caméra ouverte\u202f: visez le QR code du badge.";
        close.focus();
        scan(detector);
      })
      .catch(function () {
        stopScanner();
        say("La caméra n’est pas accessible\u202f: autorisez-la dans le navigateur, ou cherchez la personne par son nom.", true);
      });
  }

  function scan(detector) {
    if (!stream) {
      return;
    }
    detector.detect(video)
      .then(function (codes) {
        for (var i = 0; i < codes.length; i += 1) {
          var target = badgeTarget(codes[i].rawValue);
          if (target) {
            scanStatus.textContent = "Badge lu\u202f: ouverture de la fiche…";
            stopScanner();
            window.location.assign(target);
            return;
          }
        }
        if (codes.length) {
          scanStatus.textContent = "Ce QR code n’est pas un badge de cette journée.";
        }
        scanTimer = window.setTimeout(function () { scan(detector); }, SCAN_EVERY_MS);
      })
      .catch(function () {
        scanTimer = window.setTimeout(function () { scan(detector); }, SCAN_EVERY_MS);
      });
  }

  if (open && canScan()) {
    open.hidden = false;
    open.addEventListener("click", startScanner);
    close.addEventListener("click", stopScanner);
    if (new URL(window.location.href).searchParams.get("scanner") === "1") {
      startScanner();
    }
  }
}());
