/* Check-in at the door (events/checkin.html). The page works without this file: every form
   posts and comes back with the outcome. This adds:
   - the camera: the rear camera's frames drawn to a canvas and decoded with jsQR (vendored);
     a code found is sent to the scan endpoint, the outcome shown in a big coloured panel, then
     scanning resumes after a pause; the same code is never sent twice within REPEAT_MS;
   - the typed code and the "Điểm danh" buttons of the search list answer in place, through
     the same endpoint, so the camera keeps running;
   - the counter, refreshed after every answer and every POLL_MS while the page is in view.
   Every text comes from the page (#checkin-strings), translated on the server. */
(function () {
  "use strict";

  var PAUSE_MS = 1500; // after an answer, before the camera looks again
  var REPEAT_MS = 3000; // the same code within this is the same person still in front of the camera
  var DECODE_EVERY_MS = 150; // a phone need not decode every frame
  var MAX_SIDE = 720; // frames are scaled down to this before decoding
  var POLL_MS = 20000;
  var FADE_MS = 6000;
  var CAMERA_KEY = "ketnoi-checkin-camera";

  var root = document.getElementById("checkin");
  if (!root || !window.fetch || !window.JSON) return;
  var strings = JSON.parse(document.getElementById("checkin-strings").textContent);
  var scanUrl = root.getAttribute("data-scan-url");
  var csrfToken = root.querySelector("input[name=csrfmiddlewaretoken]").value;
  var panel = document.getElementById("checkin-result");
  var panelText = document.getElementById("checkin-result-text");
  var counter = document.getElementById("checkin-counter");
  var fadeTimer = null;

  // The outcome --------------------------------------------------------------------------------

  function show(result, message) {
    panel.className = "checkin-result checkin-result-" + result;
    panelText.textContent = message;
    panel.hidden = false;
    panel.setAttribute("data-result", result);
    clearTimeout(fadeTimer);
    fadeTimer = setTimeout(function () { panel.classList.add("checkin-result-old"); }, FADE_MS);
  }

  function updateCounter(data) {
    if (!data || typeof data.present !== "number" || typeof data.confirmed !== "number") return;
    counter.textContent = strings.counter
      .replace("%(present)s", String(data.present))
      .replace("%(confirmed)s", String(data.confirmed));
  }

  function readJson(response) {
    var type = response.headers.get("Content-Type") || "";
    // A lapsed session is a redirect to the login page, a lapsed CSRF token a 403 page: HTML.
    if (response.redirected || type.indexOf("application/json") !== 0) throw new Error("session");
    return response.json();
  }

  function request(method, body) {
    var options = {
      method: method,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken },
    };
    if (body) {
      options.headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(body);
    }
    return fetch(scanUrl, options).then(readJson);
  }

  // Resolves to the answer, or null when there was none to show.
  function send(body) {
    return request("POST", body).then(
      function (data) {
        updateCounter(data);
        show(data.result === "checked_in" || data.result === "already" ? data.result : "refused", data.message);
        return data;
      },
      function (error) {
        show("refused", error && error.message === "session" ? strings.session : strings.network);
        return null;
      }
    );
  }

  // The typed code (or a hand-held scanner typing it, with Enter) ------------------------------

  var codeForm = document.getElementById("code-form");
  var codeInput = document.getElementById("checkin-code");
  codeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var payload = codeInput.value.trim();
    if (!payload) return;
    codeInput.value = "";
    send({ payload: payload }).then(function () { codeInput.focus(); });
  });

  // The search list's buttons -----------------------------------------------------------------

  Array.prototype.forEach.call(document.querySelectorAll("form[data-registration]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var button = form.querySelector("button");
      button.disabled = true;
      send({ registration: Number(form.getAttribute("data-registration")) }).then(function (data) {
        if (!data || (data.result !== "checked_in" && data.result !== "already")) {
          button.disabled = false;
          return;
        }
        var row = form.closest(".checkin-row");
        var badge = row.querySelector("[data-status]");
        badge.textContent = strings.attended;
        badge.className = "badge badge-ok";
        var when = document.createElement("small");
        when.className = "muted";
        when.textContent = strings.checkedInAt.replace("%(time)s", data.at);
        badge.parentNode.appendChild(when);
        form.remove();
      });
    });
  });

  // The counter of a page left open while others check people in ------------------------------

  setInterval(function () {
    if (document.visibilityState !== "visible") return;
    request("GET").then(updateCounter, function () {});
  }, POLL_MS);

  // The camera --------------------------------------------------------------------------------

  var box = document.getElementById("checkin-camera");
  var video = document.getElementById("checkin-video");
  var startButton = document.getElementById("camera-start");
  var stopButton = document.getElementById("camera-stop");
  var cameraMessage = document.getElementById("camera-message");
  var canvas = document.createElement("canvas");
  var context = null;
  var stream = null;
  var timer = null;
  var busy = false;
  var pausedUntil = 0;
  var lastPayload = null;
  var lastSentAt = 0;

  function noCamera(message) {
    stopCamera();
    cameraMessage.textContent = message;
    cameraMessage.hidden = false;
    startButton.hidden = true;
  }

  function cameraPossible() {
    if (typeof window.jsQR !== "function") return strings.noCamera;
    if (!window.isSecureContext) return strings.needsHttps;
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return strings.noCamera;
    return "";
  }

  function startCamera() {
    var problem = cameraPossible();
    if (problem) return noCamera(problem);
    startButton.disabled = true;
    navigator.mediaDevices
      .getUserMedia({ audio: false, video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } } })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      })
      .then(function () {
        box.hidden = false;
        startButton.hidden = true;
        startButton.disabled = false;
        stopButton.hidden = false;
        cameraMessage.hidden = true;
        try { sessionStorage.setItem(CAMERA_KEY, "1"); } catch (e) { /* private mode: ask again next time */ }
        schedule();
      })
      .catch(function (error) {
        startButton.disabled = false;
        var denied = error && (error.name === "NotAllowedError" || error.name === "SecurityError");
        noCamera(denied ? strings.cameraDenied : strings.noCamera);
      });
  }

  function stopCamera() {
    clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.srcObject = null;
    box.hidden = true;
    stopButton.hidden = true;
  }

  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(look, DECODE_EVERY_MS);
  }

  function look() {
    if (!stream) return;
    if (!busy && Date.now() >= pausedUntil && video.readyState >= 2 && video.videoWidth) {
      var scale = Math.min(1, MAX_SIDE / Math.max(video.videoWidth, video.videoHeight));
      var width = Math.round(video.videoWidth * scale);
      var height = Math.round(video.videoHeight * scale);
      if (canvas.width !== width || canvas.height !== height) {
        canvas.width = width;
        canvas.height = height;
      }
      context = context || canvas.getContext("2d", { willReadFrequently: true });
      context.drawImage(video, 0, 0, width, height);
      var image = context.getImageData(0, 0, width, height);
      var code = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
      if (code && code.data) found(code.data.trim());
    }
    schedule();
  }

  function found(payload) {
    var now = Date.now();
    if (!payload || (payload === lastPayload && now - lastSentAt < REPEAT_MS)) return;
    lastPayload = payload;
    lastSentAt = now;
    busy = true;
    if (navigator.vibrate) navigator.vibrate(60);
    send({ payload: payload }).then(function () {
      busy = false;
      lastSentAt = Date.now();
      pausedUntil = lastSentAt + PAUSE_MS;
    });
  }

  var problem = cameraPossible();
  if (problem) {
    noCamera(problem);
  } else {
    startButton.hidden = false;
    startButton.addEventListener("click", startCamera);
    stopButton.addEventListener("click", function () {
      stopCamera();
      startButton.hidden = false;
      try { sessionStorage.removeItem(CAMERA_KEY); } catch (e) { /* nothing to forget */ }
    });
    // Back on the page after a form was sent: the camera was on, so turn it on again.
    var wasOn = false;
    try { wasOn = sessionStorage.getItem(CAMERA_KEY) === "1"; } catch (e) { /* no storage */ }
    if (wasOn) startCamera();
    window.addEventListener("pagehide", stopCamera);
    window.addEventListener("pageshow", function (event) {
      if (event.persisted && wasOn && !stream) startCamera();
    });
  }
})();
