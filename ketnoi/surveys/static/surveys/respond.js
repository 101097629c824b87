/* The respondent page's own check (surveys/respond.html loads it before respond_page.js): what
 * definition.check_answers decides, in the browser, for the forms of today. It walks repeat rows
 * the same way, keyed by path (member[1].m_age), and computes calculations.
 *
 * The page uses window.KetNoiAnswers.check (static/surveys/answers.js, the engine's mirror of
 * the server for every form of forms-spec §1) when it is loaded, this one otherwise: see the
 * one line that picks `checker` in respond_page.js.
 *
 * Plain ES2017, no framework. Needs expressions.js (KetNoiExpressions).
 */
(function () {
  "use strict";

  var E = window.KetNoiExpressions;
  var root = document.getElementById("survey");
  var messages = readJson("survey-messages") || {};
  var lang = (root && root.getAttribute("data-lang")) || document.documentElement.lang || "vi";
  var MAX_TEXT = 5000;
  var MAX_ROWS = 500;
  var OTHER = "other";
  var ANSWERED = [
    "text", "long_text", "integer", "decimal", "date", "select_one", "select_multiple", "rating",
    "time", "datetime", "range", "rank", "acknowledge", "trigger", "geopoint", "image", "audio", "file", "hidden"
  ];
  var FILE_NAME = /^[A-Za-z0-9._-]{1,100}$/;

  // The checks on their own, for the page and for the tests that compare them with the server's.
  window.KetNoiRespond = { check: check };

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

  // The fallback check ------------------------------------------------------------------------

  function label(value, language) {
    if (typeof value === "string") return value;
    if (!value || typeof value !== "object") return "";
    if (value[language || lang]) return value[language || lang];
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
    if (question.or_other && question.type !== "rank" && names.indexOf(OTHER) < 0) names.push(OTHER);
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

  function numberOr(value, fallback) {
    var number = Number(value);
    return value === undefined || value === null || value === "" || !isFinite(number) ? fallback : number;
  }

  function cleanNew(question, kind, value) {
    var text = strip(String(value));
    if (kind === "time") {
      return /^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$/.test(text) ? { value: text } : { error: messages.time };
    }
    if (kind === "datetime") {
      var ok = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?([+-][0-9]{2}:[0-9]{2}|Z)?$/.test(text);
      return ok && validDate(text.slice(0, 10)) ? { value: text } : { error: messages.datetime };
    }
    if (kind === "range") {
      var parameters = question.parameters || {};
      var start = numberOr(parameters.start, 1);
      var end = numberOr(parameters.end, 10);
      var step = Math.abs(numberOr(parameters.step, 1)) || 1;
      var number = Number(text);
      var steps = (number - start) / step;
      var inside = number >= Math.min(start, end) && number <= Math.max(start, end);
      if (text === "" || !isFinite(number) || !inside || Math.abs(steps - Math.round(steps)) > 1e-9) {
        return { error: messages.invalid };
      }
      return { value: number };
    }
    if (kind === "rank") {
      var parts = text.split(/\s+/);
      var names = choiceNames(question);
      var same = parts.length === names.length && parts.slice().sort().join(" ") === names.slice().sort().join(" ");
      return same ? { value: parts.join(" ") } : { error: messages.rank || messages.invalid };
    }
    if (kind === "acknowledge" || kind === "trigger") return text === "OK" ? { value: "OK" } : { error: messages.ok || messages.invalid };
    if (kind === "geopoint") {
      var numbers = text.split(/\s+/).map(Number);
      var good =
        numbers.length >= 2 &&
        numbers.length <= 4 &&
        numbers.every(isFinite) &&
        Math.abs(numbers[0]) <= 90 &&
        Math.abs(numbers[1]) <= 180 &&
        (numbers.length < 4 || numbers[3] >= 0);
      while (numbers.length < 4) numbers.push(0);
      return good ? { value: numbers.join(" ") } : { error: messages.geopoint || messages.invalid };
    }
    if (kind === "image" || kind === "audio" || kind === "file") {
      return FILE_NAME.test(text) && text !== "." && text !== ".." ? { value: text } : { error: messages.media || messages.invalid };
    }
    if (kind === "hidden") return { value: String(value) };
    return null;
  }

  // The stored form of one answer, as definition._clean_value gives it: {value} or {error}.
  function cleanValue(question, key, value) {
    var kind = question.type;
    if (key !== question.name && key === question.name + "_" + OTHER) kind = "text";
    var newer = cleanNew(question, kind, value);
    if (newer) return newer;
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

  // What an expression sees from a row: its own answers first, then the rows around it.
  function scopeAnswers(scopes) {
    if (scopes.length === 1) return scopes[0];
    var flat = {};
    for (var i = scopes.length - 1; i >= 0; i--) {
      for (var key in scopes[i]) if (has(scopes[i], key) && !Array.isArray(scopes[i][key])) flat[key] = scopes[i][key];
    }
    return flat;
  }

  var chainsFor = { definition: null, chains: {} };

  // For each question name, the repeats around it (outermost first): a question inside a
  // repeat, seen from outside it, is the nodeset of its rows' values.
  function chains(definition) {
    if (chainsFor.definition === definition) return chainsFor.chains;
    var found = {};
    (function walk(questions, chain) {
      (questions || []).forEach(function (question) {
        found[question.name] = chain;
        walk(question.children, question.type === "repeat" ? chain.concat([question.name]) : chain);
      });
    })(definition.questions, []);
    chainsFor = { definition: definition, chains: found };
    return found;
  }

  function rowValues(top, chain, name) {
    var nodes = [top];
    chain.forEach(function (repeat) {
      var next = [];
      nodes.forEach(function (node) {
        if (node && Array.isArray(node[repeat])) next = next.concat(node[repeat]);
      });
      nodes = next;
    });
    return nodes
      .filter(function (node) {
        return node && has(node, name);
      })
      .map(function (node) {
        return node[name];
      });
  }

  function optionsFor(scopes, extra) {
    var known = chainsFor.chains;
    var options = {
      resolve: function (name) {
        for (var i = 0; i < scopes.length; i++) {
          if (has(scopes[i], name) && !Array.isArray(scopes[i][name])) return scopes[i][name];
        }
        var chain = known[name] || [];
        return chain.length ? rowValues(scopes[scopes.length - 1], chain, name) : "";
      }
    };
    for (var key in extra || {}) if (has(extra, key)) options[key] = extra[key];
    return options;
  }

  function evaluateIn(source, scopes, extra) {
    return E.evaluate(source, scopeAnswers(scopes), optionsFor(scopes, extra));
  }

  function holdsIn(source, scopes, extra) {
    if (!source || strip(String(source)) === "") return true;
    try {
      return E.holds(source, scopeAnswers(scopes), optionsFor(scopes, extra));
    } catch (error) {
      return true; // the server refuses unreadable rules when the form is saved
    }
  }

  function passesFilter(question, value, scopes) {
    if (!question.choice_filter || value === OTHER) return true;
    var choices = question.choices || [];
    for (var i = 0; i < choices.length; i++) {
      if (choices[i].name !== value) continue;
      var columns = { name: choices[i].name };
      var data = choices[i].data || {};
      for (var key in data) if (has(data, key)) columns[key] = data[key];
      return holdsIn(question.choice_filter, scopes, { choice: columns });
    }
    return true;
  }

  /* What definition.check_answers decides, in the same order: which questions show, the
   * answers as they will be stored, and what is wrong {path: {message, required}}. */
  function check(definition, raw, options) {
    var language = (options && options.language) || lang;
    chains(definition);
    var cleaned = {};
    var errors = {};
    var shown = {};
    var values = {};
    function fail(key, message, required) {
      errors[key] = { message: message, required: !!required };
    }
    function visit(questions, rawScope, scopes, prefix, parentRelevant) {
      var here = scopes[0];
      questions.forEach(function (question) {
        var path = prefix + question.name;
        var relevant = parentRelevant && holdsIn(question.relevant, scopes);
        shown[path] = relevant;
        if (question.type === "group") {
          visit(question.children || [], rawScope, scopes, prefix, relevant);
          return;
        }
        if (!relevant) return;
        if (question.type === "repeat") {
          var rows = Array.isArray(rawScope[question.name]) ? rawScope[question.name] : [];
          if (question.repeat_count !== undefined && question.repeat_count !== "") {
            var count = 0;
            try {
              count = Number(evaluateIn(String(question.repeat_count), scopes));
            } catch (error) {
              count = 0;
            }
            count = isFinite(count) ? Math.max(0, Math.min(MAX_ROWS, Math.floor(count))) : 0;
            rows = rows.slice(0, count);
            while (rows.length < count) rows.push({});
          } else if (rows.length > MAX_ROWS) {
            fail(path, messages.invalid);
            rows = rows.slice(0, MAX_ROWS);
          }
          here[question.name] = rows.map(function (row, index) {
            var cleanRow = {};
            visit(question.children || [], row || {}, [cleanRow].concat(scopes), path + "[" + index + "].", true, index + 1);
            return cleanRow;
          });
          return;
        }
        if (question.calculation) {
          var computed;
          try {
            computed = evaluateIn(question.calculation, scopes);
          } catch (error) {
            computed = "";
          }
          if (typeof computed === "number" && !isFinite(computed)) computed = "";
          values[path] = computed;
          if (computed !== "" && computed !== undefined) here[question.name] = computed;
          return;
        }
        var keys = answerNames(question);
        var own = question.type === "matrix" ? keys : keys.length ? [question.name] : [];
        own.forEach(function (key) {
          var keyPath = prefix + key;
          var value = rawScope[key];
          if (isBlank(value)) {
            if (question.required) fail(keyPath, label(question.required_message, language) || messages.required, true);
            return;
          }
          var result = cleanValue(question, key, value);
          if (has(result, "error")) {
            fail(keyPath, result.error);
            return;
          }
          if (question.type === "select_one" && !passesFilter(question, result.value, scopes)) {
            fail(keyPath, messages.choice);
            return;
          }
          here[key] = result.value;
          if (question.constraint && !holdsIn(question.constraint, scopes, { current: here[key] })) {
            fail(keyPath, label(question.constraint_message, language) || messages.invalid);
            delete here[key];
          }
        });
        var otherKey = question.name + "_" + OTHER;
        if (question.or_other && (question.type === "select_one" || question.type === "select_multiple")) {
          var choseOther = String(has(here, question.name) ? here[question.name] : "")
            .split(/\s+/)
            .indexOf(OTHER) >= 0;
          if (choseOther && isBlank(rawScope[otherKey])) {
            fail(prefix + otherKey, messages.other, true);
          } else if (choseOther) {
            var other = cleanValue(question, otherKey, rawScope[otherKey]);
            if (has(other, "error")) fail(prefix + otherKey, other.error);
            else here[otherKey] = other.value;
          }
        }
      });
    }
    visit(definition.questions || [], raw || {}, [cleaned], "", true);
    return { cleaned: cleaned, errors: errors, shown: shown, values: values };
  }
})();
