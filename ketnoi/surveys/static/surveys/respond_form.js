/* The respondent form as answers change (respond.js calls KetNoiForm.setup and then refresh()):
 * reads the answers into the nested object of forms-spec §2, runs the check, and shows what it
 * found: relevance, errors, calculated values, ${name} outputs in labels, hints and choices,
 * choice filters (cascading selects), repeat_count rows and the form's own languages.
 *
 * A refresh runs on every keystroke, so the nodes it touches are looked up once (index()) and
 * again only when rows come or go; a choice filter is evaluated again only when one of the
 * answers it reads changed; nothing is written to the DOM unless it differs.
 *
 * Texts from answers go in with textContent, never as HTML.
 */
(function () {
  "use strict";

  var OUTPUT = /\$\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}/g;
  var SEGMENT = /([A-Za-z_][A-Za-z0-9_-]*)(?:\[([0-9]+)\])?/g;
  var MAX_ROWS = 500;

  function has(object, key) {
    return !!object && Object.prototype.hasOwnProperty.call(object, key);
  }

  function baseName(path) {
    return String(path).replace(/^.*\./, "");
  }

  // "member[0].visit[1].v_date" -> [["member", 0], ["visit", 1], ["v_date", null]]
  function segments(path) {
    var found = [];
    String(path).replace(SEGMENT, function (whole, name, index) {
      found.push([name, index === undefined ? null : Number(index)]);
      return whole;
    });
    return found;
  }

  function display(value) {
    if (value === undefined || value === null) return "";
    if (Array.isArray(value)) return value.length ? display(value[0]) : "";
    if (typeof value === "number" && !isFinite(value)) return ""; // ${x} * 2 with x unanswered
    return String(value);
  }

  function setup(options) {
    var form = options.form;
    var root = options.root;
    var definition = options.definition;
    var widgets = options.widgets;
    var E = window.KetNoiExpressions;
    var state = { lang: options.lang };
    var byName = {};
    var chains = {}; // question name -> names of the repeats around it, outermost first

    (function walk(questions, chain) {
      (questions || []).forEach(function (question) {
        byName[question.name] = question;
        chains[question.name] = chain;
        (question.items || []).forEach(function (item) {
          byName[item.name] = question;
          chains[item.name] = chain;
        });
        var inner = question.type === "repeat" ? chain.concat([question.name]) : chain;
        walk(question.children, inner);
      });
    })(definition.questions, []);

    function label(value) {
      if (typeof value === "string") return value;
      if (!value || typeof value !== "object") return "";
      var settings = definition.settings || {};
      var order = [state.lang, settings.default_language, "vi"];
      for (var i = 0; i < order.length; i++) if (order[i] && value[order[i]]) return value[order[i]];
      for (var key in value) if (has(value, key) && value[key]) return value[key];
      return "";
    }

    // Reading and filling -------------------------------------------------------------------

    function place(target, path, value) {
      var steps = segments(path);
      var node = target;
      for (var i = 0; i < steps.length - 1; i++) {
        var name = steps[i][0];
        if (!Array.isArray(node[name])) node[name] = [];
        var list = node[name];
        var index = steps[i][1] || 0;
        while (list.length <= index) list.push({});
        node = list[index];
      }
      var last = steps[steps.length - 1];
      if (last[1] !== null) {
        if (!Array.isArray(node[last[0]])) node[last[0]] = [];
        while (node[last[0]].length <= last[1]) node[last[0]].push({});
        return node[last[0]][last[1]];
      }
      if (value === undefined) return node;
      node[last[0]] = value;
      return node;
    }

    function readRaw() {
      var raw = {};
      for (var r = 0; r < cache.rows.length; r++) {
        var prefix = cache.rows[r].getAttribute("data-prefix");
        place(raw, prefix.slice(0, -1)); // every row, answered or not, is an object
      }
      for (var i = 0; i < form.elements.length; i++) {
        var element = form.elements[i];
        var name = element.name;
        if (!name || element.tagName === "BUTTON" || element.type === "file") continue;
        if (element.type === "radio") {
          if (element.checked) place(raw, name, element.value);
        } else if (element.type === "checkbox") {
          if (element.hasAttribute("data-single")) {
            if (element.checked) place(raw, name, element.value);
            continue;
          }
          var list = lookup(raw, name);
          if (!Array.isArray(list)) place(raw, name, (list = []));
          if (element.checked) list.push(element.value);
        } else if (element.type === "range" && element.hasAttribute("data-unset")) {
          continue;
        } else if (element.value !== "") {
          place(raw, name, element.value);
        }
      }
      return raw;
    }

    function lookup(object, path) {
      var steps = segments(path);
      var node = object;
      for (var i = 0; i < steps.length && node !== undefined && node !== null; i++) {
        node = node[steps[i][0]];
        if (steps[i][1] !== null) node = Array.isArray(node) ? node[steps[i][1]] : undefined;
      }
      return node;
    }

    function flatten(object, prefix, flat, counts) {
      Object.keys(object || {}).forEach(function (key) {
        var value = object[key];
        var question = byName[key];
        if (question && question.type === "repeat" && Array.isArray(value)) {
          counts[prefix + key] = value.length;
          value.forEach(function (row, index) {
            flatten(row, prefix + key + "[" + index + "].", flat, counts);
          });
        } else {
          flat[prefix + key] = value;
        }
      });
    }

    function sections() {
      return form.querySelectorAll("[data-repeat]");
    }

    // The stored answers back into the form (a draft, or the rows after one was removed). Rows
    // are made first, outer repeats before inner ones; with `within`, its fields are cleared.
    function fill(raw, within) {
      var flat = {};
      var counts = {};
      flatten(raw, "", flat, counts);
      for (var pass = 0, grew = true; grew && pass < 20; pass++) {
        grew = false;
        Array.prototype.forEach.call(sections(), function (section) {
          var path = section.getAttribute("data-repeat");
          var question = byName[baseName(path)];
          if (question && question.repeat_count !== undefined && question.repeat_count !== "") {
            if (!has(counts, path)) return;
          }
          if (widgets.setRowCount(section, Math.min(MAX_ROWS, counts[path] || 0))) grew = true;
        });
      }
      index();
      var scope = within ? within.querySelectorAll("input, select, textarea") : form.elements;
      Array.prototype.forEach.call(scope, function (element) {
        var name = element.name;
        if (!name || element.type === "file" || element.tagName === "BUTTON") return;
        var known = has(flat, name);
        if (!known && !within) return;
        var value = known ? flat[name] : "";
        if (element.type === "radio") element.checked = String(value) === element.value;
        else if (element.type === "checkbox")
          element.checked = Array.isArray(value) ? value.indexOf(element.value) >= 0 : String(value) === element.value;
        else if (element.tagName === "SELECT") element.value = String(value);
        else {
          element.value = value === null || value === undefined ? "" : String(value);
          if (element.type === "range") {
            if (known) element.removeAttribute("data-unset");
            else element.setAttribute("data-unset", "");
          }
        }
      });
      widgets.refill();
    }

    // The nodes a refresh touches -------------------------------------------------------------

    var cache = { rows: [] };

    function prefixOf(element) {
      var row = element.closest("[data-row]");
      return row ? row.getAttribute("data-prefix") : "";
    }

    function textSource(element) {
      if (element.getAttribute("data-t") === "title") return definition.title || null;
      var box = element.closest("[data-q]");
      var question = box && byName[baseName(box.getAttribute("data-q"))];
      if (!question) return null;
      var kind = element.getAttribute("data-t");
      if (kind !== "choice") return question[kind];
      var name = element.getAttribute("data-choice");
      var choices = question.choices || [];
      for (var i = 0; i < choices.length; i++) if (choices[i].name === name) return choices[i].label || null;
      return null;
    }

    function live(source) {
      if (!source) return false;
      if (typeof source === "string") return source.indexOf("${") >= 0;
      return Object.keys(source).some(function (key) {
        return String(source[key]).indexOf("${") >= 0;
      });
    }

    function index() {
      var filters = {};
      (cache.filters || []).forEach(function (entry) {
        filters[entry.path] = entry.key; // keep what was evaluated for rows that stay
      });
      cache = { rows: Array.prototype.slice.call(form.querySelectorAll("[data-row]")) };
      cache.boxes = Array.prototype.map.call(form.querySelectorAll("[data-q]"), function (element) {
        return { element: element, path: element.getAttribute("data-q") };
      });
      cache.errors = Array.prototype.map.call(form.querySelectorAll("[data-error-for]"), function (element) {
        var key = element.getAttribute("data-error-for");
        return {
          element: element,
          key: key,
          box: element.closest(".matrix-item") || element.closest(".other") || element.closest(".q")
        };
      });
      cache.errorByKey = {};
      cache.errors.forEach(function (entry) {
        cache.errorByKey[entry.key] = entry;
      });
      cache.others = Array.prototype.map.call(form.querySelectorAll("[data-other-for]"), function (element) {
        return { element: element, path: element.getAttribute("data-other-for") };
      });
      cache.texts = [];
      Array.prototype.forEach.call(root.querySelectorAll("[data-t]"), function (element) {
        if (element.closest("template")) return;
        var source = textSource(element);
        if (source) cache.texts.push({ element: element, source: source, prefix: prefixOf(element), live: live(source) });
      });
      cache.filters = [];
      cache.counted = [];
      cache.calculated = [];
      cache.boxes.forEach(function (box) {
        var question = byName[baseName(box.path)];
        if (!question) return;
        var prefix = prefixOf(box.element);
        if (question.choice_filter) {
          var choices = {};
          Array.prototype.forEach.call(box.element.querySelectorAll("[data-choice]"), function (element) {
            if (element.tagName === "SPAN" && element.parentNode.hasAttribute("data-choice")) return;
            (choices[element.getAttribute("data-choice")] = choices[element.getAttribute("data-choice")] || []).push(element);
          });
          var references = [];
          try {
            references = E.references(question.choice_filter, true);
            references = Array.isArray(references) ? references : Array.from(references);
          } catch (error) {
            references = [];
          }
          cache.filters.push({
            path: box.path,
            question: question,
            prefix: prefix,
            choices: choices,
            references: references,
            key: has(filters, box.path) ? filters[box.path] : null
          });
        }
        if (question.type === "repeat" && question.repeat_count !== undefined && question.repeat_count !== "") {
          cache.counted.push({ section: box.element, question: question, prefix: prefix });
        }
        if (question.calculation && question.type !== "calculate" && question.type !== "hidden") {
          var input = box.element.querySelector("input, textarea, select");
          if (input) cache.calculated.push({ input: input, path: box.path });
        }
      });
    }

    // Values as the check computed them -------------------------------------------------------

    function scopesOf(cleaned, prefix) {
      var scopes = [cleaned];
      var node = cleaned;
      segments(prefix).forEach(function (step) {
        if (step[1] === null || !node) return;
        var list = node[step[0]];
        node = Array.isArray(list) ? list[step[1]] : undefined;
        if (node) scopes.unshift(node);
      });
      return scopes;
    }

    function collect(nodes, chain, name) {
      chain.forEach(function (repeat) {
        var next = [];
        nodes.forEach(function (node) {
          if (node && Array.isArray(node[repeat])) next = next.concat(node[repeat]);
        });
        nodes = next;
      });
      return nodes
        .map(function (node) {
          return node ? node[name] : undefined;
        })
        .filter(function (value) {
          return value !== undefined;
        });
    }

    // ${name} from a row: the same row first, then the rows around it, then the whole form
    // (a question inside a repeat seen from outside it is the list of its rows' values).
    function resolver(result, prefix) {
      var scopes = scopesOf(result.cleaned || {}, prefix);
      var values = result.values || {};
      return function (name) {
        if (has(values, prefix + name)) return values[prefix + name];
        for (var i = 0; i < scopes.length; i++) if (has(scopes[i], name)) return scopes[i][name];
        if (has(values, name)) return values[name];
        return collect([result.cleaned || {}], chains[name] || [], name);
      };
    }

    function flatFor(resolve, references) {
      var flat = {};
      references.forEach(function (name) {
        flat[name] = display(resolve(name));
      });
      return flat;
    }

    function interpolate(source, resolve) {
      return label(source).replace(OUTPUT, function (whole, name) {
        return display(resolve(name));
      });
    }

    // Applying a check's result -----------------------------------------------------------------

    function applyCounts(result) {
      var changed = false;
      cache.counted.forEach(function (entry) {
        var resolve = resolver(result, entry.prefix);
        var source = String(entry.question.repeat_count);
        var count = 0;
        try {
          var refs = E.references(source);
          count = Number(E.evaluate(source, flatFor(resolve, Array.from(refs)), { resolve: resolve }));
        } catch (error) {
          count = 0;
        }
        count = isFinite(count) ? Math.max(0, Math.min(MAX_ROWS, Math.floor(count))) : 0;
        if (widgets.setRowCount(entry.section, count)) changed = true;
      });
      return changed;
    }

    function passes(entry, choice, resolve, flat) {
      var columns = { name: choice.name };
      var data = choice.data || {};
      for (var key in data) if (has(data, key)) columns[key] = data[key];
      return E.holds(entry.question.choice_filter, flat, { choice: columns, resolve: resolve });
    }

    // Hides the choices the filter refuses; true when a chosen one had to be cleared.
    function applyFilters(result) {
      var cleared = false;
      cache.filters.forEach(function (entry) {
        var resolve = resolver(result, entry.prefix);
        var flat = flatFor(resolve, entry.references);
        var key = entry.references
          .map(function (name) {
            return flat[name];
          })
          .join("\u0001");
        if (key === entry.key) return;
        entry.key = key;
        var choices = entry.question.choices || [];
        var unreadable = false;
        choices.forEach(function (choice) {
          var ok = true;
          if (!unreadable) {
            try {
              ok = passes(entry, choice, resolve, flat);
            } catch (error) {
              unreadable = true; // an unreadable filter hides nothing; the server decides
              ok = true;
            }
          }
          (entry.choices[choice.name] || []).forEach(function (element) {
            if (element.hidden === !ok) return;
            element.hidden = !ok;
            var input = element.tagName === "OPTION" ? element : element.querySelector("input");
            if (!input) return;
            input.disabled = !ok;
            if (!ok && (input.checked || input.selected)) {
              if (input.tagName === "OPTION") input.parentNode.value = "";
              else input.checked = false;
              cleared = true;
            }
          });
        });
      });
      return cleared;
    }

    function setText(element, text) {
      if (element.textContent !== text) element.textContent = text;
    }

    function renderTexts(result, all) {
      var resolvers = {};
      cache.texts.forEach(function (entry) {
        if (!all && !entry.live) return;
        var resolve = resolvers[entry.prefix] || (resolvers[entry.prefix] = resolver(result, entry.prefix));
        setText(entry.element, interpolate(entry.source, resolve));
      });
    }

    function apply(result, raw, show) {
      var shown = result.shown || {};
      cache.boxes.forEach(function (box) {
        if (!has(shown, box.path)) return;
        var hidden = !shown[box.path];
        if (box.element.hidden !== hidden) box.element.hidden = hidden;
      });
      cache.others.forEach(function (entry) {
        var value = lookup(raw, entry.path);
        var hidden = !(Array.isArray(value) ? value.indexOf("other") >= 0 : value === "other");
        if (entry.element.hidden !== hidden) entry.element.hidden = hidden;
      });
      cache.calculated.forEach(function (entry) {
        var value = has(result.values, entry.path) ? result.values[entry.path] : lookup(result.cleaned, entry.path);
        var text = display(value);
        if (entry.input.value !== text) entry.input.value = text;
      });
      cache.errors.forEach(function (entry) {
        var message = show(entry.key, result.errors[entry.key]);
        if (entry.element.textContent === message && entry.element.hidden === !message) return;
        entry.element.textContent = message;
        entry.element.hidden = !message;
        if (entry.box) entry.box.classList.toggle("invalid", !!message);
        var inputs = form.elements.namedItem(entry.key);
        if (!inputs) return;
        Array.prototype.forEach.call(inputs.length !== undefined && !inputs.tagName ? inputs : [inputs], function (input) {
          if (message) input.setAttribute("aria-invalid", "true");
          else input.removeAttribute("aria-invalid");
        });
      });
      renderTexts(result, false);
    }

    /* One pass of the page: read, check, and show. `check(definition, raw, options)` is the
     * checker; `show(key, error)` the message to show for an error now ("" for none). */
    function refresh(check, show) {
      var raw;
      var result;
      for (var pass = 0; pass < 4; pass++) {
        raw = readRaw();
        result = check(definition, raw, { lang: state.lang, language: state.lang, messages: options.messages, files: widgets.names() });
        var rows = applyCounts(result);
        if (rows) index();
        if (!applyFilters(result) && !rows) break;
      }
      apply(result, raw, show);
      state.last = result;
      state.raw = raw;
      return result;
    }

    function setLanguage(code) {
      state.lang = code;
      root.setAttribute("data-lang", code);
      if (state.last) renderTexts(state.last, true);
    }

    index();
    return {
      readRaw: readRaw,
      fill: fill,
      index: index,
      refresh: refresh,
      lookup: lookup,
      setLanguage: setLanguage,
      label: label,
      lastRaw: function () {
        return state.raw || readRaw();
      },
      errorFor: function (key) {
        return cache.errorByKey[key] || null;
      },
      language: function () {
        return state.lang;
      }
    };
  }

  window.KetNoiForm = { setup: setup, segments: segments };
})();
