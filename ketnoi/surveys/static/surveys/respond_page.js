/* The respondent page (surveys/respond.html): respond_form.js reads the answers and shows what
 * the check found as the respondent types; respond_widgets.js drives repeats, locations, files,
 * ranks and ranges; respond_queue.js keeps the submissions. This file keeps a draft in
 * localStorage as the respondent types and sends the answers: each submission gets a UUID made
 * here and is resent, with growing pauses, on page load and when the network comes back, until
 * the server answers 200 or 201. The server stores a UUID once, so resending is always safe.
 *
 * On the pages that say a collection cannot be answered (respond_state.html) only the queue
 * runs, so a submission made earlier still reaches the server or gets its answer.
 *
 * Plain ES2017, no framework, no text of its own (the messages come from the view).
 */
(function () {
  "use strict";

  var E = window.KetNoiExpressions;
  var root = document.getElementById("survey");
  if (!root) return;
  var messages = readJson("survey-messages") || {};
  var lang = root.getAttribute("data-lang") || document.documentElement.lang || "vi";
  var check = window.KetNoiRespond ? window.KetNoiRespond.check : null;

  function has(object, key) {
    return !!object && Object.prototype.hasOwnProperty.call(object, key);
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

  var definition = readJson("survey-definition");
  var form = document.getElementById("survey-form");
  var token = root.getAttribute("data-token");
  var version = parseInt(root.getAttribute("data-version") || "", 10) || null;
  var submitUrl = root.getAttribute("data-submit-url");
  var csrf = root.getAttribute("data-csrf") || "";
  var KEY = "ketnoi.surveys.";
  var SENT_KEY = KEY + "sent." + token;
  var LANGUAGE_KEY = KEY + "language." + token;
  var DRAFT_PREFIX = KEY + "draft." + token + ".";
  var DRAFT_KEY = DRAFT_PREFIX + "v" + version;
  // The engine's mirror of the server (answers.js), through respond.js.
  var checker = check;
  var queue = window.KetNoiQueue ? window.KetNoiQueue.open(token) : null;
  var draftFiles = window.KetNoiQueue ? window.KetNoiQueue.draftFiles(token) : null;

  var status = document.getElementById("survey-status");
  var panels = {
    pending: document.getElementById("survey-pending"),
    thanks: document.getElementById("survey-thanks"),
    refused: document.getElementById("survey-refused")
  };

  var page = null; // KetNoiForm, on the form page
  var widgets = null;
  var touched = {}; // answer paths the respondent has left (change event)
  var submitted = false; // after a first try to send, every problem shows
  var serverErrors = {}; // from a 400, until the respondent edits that answer
  var sending = false;
  var attempt = 0;
  var timer = null;
  var warnedStorage = false;

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
        warnStorage();
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

  function warnStorage() {
    if (!warnedStorage && messages.storage) {
      warnedStorage = true;
      showStatus(messages.storage, "warning");
    }
  }

  // The form ---------------------------------------------------------------------------------

  function problem(key, error) {
    if (has(serverErrors, key)) return serverErrors[key];
    if (error && (submitted || (touched[key] && !error.required))) return error.message;
    return "";
  }

  function refresh() {
    return page.refresh(checker, problem);
  }

  function focusFirstProblem() {
    var first = root.querySelector(".q-error:not([hidden])");
    if (!first) return;
    var box = first.closest(".matrix-item") || first.closest(".other") || first.closest(".q");
    if (box && box.scrollIntoView) box.scrollIntoView({ block: "center" });
    var input = box && box.querySelector("input:not([type=hidden]), textarea, select, button");
    if (input) input.focus({ preventScroll: true });
  }

  // After a refresh, what it read is what the form holds: no second reading per keystroke.
  function saveDraft(afterRefresh) {
    store.set(DRAFT_KEY, { saved: Date.now(), answers: afterRefresh ? page.lastRaw() : page.readRaw() });
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
    page.fill(draft.answers);
    if (!current) saveDraft();
    return true;
  }

  // A widget set an answer itself (a location, a file, a rank, a row added).
  function changed(element) {
    if (element && element.hasAttribute("data-repeat")) page.index(); // a row came or went
    var name = element && (element.name || element.getAttribute("data-q"));
    if (name) {
      touched[name] = true;
      delete serverErrors[name];
    }
    refresh();
    saveDraft(true);
  }

  // The rows below move up one: their answers are read, shifted and filled in again.
  function removeRow(row) {
    var section = row.closest("[data-repeat]");
    var path = section.getAttribute("data-repeat");
    var index = widgets.rowsOf(section).indexOf(row);
    var raw = page.readRaw();
    var rows = page.lookup(raw, path);
    if (Array.isArray(rows)) rows.splice(index, 1);
    page.fill(raw, section);
    widgets.numberRows(section);
    touched = {};
    changed(section);
    var add = section.querySelector(":scope > [data-add-row]");
    if (add) add.focus();
  }

  function collectFiles(answers) {
    var files = {};
    (function walk(value) {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") Object.keys(value).forEach(function (key) {
        walk(value[key]);
      });
      else if (typeof value === "string" && widgets.blob(value)) files[value] = widgets.blob(value);
    })(answers);
    return files;
  }

  function setupLanguage() {
    var chooser = document.getElementById("survey-language");
    if (!chooser) return;
    var codes = Array.prototype.map.call(chooser.options, function (option) {
      return option.value;
    });
    var saved = store.get(LANGUAGE_KEY);
    var fallback = root.getAttribute("data-default-language");
    var chosen = codes.indexOf(saved) >= 0 ? saved : codes.indexOf(lang) >= 0 ? lang : codes.indexOf(fallback) >= 0 ? fallback : codes[0];
    chooser.value = chosen;
    page.setLanguage(chosen);
    chooser.addEventListener("change", function () {
      store.set(LANGUAGE_KEY, chooser.value);
      page.setLanguage(chooser.value);
      refresh();
    });
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

  function listQueue() {
    return queue ? queue.list() : Promise.resolve([]);
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

  function post(item) {
    var request = window.KetNoiQueue.request(item, csrf);
    return fetch(submitUrl, {
      method: "POST",
      headers: request.headers,
      body: request.body,
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (response) {
      return response.text().then(function (text) {
        var data = {};
        try {
          data = JSON.parse(text) || {};
        } catch (error) {
          /* not JSON: an error page from a proxy or the CSRF check */
        }
        return { status: response.status, data: data };
      });
    });
  }

  function flush() {
    if (sending || !queue) return;
    clearTimeout(timer);
    timer = null;
    sending = true;
    listQueue().then(function (items) {
      if (!items.length) {
        sending = false;
        return;
      }
      if (navigator.onLine === false) {
        // "Offline" is reliable where "online" is not: wait for the online event (or the next
        // retry) instead of a request that cannot leave the phone.
        sending = false;
        retryLater(true);
        return;
      }
      var item = items[0];
      post(item).then(
        function (reply) {
          sending = false;
          settle(item, reply);
        },
        function () {
          sending = false;
          retryLater(true);
        }
      );
    });
  }

  function afterDrop(item, then) {
    return queue.drop(item.uuid).then(then);
  }

  function placeServerErrors(errors) {
    var unplaced = [];
    Object.keys(errors).forEach(function (key) {
      var text = [].concat(errors[key]).join(" ");
      if (page && page.errorFor(key)) serverErrors[key] = text;
      else unplaced.push(text);
    });
    return unplaced;
  }

  function settle(item, reply) {
    var code = reply.status;
    if (code === 200 || code === 201) {
      attempt = 0;
      afterDrop(item, function () {
        return listQueue().then(function (rest) {
          if (rest.length) flush();
          else sent();
        });
      });
      return;
    }
    if (code === 400) {
      afterDrop(item, function () {
        serverErrors = {};
        var unplaced = placeServerErrors(reply.data.errors || {});
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
      });
      return;
    }
    if (code === 403 || code === 404 || code === 409 || code === 410 || code === 413) {
      // Resending would get the same answer (413: the photos are too large): keep the draft,
      // say why, stop.
      afterDrop(item, function () {
        refuse(reply.data.detail || messages.refused, code);
        flush();
      });
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

  function clearForm() {
    draftFiles.clear();
    form.reset();
    widgets.reset();
    page.fill({});
    touched = {};
    submitted = false;
    serverErrors = {};
    refresh();
  }

  function sent() {
    store.remove(DRAFT_KEY);
    if (!form) {
      showStatus(messages.sent_earlier, "success");
      return;
    }
    store.set(SENT_KEY, Date.now());
    clearForm();
    show(["thanks"]);
    focusPanel("thanks");
  }

  function answerAgain() {
    store.remove(SENT_KEY);
    store.remove(DRAFT_KEY);
    clearForm();
    showStatus("");
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
    listQueue().then(function (items) {
      if (items.length) {
        flush(); // one submission at a time from this page; the earlier one goes first
        return;
      }
      showStatus("");
      var item = {
        uuid: newUuid(),
        answers: result.cleaned,
        version: version,
        queued: Date.now(),
        files: collectFiles(result.cleaned)
      };
      queue.add(item).then(function (where) {
        if (where === "memory") warnStorage();
        saveDraft();
        showPending(navigator.onLine === false ? messages.offline : messages.sending);
        focusPanel("pending");
        attempt = 0;
        flush();
      });
    });
  }

  // What is waiting, without the files, for the tests and for a look in the console. The pages
  // that say why a collection cannot be answered load no check, hence no KetNoiRespond yet.
  window.KetNoiRespond = window.KetNoiRespond || {};
  window.KetNoiRespond.queued = function () {
    return listQueue().then(function (items) {
      return items.map(function (item) {
        return { uuid: item.uuid, answers: item.answers, version: item.version, files: Object.keys(item.files || {}) };
      });
    });
  };

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

  function onEdit(event, left) {
    var target = event.target;
    if (!target || target.tagName === "BUTTON") return;
    var element = widgets.sync(target);
    var name = element && element.name;
    if (name) {
      if (left) touched[name] = true;
      delete serverErrors[name];
    }
    refresh();
    saveDraft(true);
  }

  if (form && definition && E && window.KetNoiForm && window.KetNoiWidgets) {
    widgets = window.KetNoiWidgets.setup({
      form: form,
      messages: messages,
      changed: changed,
      removeRow: removeRow,
      kept: draftFiles
    });
    page = window.KetNoiForm.setup({
      form: form,
      root: root,
      definition: definition,
      widgets: widgets,
      lang: lang,
      messages: messages
    });
    setupLanguage();
    widgets.refill();
    var restored = restoreDraft();
    refresh();
    draftFiles.all().then(function (files) {
      if (widgets.adopt(files)) {
        refresh();
        saveDraft(true);
      }
    });
    form.addEventListener("input", function (event) {
      if (event.target && event.target.type === "file") return; // every browser sends change
      onEdit(event, false);
    });
    form.addEventListener("change", function (event) {
      onEdit(event, true);
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
    listQueue().then(function (items) {
      if (items.length) showPending(navigator.onLine === false ? messages.offline : messages.sending);
      else if (store.get(SENT_KEY) && !restored) show(["thanks"]);
      root.setAttribute("data-ready", "true");
    });
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
