/* The respondent page (surveys/respond.html): shows and hides questions by their relevance as
 * answers change, checks answers as the server will (ketnoi/surveys/definition.py,
 * check_answers), keeps a draft in localStorage as the respondent types, and sends the answers
 * through a queue kept in localStorage: each submission gets a UUID made here and is resent,
 * with growing pauses, on page load and when the network comes back, until the server answers
 * 200 or 201. The server stores a UUID once, so resending is always safe.
 *
 * On the pages that say a collection cannot be answered (respond_state.html) only the queue
 * runs, so a submission made earlier still reaches the server or gets its answer.
 *
 * Plain ES2017, no framework. Needs expressions.js (KetNoiExpressions) on the form page.
 */
(function () {
  "use strict";

  var E = window.KetNoiExpressions;
  var root = document.getElementById("survey");
  var messages = readJson("survey-messages") || {};
  var lang = (root && root.getAttribute("data-lang")) || document.documentElement.lang || "vi";
  var MAX_TEXT = 5000;
  var OTHER = "other";
  var ANSWERED = ["text", "long_text", "integer", "decimal", "date", "select_one", "select_multiple", "rating"];

  // The checks on their own, for the tests that compare them with the server's.
  window.KetNoiRespond = { check: check };
  if (!root) return;

  var definition = readJson("survey-definition");
  var form = document.getElementById("survey-form");
  var token = root.getAttribute("data-token");
  var version = parseInt(root.getAttribute("data-version") || "", 10) || null;
  var submitUrl = root.getAttribute("data-submit-url");
  var csrf = root.getAttribute("data-csrf") || "";
  var KEY = "ketnoi.surveys.";
  var QUEUE_KEY = KEY + "queue." + token;
  var SENT_KEY = KEY + "sent." + token;
  var DRAFT_PREFIX = KEY + "draft." + token + ".";
  var DRAFT_KEY = DRAFT_PREFIX + "v" + version;

  var status = document.getElementById("survey-status");
  var panels = {
    pending: document.getElementById("survey-pending"),
    thanks: document.getElementById("survey-thanks"),
    refused: document.getElementById("survey-refused")
  };

  var touched = {}; // answer keys the respondent has left (change event)
  var submitted = false; // after a first try to send, every problem shows
  var serverErrors = {}; // from a 400, until the respondent edits that answer
  var sending = false;
  var attempt = 0;
  var timer = null;
  var warnedStorage = false;

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function readJson(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    try {
      return JSON.parse(element.textContent);
    } catch (error) {
      return null;
    }
  }

  // Storage: localStorage, or memory when the browser refuses (private mode, full disk) ---------

  var memory = {};
  var store = {
    get: function (key) {
      try {
        var text = window.localStorage.getItem(key);
        if (text !== null) return JSON.parse(text);
      } catch (error) {
        /* fall through to memory */
      }
      return has(memory, key) ? memory[key] : null;
    },
    set: function (key, value) {
      memory[key] = value;
      try {
        window.localStorage.setItem(key, JSON.stringify(value));
      } catch (error) {
        if (!warnedStorage && messages.storage) {
          warnedStorage = true;
          showStatus(messages.storage, "warning");
        }
      }
    },
    remove: function (key) {
      delete memory[key];
      try {
        window.localStorage.removeItem(key);
      } catch (error) {
        /* nothing kept */
      }
    },
    keys: function (prefix) {
      var found = [];
      try {
        for (var i = 0; i < window.localStorage.length; i++) {
          var key = window.localStorage.key(i);
          if (key && key.indexOf(prefix) === 0) found.push(key);
        }
      } catch (error) {
        /* none */
      }
      return found;
    }
  };

  // The definition ---------------------------------------------------------------------------

  function label(value) {
    if (typeof value === "string") return value;
    if (!value || typeof value !== "object") return "";
    if (value[lang]) return value[lang];
    if (value.vi) return value.vi;
    for (var key in value) if (has(value, key) && value[key]) return value[key];
    return "";
  }

  function answerNames(question) {
    if (question.type === "matrix") {
      return (question.items || []).map(function (item) {
        return item.name;
      });
    }
    if (ANSWERED.indexOf(question.type) >= 0) {
      return question.or_other ? [question.name, question.name + "_" + OTHER] : [question.name];
    }
    return [];
  }

  function choiceNames(question) {
    var names = (question.choices || []).map(function (choice) {
      return choice.name;
    });
    if (question.or_other && names.indexOf(OTHER) < 0) names.push(OTHER);
    return names;
  }

  function isBlank(value) {
    return (
      value === undefined ||
      value === null ||
      (typeof value === "string" && strip(value) === "") ||
      (Array.isArray(value) && value.length === 0)
    );
  }

  // Python's str.strip(), which the server applies (JS trim() knows other spaces).
  function strip(text) {
    return E && E.strip ? E.strip(text) : text.trim();
  }

  function validDate(text) {
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) || text.slice(0, 4) === "0000") return false;
    var day = new Date(text + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
  }

  // The stored form of one answer, as definition._clean_value gives it: {value} or {error}.
  function cleanValue(question, key, value) {
    var kind = question.type;
    if (key !== question.name && key === question.name + "_" + OTHER) kind = "text";
    if (kind === "text" || kind === "long_text") {
      if (typeof value !== "string") return { error: messages.invalid };
      value = strip(value);
      if (Array.from(value).length > MAX_TEXT) return { error: messages.too_long };
      return { value: value };
    }
    if (kind === "integer") {
      var whole = strip(String(value));
      if (!/^-?[0-9]{1,15}$/.test(whole)) return { error: messages.integer };
      return { value: parseInt(whole, 10) };
    }
    if (kind === "decimal") {
      var text = strip(String(value)).replace(/,/g, ".");
      var number = Number(text);
      if (!/^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text) || !isFinite(number) || Math.abs(number) >= 1e15) {
        return { error: messages.number };
      }
      return { value: number };
    }
    if (kind === "date") {
      var day = strip(String(value));
      return validDate(day) ? { value: day } : { error: messages.date };
    }
    if (kind === "select_one") {
      return choiceNames(question).indexOf(value) >= 0 ? { value: value } : { error: messages.choice };
    }
    if (kind === "select_multiple") {
      var parts = Array.isArray(value) ? value.map(String) : String(value).split(/\s+/);
      var allowed = choiceNames(question);
      for (var i = 0; i < parts.length; i++) {
        if (parts[i] && allowed.indexOf(parts[i]) < 0) return { error: messages.choice };
      }
      var ordered = allowed.filter(function (name) {
        return parts.indexOf(name) >= 0;
      });
      return { value: ordered.join(" ") };
    }
    if (kind === "rating" || kind === "matrix") {
      var scale = question.scale || {};
      // As Python's int(): a string must be a whole number ("4", not "4.0" or "1e0").
      if (typeof value === "string" && !/^[+-]?[0-9]+$/.test(strip(value))) return { error: messages.invalid };
      var point = Number(typeof value === "string" ? strip(value) : value);
      var low = scale.min === undefined ? 1 : scale.min;
      var high = scale.max === undefined ? 5 : scale.max;
      if (typeof value === "boolean" || !Number.isInteger(point) || point < low || point > high) {
        return { error: messages.invalid };
      }
      return { value: point };
    }
    return { error: messages.invalid };
  }

  function holds(source, answers, current) {
    try {
      return E.holds(source || "", answers, { current: current === undefined ? "" : current });
    } catch (error) {
      return true; // the server refuses unreadable rules when the form is saved
    }
  }

  /* What definition.check_answers decides, in the same order: which questions show, the
   * answers as they will be stored, and what is wrong {key: {message, required}}. */
  function check(definition, raw) {
    var cleaned = {};
    var errors = {};
    var shown = {};
    function fail(key, message, required) {
      errors[key] = { message: message, required: !!required };
    }
    function visit(questions, parentRelevant) {
      questions.forEach(function (question) {
        var relevant = parentRelevant && holds(question.relevant, cleaned);
        shown[question.name] = relevant;
        if (question.type === "group") {
          visit(question.children || [], relevant);
          return;
        }
        if (!relevant) return;
        var keys = answerNames(question);
        var own = question.type === "matrix" ? keys : keys.length ? [question.name] : [];
        own.forEach(function (key) {
          var value = raw[key];
          if (isBlank(value)) {
            if (question.required) fail(key, messages.required, true);
            return;
          }
          var result = cleanValue(question, key, value);
          if (has(result, "error")) {
            fail(key, result.error);
            return;
          }
          cleaned[key] = result.value;
          if (question.constraint && !holds(question.constraint, cleaned, cleaned[key])) {
            fail(key, label(question.constraint_message) || messages.invalid);
            delete cleaned[key];
          }
        });
        var otherKey = question.name + "_" + OTHER;
        if (question.or_other && (question.type === "select_one" || question.type === "select_multiple")) {
          var choseOther = String(has(cleaned, question.name) ? cleaned[question.name] : "")
            .split(/\s+/)
            .indexOf(OTHER) >= 0;
          if (choseOther && isBlank(raw[otherKey])) {
            fail(otherKey, messages.other, true);
          } else if (choseOther) {
            var other = cleanValue(question, otherKey, raw[otherKey]);
            if (has(other, "error")) fail(otherKey, other.error);
            else cleaned[otherKey] = other.value;
          }
        }
      });
    }
    visit(definition.questions || [], true);
    return { cleaned: cleaned, errors: errors, shown: shown };
  }

  // The form ---------------------------------------------------------------------------------

  function each(selector, action) {
    Array.prototype.forEach.call(root.querySelectorAll(selector), action);
  }

  function readRaw() {
    var raw = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || element.tagName === "BUTTON") return;
      if (element.type === "radio") {
        if (element.checked) raw[name] = element.value;
      } else if (element.type === "checkbox") {
        if (!has(raw, name)) raw[name] = [];
        if (element.checked) raw[name].push(element.value);
      } else if (element.value !== "") {
        raw[name] = element.value;
      }
    });
    return raw;
  }

  function fill(raw) {
    Array.prototype.forEach.call(form.elements, function (element) {
      var name = element.name;
      if (!name || element.tagName === "BUTTON" || !has(raw, name)) return;
      var value = raw[name];
      if (element.type === "radio") element.checked = String(value) === element.value;
      else if (element.type === "checkbox") element.checked = Array.isArray(value) && value.indexOf(element.value) >= 0;
      else element.value = String(value);
    });
  }

  function chosen(raw, name, choice) {
    var value = raw[name];
    return Array.isArray(value) ? value.indexOf(choice) >= 0 : value === choice;
  }

  // Show what check() found: relevance, "other" boxes, and the problems worth showing now.
  function refresh() {
    var raw = readRaw();
    var result = check(definition, raw);
    each("[data-q]", function (element) {
      var name = element.getAttribute("data-q");
      element.hidden = has(result.shown, name) ? !result.shown[name] : element.hidden;
    });
    each("[data-other-for]", function (element) {
      element.hidden = !chosen(raw, element.getAttribute("data-other-for"), OTHER);
    });
    each("[data-error-for]", function (element) {
      var key = element.getAttribute("data-error-for");
      var error = result.errors[key];
      var message = "";
      if (has(serverErrors, key)) message = serverErrors[key];
      else if (error && (submitted || (touched[key] && !error.required))) message = error.message;
      element.textContent = message;
      element.hidden = !message;
      var box = element.closest(".matrix-item") || element.closest(".other") || element.closest(".q");
      if (box) box.classList.toggle("invalid", !!message);
      Array.prototype.forEach.call(form.querySelectorAll('[name="' + key + '"]'), function (input) {
        if (message) input.setAttribute("aria-invalid", "true");
        else input.removeAttribute("aria-invalid");
      });
    });
    return result;
  }

  function focusFirstProblem() {
    var first = root.querySelector(".q-error:not([hidden])");
    if (!first) return;
    var box = first.closest(".matrix-item") || first.closest(".other") || first.closest(".q");
    if (box && box.scrollIntoView) box.scrollIntoView({ block: "center" });
    var input = box && box.querySelector("input, textarea, select");
    if (input) input.focus({ preventScroll: true });
  }

  function saveDraft() {
    store.set(DRAFT_KEY, { saved: Date.now(), answers: readRaw() });
  }

  function restoreDraft() {
    var current = store.get(DRAFT_KEY);
    var draft = current;
    store.keys(DRAFT_PREFIX).forEach(function (key) {
      if (key === DRAFT_KEY) return;
      // A draft of the form before it changed: without a newer one, keep what still fits.
      var older = store.get(key);
      if (!current && older && (!draft || (older.saved || 0) > (draft.saved || 0))) draft = older;
      store.remove(key);
    });
    if (!draft || !draft.answers) return false;
    fill(draft.answers);
    if (!current) saveDraft();
    return true;
  }

  // What the page shows --------------------------------------------------------------------------

  function showStatus(text, kind) {
    if (!status) return;
    status.textContent = text || "";
    status.className = "status" + (kind ? " status-" + kind : "");
    status.hidden = !text;
  }

  function show(names) {
    if (form) form.hidden = names.indexOf("form") < 0;
    Object.keys(panels).forEach(function (name) {
      if (panels[name]) panels[name].hidden = names.indexOf(name) < 0;
    });
  }

  function focusPanel(name) {
    var panel = panels[name];
    if (!panel) return;
    if (panel.scrollIntoView) panel.scrollIntoView({ block: "start" });
    panel.focus({ preventScroll: true });
  }

  function showPending(text) {
    if (!form) {
      showStatus(text);
      return;
    }
    var pendingText = document.getElementById("survey-pending-text");
    if (pendingText) pendingText.textContent = text;
    showStatus("");
    show(["pending"]);
  }

  // The queue of submissions --------------------------------------------------------------------

  function loadQueue() {
    var queue = store.get(QUEUE_KEY);
    return Array.isArray(queue) ? queue : [];
  }

  function drop(item) {
    var rest = loadQueue().filter(function (other) {
      return other.uuid !== item.uuid;
    });
    if (rest.length) store.set(QUEUE_KEY, rest);
    else store.remove(QUEUE_KEY);
  }

  function newUuid() {
    var cryptoApi = window.crypto || window.msCrypto;
    if (cryptoApi && typeof cryptoApi.randomUUID === "function") return cryptoApi.randomUUID();
    var bytes = new Uint8Array(16);
    if (cryptoApi && cryptoApi.getRandomValues) cryptoApi.getRandomValues(bytes);
    else for (var i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    var hex = Array.prototype.map
      .call(bytes, function (byte) {
        return (byte + 0x100).toString(16).slice(1);
      })
      .join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function retryLater(networkFailed) {
    attempt += 1;
    var pause = Math.min(60000, 1000 * Math.pow(2, Math.min(attempt - 1, 6))) * (0.75 + Math.random() * 0.5);
    showPending(networkFailed || navigator.onLine === false ? messages.offline : messages.retrying);
    clearTimeout(timer);
    timer = setTimeout(flush, pause);
  }

  function flush() {
    if (sending) return;
    clearTimeout(timer);
    timer = null;
    var queue = loadQueue();
    if (!queue.length) return;
    if (navigator.onLine === false) {
      // "Offline" is reliable where "online" is not: wait for the online event (or the next
      // retry) instead of a request that cannot leave the phone.
      retryLater(true);
      return;
    }
    var item = queue[0];
    sending = true;
    var headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (csrf) headers["X-CSRFToken"] = csrf;
    fetch(submitUrl, {
      method: "POST",
      headers: headers,
      body: JSON.stringify({ uuid: item.uuid, answers: item.answers, version: item.version }),
      credentials: "same-origin",
      cache: "no-store"
    })
      .then(function (response) {
        return response.text().then(function (text) {
          var data = {};
          try {
            data = JSON.parse(text) || {};
          } catch (error) {
            /* not JSON: an error page from a proxy or the CSRF check */
          }
          return { status: response.status, data: data };
        });
      })
      .then(
        function (reply) {
          sending = false;
          settle(item, reply);
        },
        function () {
          sending = false;
          retryLater(true);
        }
      );
  }

  function settle(item, reply) {
    var code = reply.status;
    if (code === 200 || code === 201) {
      drop(item);
      attempt = 0;
      if (loadQueue().length) flush();
      else sent();
      return;
    }
    if (code === 400) {
      drop(item);
      serverErrors = {};
      var errors = reply.data.errors || {};
      var unplaced = [];
      Object.keys(errors).forEach(function (key) {
        var text = [].concat(errors[key]).join(" ");
        if (form && form.querySelector('[data-error-for="' + key + '"]')) serverErrors[key] = text;
        else unplaced.push(text);
      });
      if (reply.data.detail) unplaced.push(reply.data.detail);
      if (!form) {
        showStatus(unplaced.join(" ") || messages.refused, "error");
        return;
      }
      show(["form"]);
      showStatus([messages.server_errors].concat(unplaced).join(" "), "error");
      submitted = true;
      refresh();
      focusFirstProblem();
      return;
    }
    if (code === 403 || code === 404 || code === 409 || code === 410) {
      // Resending would get the same answer: keep the draft, say why, stop.
      drop(item);
      refuse(reply.data.detail || messages.refused, code);
      if (loadQueue().length) flush();
      return;
    }
    retryLater(false); // 5xx, 429, a proxy's error: try again later
  }

  function refuse(text, code) {
    if (!form) {
      showStatus(text, "error");
      return;
    }
    var refusedText = document.getElementById("survey-refused-text");
    if (refusedText) refusedText.textContent = text;
    show(code === 410 ? ["refused"] : ["refused", "form"]);
    focusPanel("refused");
  }

  function sent() {
    store.remove(DRAFT_KEY);
    if (!form) {
      showStatus(messages.sent_earlier, "success");
      return;
    }
    store.set(SENT_KEY, Date.now());
    form.reset();
    touched = {};
    submitted = false;
    serverErrors = {};
    refresh();
    show(["thanks"]);
    focusPanel("thanks");
  }

  function answerAgain() {
    store.remove(SENT_KEY);
    store.remove(DRAFT_KEY);
    form.reset();
    touched = {};
    submitted = false;
    serverErrors = {};
    showStatus("");
    refresh();
    show(["form"]);
    window.scrollTo(0, 0);
  }

  function submit(event) {
    event.preventDefault();
    submitted = true;
    serverErrors = {};
    var result = refresh();
    if (Object.keys(result.errors).length) {
      showStatus(messages.fix, "error");
      focusFirstProblem();
      return;
    }
    if (loadQueue().length) {
      flush(); // one submission at a time from this page; the earlier one goes first
      return;
    }
    showStatus("");
    var queue = loadQueue();
    queue.push({ uuid: newUuid(), answers: result.cleaned, version: version, queued: Date.now() });
    store.set(QUEUE_KEY, queue);
    saveDraft();
    showPending(navigator.onLine === false ? messages.offline : messages.sending);
    focusPanel("pending");
    attempt = 0;
    flush();
  }

  // The service worker keeps this page and its files for a reload without network --------------

  function registerWorker() {
    var url = root.getAttribute("data-sw-url");
    if (!url || !("serviceWorker" in navigator)) return;
    navigator.serviceWorker
      .register(url, { scope: root.getAttribute("data-sw-scope") || undefined })
      .then(function () {
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        var worker = registration.active;
        if (!worker || typeof MessageChannel === "undefined") return;
        var channel = new MessageChannel();
        channel.port1.onmessage = function () {
          document.documentElement.setAttribute("data-offline-ready", "true");
        };
        worker.postMessage({ type: "keep", url: location.pathname }, [channel.port2]);
      })
      .catch(function () {
        /* the page still works online */
      });
  }

  // Start ----------------------------------------------------------------------------------------

  if (form && definition && E) {
    var restored = restoreDraft();
    refresh();
    form.addEventListener("input", function (event) {
      if (event.target && event.target.name) delete serverErrors[event.target.name];
      saveDraft();
      refresh();
    });
    form.addEventListener("change", function (event) {
      if (event.target && event.target.name) {
        touched[event.target.name] = true;
        delete serverErrors[event.target.name];
      }
      saveDraft();
      refresh();
    });
    form.addEventListener("submit", submit);
    var again = document.getElementById("survey-again");
    if (again) again.addEventListener("click", answerAgain);
    var retry = document.getElementById("survey-retry");
    if (retry) {
      retry.addEventListener("click", function () {
        attempt = 0;
        showPending(messages.sending);
        flush();
      });
    }
    if (loadQueue().length) {
      showPending(navigator.onLine === false ? messages.offline : messages.sending);
    } else if (store.get(SENT_KEY) && !restored) {
      show(["thanks"]);
    }
    root.setAttribute("data-ready", "true");
  }

  window.addEventListener("online", function () {
    attempt = 0;
    flush();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && !timer) flush();
  });
  flush();
  if (document.readyState === "complete") registerWorker();
  else window.addEventListener("load", registerWorker);
})();
