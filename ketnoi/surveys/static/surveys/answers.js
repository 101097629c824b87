/* The answer checks of a survey in the browser: the same rules, in the same order, as
 * ketnoi/surveys/definition_answers.py (check_answers) and definition_values.py (clean_value,
 * computed_value); read their docstrings. Both run tests/answer_cases.json.
 *
 *   KetNoiAnswers.check(definition, raw, options) -> {cleaned, errors, shown, values}
 *     options: {messages, lang, today ("YYYY-MM-DD"), now (Date), files (array of names or
 *               undefined)}; messages are the texts the view passes (respond.js gets them from
 *               views_respond._messages): this file carries no text of its own.
 *     cleaned: the answers as the server stores them; errors: {path: {message, required}} with
 *     paths as the server's ("member[1].m_age"); shown: {path of a question or group: bool};
 *     values: {path: value} of every question with a value (calculations included), for
 *     ${name} in labels.
 *
 * Plain ES2017, pure (no DOM). Needs expressions.js (KetNoiExpressions). Exposes KetNoiAnswers.
 */
(function (root) {
  "use strict";

  var E = root.KetNoiExpressions;
  var OTHER = "other";
  var OK = "OK";
  var MAX_TEXT = 5000;
  var MAX_REPEAT_ROWS = 500;
  var MAX_ANSWER_VALUES = 20000;
  var MAX_CLIENT_VALUE = 255;
  var MAX_CHAIN = 40;
  var MAX_ERRORS = 200;
  var MEDIA_TYPES = ["image", "audio", "file"];
  var SELECT_TYPES = ["select_one", "select_multiple", "rank"];
  var ANSWERED = ["text", "long_text", "integer", "decimal", "date", "select_one", "select_multiple", "rating",
    "time", "datetime", "range", "rank", "acknowledge", "trigger", "hidden", "calculate", "geopoint", "image",
    "audio", "file"];
  var RANGE_DEFAULTS = { start: 1, end: 10, step: 1 };
  // Python's str.isspace() characters: what split() and strip() mean on the server.
  var WS = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var SPACES = new RegExp(WS + "+");
  var TIME = /^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$/;
  var DATETIME = /^([0-9]{4}-[0-9]{2}-[0-9]{2})T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?([+-]([01][0-9]|2[0-3]):[0-5][0-9])?$/;
  var GEO_NUMBER = /^-?[0-9]{1,10}(\.[0-9]{1,15})?$/;
  var MEDIA_NAME = /^[A-Za-z0-9._-]{1,100}$/;
  var DECIMAL_TEXT = /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$/;

  function has(object, key) {
    return object !== null && typeof object === "object" && Object.prototype.hasOwnProperty.call(object, key);
  }
  /* A raw answer's own value: a question named "constructor" or "toString" left blank must not
     read Object.prototype's function (JSON.parse gives plain objects). */
  function own(object, key) {
    return has(object, key) ? object[key] : undefined;
  }
  /* object[key] = value that stays an own key even for "__proto__" (a crafted answer's name),
     so the browser reports the same unknown key the server refuses. */
  function put(object, key, value) {
    Object.defineProperty(object, key, { value: value, enumerable: true, writable: true, configurable: true });
  }
  function isIn(list, item) {
    return list.indexOf(item) >= 0;
  }
  function strip(text) {
    return E.strip(text);
  }
  function split(text) {
    return strip(text).split(SPACES).filter(Boolean);
  }
  function codePoints(text) {
    return Array.from(text).length;
  }
  function isBlank(value) {
    return (
      value === undefined || value === null || (typeof value === "string" && strip(value) === "") ||
      (Array.isArray(value) && value.length === 0)
    );
  }

  // The definition's vocabulary (definition_types.py) ----------------------------------------

  function label(value, language, fallback) {
    if (typeof value === "string") return value;
    if (!value || typeof value !== "object" || Array.isArray(value)) return "";
    var asked = language || "vi";
    var codes = [asked, asked.split("-")[0].slice(0, 2), fallback, "vi"];
    for (var i = 0; i < codes.length; i++) {
      var text = codes[i] ? value[codes[i]] : undefined;
      if (has(value, codes[i]) && typeof text === "string" && text) return text;
    }
    for (var key in value) if (has(value, key) && typeof value[key] === "string" && value[key]) return value[key];
    return "";
  }

  function walkAll(questions, visit) {
    (questions || []).forEach(function (question) {
      visit(question);
      if (question.type === "group" || question.type === "repeat") walkAll(question.children, visit);
    });
  }

  function hasVietnamese(definition) {
    if (Array.isArray(definition.languages) && isIn(definition.languages, "vi")) return true;
    var title = definition.title;
    if (typeof title === "string" || (title && typeof title === "object" && title.vi)) return true;
    var found = false;
    walkAll(definition.questions, function (question) {
      var text = question && question.label;
      if (typeof text === "string" || (text && typeof text === "object" && text.vi)) found = true;
    });
    return found;
  }

  function defaultLanguage(definition) {
    if (hasVietnamese(definition)) return "vi";
    var settings = definition.settings;
    if (settings && typeof settings.default_language === "string") return settings.default_language;
    var languages = definition.languages;
    if (Array.isArray(languages) && languages.length && typeof languages[0] === "string") return languages[0];
    var title = definition.title;
    if (title && typeof title === "object") {
      for (var code in title) if (has(title, code) && typeof title[code] === "string" && strip(title[code])) return code;
    }
    return "vi";
  }

  function answerNames(question) {
    if (question.type === "matrix") return (question.items || []).map(function (item) { return item.name; });
    if (question.type === "repeat") return [question.name];
    if (isIn(ANSWERED, question.type)) {
      var names = [question.name];
      if (question.or_other && isIn(SELECT_TYPES, question.type)) names.push(question.name + "_" + OTHER);
      return names;
    }
    return [];
  }

  function choiceNames(question) {
    var names = (question.choices || []).map(function (choice) { return choice.name; });
    if (question.or_other && !isIn(names, OTHER)) names.push(OTHER);
    return names;
  }

  // One value (definition_values.py) -----------------------------------------------------------

  function Problem(key, values) {
    this.key = key;
    this.values = values || {};
  }

  function validDate(text) {
    if (!/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) || text.slice(0, 4) === "0000") return false;
    var day = new Date(text + "T00:00:00Z");
    return !isNaN(day.getTime()) && day.toISOString().slice(0, 10) === text;
  }

  function decimal(value) {
    if (typeof value === "number") {
      if (!isFinite(value) || Math.abs(value) >= 1e15) throw new Problem("number");
      return value;
    }
    if (typeof value !== "string") throw new Problem("number");
    var text = strip(value).replace(/,/g, ".");
    var number = Number(text);
    if (!DECIMAL_TEXT.test(text) || text.length > 100 || !isFinite(number) || Math.abs(number) >= 1e15) {
      throw new Problem("number");
    }
    return number === 0 ? 0 : number;
  }

  function textValue(question, value) {
    if (typeof value !== "string") throw new Problem("invalid");
    value = strip(value);
    if (codePoints(value) > MAX_TEXT) throw new Problem("too_long");
    return value;
  }

  function integerValue(question, value) {
    if (typeof value === "number" && Number.isInteger(value) && Math.abs(value) < 1e15) return value === 0 ? 0 : value;
    if (typeof value !== "string" || !/^-?[0-9]{1,15}$/.test(strip(value))) throw new Problem("integer");
    var whole = parseInt(strip(value), 10);
    return whole === 0 ? 0 : whole;
  }

  function rangeValue(question, value) {
    var number = decimal(value);
    var parameters = question.parameters || {};
    var start = has(parameters, "start") ? parameters.start : RANGE_DEFAULTS.start;
    var end = has(parameters, "end") ? parameters.end : RANGE_DEFAULTS.end;
    var step = has(parameters, "step") ? parameters.step : RANGE_DEFAULTS.step;
    var steps = (number - start) / step;
    if (number < Math.min(start, end) || number > Math.max(start, end) || Math.abs(steps - Math.round(steps)) > 1e-9) {
      throw new Problem("range", { start: start, end: end, step: step });
    }
    return number;
  }

  function textMatching(test, problem) {
    return function (question, value) {
      var text = typeof value === "string" ? strip(value) : "";
      if (!test(text)) throw new Problem(problem);
      return text;
    };
  }

  // One choice, several in choice order, or all of them ranked, as names joined by spaces.
  function choicesValue(question, value, allowed) {
    var parts;
    if (Array.isArray(value) && value.every(function (part) { return typeof part === "string"; })) {
      parts = value.map(strip);
    } else if (typeof value === "string") {
      parts = split(value);
    } else {
      throw new Problem("choice");
    }
    parts = parts.filter(Boolean);
    if (parts.some(function (part) { return !isIn(allowed, part); })) throw new Problem("choice");
    if (question.type === "select_one") {
      if (parts.length !== 1 || typeof value !== "string") throw new Problem("choice");
      return parts[0];
    }
    if (question.type === "rank") {
      var distinct = parts.filter(function (part, i) { return parts.indexOf(part) === i; });
      if (parts.length !== allowed.length || distinct.length !== allowed.length) throw new Problem("rank");
      return parts.join(" ");
    }
    return allowed.filter(function (name) { return isIn(parts, name); }).join(" ");
  }

  function pointValue(question, value) {
    var scale = question.scale || {};
    var point = null;
    if (typeof value === "number" && Number.isInteger(value)) point = value;
    else if (typeof value === "string" && /^[+-]?[0-9]{1,6}$/.test(strip(value))) point = parseInt(strip(value), 10);
    var low = has(scale, "min") ? scale.min : 1;
    var high = has(scale, "max") ? scale.max : 5;
    if (point === null || point < low || point > high) throw new Problem("invalid");
    return point === 0 ? 0 : point;
  }

  function okValue(question, value) {
    if (value !== OK) throw new Problem("ok");
    return OK;
  }

  function geopointValue(question, value) {
    var parts = typeof value === "string" ? split(value) : [];
    var numbers = parts.every(function (p) { return GEO_NUMBER.test(p); }) ? parts.map(parseFloat) : [];
    if (numbers.length < 2 || numbers.length > 4 || Math.abs(numbers[0]) > 90 || Math.abs(numbers[1]) > 180 ||
        (numbers.length === 4 && numbers[3] < 0)) {
      throw new Problem("geopoint");
    }
    return parts.join(" ");
  }

  function mediaValue(question, value) {
    if (typeof value !== "string" || !MEDIA_NAME.test(value) || value.replace(/^\.+|\.+$/g, "") === "") {
      throw new Problem("media");
    }
    return value;
  }

  var CLEANERS = {
    text: textValue, long_text: textValue, hidden: textValue, calculate: textValue,
    integer: integerValue,
    decimal: function (question, value) { return decimal(value); },
    range: rangeValue,
    date: textMatching(validDate, "date"),
    time: textMatching(function (text) { return TIME.test(text); }, "time"),
    datetime: textMatching(function (text) {
      var match = DATETIME.exec(text);
      return !!match && validDate(match[1]);
    }, "datetime"),
    select_one: choicesValue, select_multiple: choicesValue, rank: choicesValue,
    rating: pointValue, matrix: pointValue,
    acknowledge: okValue, trigger: okValue,
    geopoint: geopointValue,
    image: mediaValue, audio: mediaValue, file: mediaValue
  };

  // The stored form of one answer (allowed: the choices it may take), or throw a Problem.
  function cleanValue(question, key, value, allowed) {
    if (key !== question.name && key === question.name + "_" + OTHER) return textValue(question, value);
    if (!has(CLEANERS, question.type)) throw new Problem("invalid");
    return CLEANERS[question.type](question, value, allowed);
  }

  function computedValue(result) {
    if (Array.isArray(result)) result = result.length ? result[0] : "";
    if (typeof result === "boolean") return result ? "true" : "false";
    if (typeof result === "number") {
      if (!isFinite(result)) return null;
      return result === 0 ? 0 : result;
    }
    var text = E.toString(result);
    return text && codePoints(text) <= MAX_TEXT ? text : null;
  }

  // Expressions (definition_expr.py) -------------------------------------------------------------

  function evaluateRaw(source, context) {
    return E.evaluate(source, {}, {
      current: context.current === undefined ? "" : context.current,
      today: context.today,
      now: context.now,
      resolve: context.resolve,
      position: context.position,
      choice: context.choice,
      choiceName: context.choiceName
    });
  }


  function evaluate(source, context) {
    var value;
    try {
      value = evaluateRaw(source, context);
    } catch (error) {
      if (error instanceof E.ExpressionError || error instanceof RangeError) return "";
      throw error;
    }
    return Array.isArray(value) ? (value.length ? value[0] : "") : value;
  }

  function holds(source, context) {
    if (typeof source !== "string" || strip(source) === "") return true;
    var value;
    try {
      value = evaluateRaw(source, context);
    } catch (error) {
      if (error instanceof E.ExpressionError || error instanceof RangeError) return true;
      throw error;
    }
    if (Array.isArray(value)) value = value.length ? value[0] : "";
    return E.truth(value);
  }

  function usesNondeterministic(source) {
    if (typeof E.usesNondeterministic === "function") return E.usesNondeterministic(source);
    return /\b(now|uuid|random|once)\s*\(/.test(source);
  }

  // The run (definition_answers.Run) -----------------------------------------------------------

  function Run(definition, raw, options) {
    this.definition = definition;
    this.raw = raw;
    this.today = options.today;
    this.now = options.now;
    this.files = Array.isArray(options.files) ? options.files : null;
    this.language = options.lang || "vi";
    this.fallback = defaultLanguage(definition);
    this.question = {};
    this.parent = {};
    this.path = {};
    this.levelKeys = { "": [] };
    this.memo = { values: {}, cleaned: {}, relevance: {}, allowed: {} };
    this.busy = {};
    this.depth = 0;
    this.add(definition.questions || [], null, []);
  }

  function memoKey(key, row) {
    return key + "|" + row.join(",");
  }

  Run.prototype.add = function (questions, parent, path) {
    var self = this;
    questions.forEach(function (question) {
      var name = question.name;
      self.parent[name] = parent;
      [name].concat(answerNames(question)).forEach(function (key) {
        self.question[key] = question;
        self.path[key] = question.type === "repeat" ? path.concat([name]) : path;
      });
      var level = self.levelKeys[path.join("/")];
      answerNames(question).forEach(function (key) { if (!isIn(level, key)) level.push(key); });
      if (question.type === "group") self.add(question.children || [], question, path);
      else if (question.type === "repeat") {
        self.levelKeys[path.concat([name]).join("/")] = [];
        self.add(question.children || [], question, path.concat([name]));
      }
    });
  };

  Run.prototype.checkShape = function () {
    var errors = {};
    var count = 0;
    var stack = [[[], this.raw, ""]];
    while (stack.length) {
      var item = stack.pop();
      var path = item[0], row = item[1], prefix = item[2];
      var known = this.levelKeys[path.join("/")];
      for (var key in row) {
        if (!has(row, key)) continue;
        count += 1;
        if (count > MAX_ANSWER_VALUES) return { answers: "too_many_values" };
        var where = prefix + key;
        var value = row[key];
        if (!isIn(known, key)) put(errors, where, "unknown");
        else if (this.question[key].type === "repeat") {
          if (!Array.isArray(value) || !value.every(function (r) { return r !== null && typeof r === "object" && !Array.isArray(r); })) {
            errors[where] = "not_rows";
          } else if (value.length > MAX_REPEAT_ROWS) {
            errors[where] = "too_many_rows";
          } else {
            count += value.length;
            for (var i = 0; i < value.length; i++) stack.push([path.concat([key]), value[i], where + "[" + i + "]."]);
          }
        }
        if (Object.keys(errors).length >= MAX_ERRORS) return errors;
      }
    }
    return errors;
  };

  Run.prototype.rawRow = function (path, row) {
    var current = this.raw;
    for (var i = 0; i < path.length; i++) current = own(current, path[i])[row[i]];
    return current;
  };

  Run.prototype.rowCount = function (repeat, row) {
    if (!this.relevant(repeat, row)) return 0;
    var rows = own(this.rawRow(this.path[repeat].slice(0, -1), row), repeat);
    return Array.isArray(rows) ? rows.length : 0;
  };

  Run.prototype.context = function (key, row, current) {
    var self = this;
    var path = this.path[key];
    if (this.question[key].type === "repeat") path = path.slice(0, -1);
    return {
      resolve: function (name) { return self.resolve(name, path, row); },
      current: current === undefined ? "" : current,
      today: this.today,
      now: this.now,
      position: row.length ? row[row.length - 1] + 1 : null,
      choiceName: function (value, name) { return self.choiceName(value, name); }
    };
  };

  // jr:choice-name(value, '${name}'): that choice's label in the language the respondent reads.
  Run.prototype.choiceName = function (value, name) {
    var question = has(this.question, name) ? this.question[name] : null;
    var choices = (question && question.choices) || [];
    var wanted = E.toString(value);
    for (var i = 0; i < choices.length; i++) {
      if (choices[i] && choices[i].name === wanted) {
        return label(choices[i].label, this.language, this.fallback) || choices[i].name;
      }
    }
    return "";
  };

  Run.prototype.resolve = function (name, path, row) {
    if (!has(this.path, name)) return "";
    var target = this.path[name];
    var common = 0;
    while (common < Math.min(target.length, path.length) && target[common] === path[common]) common += 1;
    if (common === target.length) return this.value(name, row.slice(0, common));
    var rows = [row.slice(0, common)];
    for (var level = common; level < target.length; level++) {
      var next = [];
      for (var r = 0; r < rows.length; r++) {
        var n = this.rowCount(target[level], rows[r]);
        for (var i = 0; i < n; i++) next.push(rows[r].concat([i]));
      }
      rows = next;
    }
    var self = this;
    return rows.map(function (each) { return self.value(name, each); });
  };

  Run.prototype.relevant = function (name, row) {
    var key = memoKey(name, row);
    if (!has(this.memo.relevance, key)) {
      var question = this.question[name];
      var parent = this.parent[name];
      var applies;
      if (!parent) applies = true;
      else if (parent.type === "repeat") applies = this.relevant(parent.name, row.slice(0, -1));
      else applies = this.relevant(parent.name, row);
      this.memo.relevance[key] = applies && holds(question.relevant, this.context(name, row));
    }
    return this.memo.relevance[key];
  };

  Run.prototype.choices = function (question, row) {
    var key = memoKey(question.name, row);
    if (!has(this.memo.allowed, key)) {
      var source = question.choice_filter;
      var names = choiceNames(question);
      if (typeof source === "string" && strip(source)) {
        var context = this.context(question.name, row);
        var kept = [];
        var self = this;
        (question.choices || []).forEach(function (choice) {
          var columns = Object.assign({}, choice.data || {}, { name: choice.name });
          columns.label = label(choice.label, self.fallback, self.fallback);
          if (holds(source, Object.assign({}, context, { choice: columns }))) kept.push(choice.name);
        });
        names = kept.concat(question.or_other && !isIn(kept, OTHER) ? [OTHER] : []);
      }
      this.memo.allowed[key] = names;
    }
    return this.memo.allowed[key];
  };

  Run.prototype.clean = function (key, row) {
    var memo = memoKey(key, row);
    if (!has(this.memo.cleaned, memo)) {
      var question = this.question[key];
      var value = own(this.rawRow(this.path[key], row), key);
      if (isBlank(value)) this.memo.cleaned[memo] = { value: null, problem: null };
      else {
        var allowed = isIn(SELECT_TYPES, question.type) ? this.choices(question, row) : [];
        try {
          this.memo.cleaned[memo] = { value: cleanValue(question, key, value, allowed), problem: null };
        } catch (problem) {
          if (!(problem instanceof Problem)) throw problem;
          this.memo.cleaned[memo] = { value: null, problem: problem };
        }
      }
    }
    return this.memo.cleaned[memo];
  };

  function fixed(question) {
    var calculated = typeof question.calculation === "string" && strip(question.calculation) !== "";
    return calculated || !!question.read_only || question.type === "hidden" || question.type === "calculate";
  }

  Run.prototype.computed = function (key, row) {
    var question = this.question[key];
    var source = question.calculation;
    var result;
    if (typeof source === "string" && strip(source)) {
      var client = own(this.rawRow(this.path[key], row), key);
      if (usesNondeterministic(source) && typeof client === "string" && strip(client).length > 0 &&
          codePoints(strip(client)) <= MAX_CLIENT_VALUE) {
        result = strip(client);
      } else {
        result = computedValue(evaluate(source, this.context(key, row)));
      }
    } else {
      result = has(question, "default") ? question.default : null;
      if (result !== null && typeof result !== "string") result = E.toString(result);
    }
    if (result === null || result === "" || question.type === "hidden" || question.type === "calculate") {
      return result !== "" ? result : null;
    }
    var allowed = isIn(SELECT_TYPES, question.type) ? this.choices(question, row) : [];
    try {
      return cleanValue(question, key, E.toString(result), allowed);
    } catch (problem) {
      if (!(problem instanceof Problem)) throw problem;
      return null;
    }
  };

  Run.prototype.value = function (key, row) {
    var memo = memoKey(key, row);
    if (has(this.memo.values, memo)) return this.memo.values[memo];
    if (has(this.busy, memo) || this.depth >= MAX_CHAIN) return "";
    this.busy[memo] = true;
    this.depth += 1;
    var result = null;
    try {
      var question = this.question[key];
      if (question.type === "repeat" || question.type === "group" || question.type === "note" ||
          !this.relevant(question.name, row)) {
        result = null;
      } else if (key !== question.name && question.type !== "matrix") {
        result = this.clean(key, row).value;
      } else if (fixed(question)) {
        result = this.computed(key, row);
      } else {
        result = this.clean(key, row).value;
      }
    } finally {
      this.depth -= 1;
      delete this.busy[memo];
    }
    this.memo.values[memo] = result === null ? "" : result;
    return this.memo.values[memo];
  };

  // The stored answers ---------------------------------------------------------------------------

  Run.prototype.emit = function (messages) {
    this.messages = messages;
    this.errors = {};
    this.shown = {};
    this.values = {};
    this.mediaSeen = [];
    var cleaned = {};
    this.emitLevel(this.definition.questions || [], [], cleaned, "");
    return cleaned;
  };

  Run.prototype.fail = function (where, problem, required) {
    this.errors[where] = { message: problem, required: !!required };
  };

  Run.prototype.text = function (problem) {
    var text = this.messages[problem.key] || this.messages.invalid || "";
    return text.replace(/%\((\w+)\)s/g, function (whole, name) {
      return has(problem.values, name) ? E.toString(problem.values[name]) : whole;
    });
  };

  Run.prototype.emitLevel = function (questions, row, out, prefix) {
    var self = this;
    questions.forEach(function (question) {
      var name = question.name;
      var kind = question.type;
      var relevant = self.relevant(name, row);
      self.shown[prefix + name] = relevant;
      if (kind === "group") {
        self.emitLevel(question.children || [], row, out, prefix);
        return;
      }
      if (kind === "note" || !relevant) return;
      if (kind === "repeat") {
        self.emitRepeat(question, row, out, prefix);
        return;
      }
      (kind === "matrix" ? answerNames(question) : [name]).forEach(function (key) {
        self.emitValue(question, key, row, out, prefix + key);
      });
      if (question.or_other && isIn(SELECT_TYPES, kind)) self.emitOther(question, row, out, prefix);
    });
  };

  Run.prototype.emitRepeat = function (question, row, out, prefix) {
    var name = question.name;
    var count = this.rowCount(name, row);
    var wanted = question.repeat_count;
    if (wanted !== undefined && wanted !== null && wanted !== "") {
      var expected;
      if (typeof wanted === "string") {
        var number = E.toNumber(evaluate(wanted, this.context(name, row)));
        expected = number === number && number >= 0 && number <= MAX_REPEAT_ROWS ? Math.trunc(number) : 0;
      } else {
        expected = Math.trunc(wanted);
      }
      if (count !== expected) this.fail(prefix + name, this.text(new Problem("rows", { n: expected })));
    }
    var rows = [];
    for (var index = 0; index < count; index++) {
      var rowOut = {};
      this.emitLevel(question.children || [], row.concat([index]), rowOut, prefix + name + "[" + index + "].");
      rows.push(rowOut);
    }
    if (rows.length) out[name] = rows;
  };

  Run.prototype.emitValue = function (question, key, row, out, where) {
    if (fixed(question)) {
      var computed = this.value(key, row);
      if (computed !== "") {
        out[key] = computed;
        this.values[where] = computed;
      }
      return;
    }
    var cleaned = this.clean(key, row);
    if (cleaned.problem) {
      this.fail(where, this.text(cleaned.problem));
      return;
    }
    var value = cleaned.value;
    if (value === null) {
      if (question.required) {
        this.fail(where, label(question.required_message, this.language, this.fallback) || this.messages.required, true);
      }
      return;
    }
    if (isIn(MEDIA_TYPES, question.type)) {
      if (isIn(this.mediaSeen, value)) {
        this.fail(where, this.text(new Problem("media_duplicate", { name: value })));
        return;
      }
      this.mediaSeen.push(value);
      if (this.files !== null && !isIn(this.files, value)) {
        this.fail(where, this.text(new Problem("media_missing", { name: value })));
        return;
      }
    }
    if (question.constraint && !holds(question.constraint, this.context(key, row, value))) {
      this.fail(where, label(question.constraint_message, this.language, this.fallback) || this.messages.invalid);
      return;
    }
    out[key] = value;
    this.values[where] = value;
  };

  Run.prototype.emitOther = function (question, row, out, prefix) {
    var otherKey = question.name + "_" + OTHER;
    var choseOther = isIn(split(has(out, question.name) ? String(out[question.name]) : ""), OTHER);
    if (!choseOther) return;
    var cleaned = this.clean(otherKey, row);
    if (cleaned.problem) this.fail(prefix + otherKey, this.text(cleaned.problem));
    else if (cleaned.value === null && question.type !== "rank") this.fail(prefix + otherKey, this.messages.other, true);
    else if (cleaned.value !== null) out[otherKey] = cleaned.value;
  };

  /* What definition_answers.check_answers decides: see the header. */
  function check(definition, raw, options) {
    options = options || {};
    var messages = options.messages || {};
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
      return { cleaned: {}, errors: { answers: { message: messages.invalid || "", required: false } }, shown: {}, values: {} };
    }
    var run = new Run(definition, raw, options);
    var problems = run.checkShape();
    if (Object.keys(problems).length) {
      var errors = {};
      Object.keys(problems).forEach(function (key) {
        put(errors, key, { message: messages[problems[key]] || messages.invalid || "", required: false });
      });
      return { cleaned: {}, errors: errors, shown: {}, values: {} };
    }
    var cleaned = run.emit(messages);
    return { cleaned: cleaned, errors: run.errors, shown: run.shown, values: run.values };
  }

  var api = {
    check: check,
    label: label,
    defaultLanguage: defaultLanguage,
    answerNames: answerNames,
    choiceNames: choiceNames,
    cleanValue: cleanValue,
    MAX_REPEAT_ROWS: MAX_REPEAT_ROWS,
    MAX_ANSWER_VALUES: MAX_ANSWER_VALUES
  };
  root.KetNoiAnswers = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof self !== "undefined" ? self : this);
