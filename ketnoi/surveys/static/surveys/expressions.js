/* The survey expression language in the browser: the same grammar, functions and semantics as
 * ketnoi/surveys/expressions.py (read its docstring: the grammar, the function list and what
 * each function means), parsed and evaluated without eval or Function. Both run the shared
 * cases in ketnoi/surveys/tests/expression_cases.json.
 *
 * Grammar (as in Python):
 *   expr := or;  or := and ("or" and)*;  and := compare ("and" compare)*
 *   compare := additive (("=" | "!=" | "<" | "<=" | ">" | ">=") additive)?
 *   additive := multiply (("+" | "-") multiply)*;  multiply := unary (("*" | "div" | "mod") unary)*
 *   unary := "-" unary | primary
 *   primary := NUMBER | STRING | "${" NAME "}" | "." | NAME (a choice column, only with
 *              options.choice) | "position" "(" ".." ")" | FUNCTION "(" [expr ("," expr)*] ")"
 *              | "(" expr ")"
 * Functions (FUNCTIONS below gives their arities): concat, join, string, string-length, substr,
 * substring-before, substring-after, normalize-space, contains, starts-with, ends-with, regex,
 * selected, count-selected, selected-at, jr:choice-name, not, true, false, boolean,
 * boolean-from-string, if, coalesce, number, int, round, floor, ceiling, abs, sqrt, pow, min,
 * max, sum, count, count-non-empty, position, indexed-repeat, today, now, date,
 * decimal-date-time, format-date, format-date-time, once, uuid, random.
 *
 * Values are numbers, strings, booleans and — for a nodeset that options.resolve answers —
 * arrays, as in Python: a JS number stands for a Python float, and turning it into text follows
 * Python's str()/repr() rules so that string comparisons, string-length() and selected() give
 * the same answer on both sides. Text is counted in code points, as Python counts it. Dates,
 * round() and pow() follow expression_values.py step for step, so both give the same digits.
 *
 * regex(a, pattern) uses the pattern dialect both engines share: ASCII classes (\d, \w),
 * character sets, groups, alternation and counted repeats; Python-only syntax such as
 * (?P<name>…) does not match in the browser.
 *
 * API: evaluate(source, answers, options) and holds(source, answers, options), options
 * {current, today (YYYY-MM-DD), now (ISO datetime string or Date), resolve(name) → value or
 * array, position (1-based row), choice ({column: value}: bare names in a choice filter),
 * choiceName(value, question) → label}. With resolve, answers is ignored. Also references,
 * choiceColumns, usesNondeterministic, NONDETERMINISTIC and FUNCTIONS ({name: [fewest, most]},
 * most null for any number).
 *
 * Plain ES2017, no dependencies. Exposes the global KetNoiExpressions.
 */
(function (root) {
  "use strict";

  var MAX_LENGTH = 1000; // characters (code points) of one expression
  var MAX_DEPTH = 32; // nested brackets, function calls and minus signs
  var MAX_TEXT = 10000; // characters of a string a function builds (concat, join, format-date)
  var MAX_POWER = 1e15; // pow() results beyond this are empty
  // Python's str.isspace() characters: what `\s` and strip() mean on the server.
  var WS = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var TOKEN = new RegExp(
    WS + "*(?:" +
      "([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)" + // 1 number
      "|('[^']*'|\"[^\"]*\")" + // 2 string
      "|\\$\\{" + WS + "*([A-Za-z_][A-Za-z0-9_.\\-]*)" + WS + "*\\}" + // 3 reference
      "|(<=|>=|!=|=|<|>|\\+|-|\\*|\\(|\\)|,)" + // 4 operator
      "|((?:jr:)?[A-Za-z_][A-Za-z0-9_\\-]*)" + // 5 name
      "|(\\.\\.)" + // 6 parent
      "|(\\.)" + // 7 dot
      ")",
    "y"
  );
  var ONLY_SPACE = new RegExp("^" + WS + "*$");
  var LEADING_SPACE = new RegExp("^" + WS + "+");
  var STRIP = new RegExp("^" + WS + "+|" + WS + "+$", "g");
  var NUMBER_TEXT = /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
  var DATE_TEXT = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
  var DATETIME_TEXT =
    /^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]+))?)?(Z|[+-][0-9]{2}:[0-9]{2})?$/;
  var QUESTION_TEXT = /^\$\{[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*([A-Za-z_][A-Za-z0-9_.\-]*)[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*\}$/;
  var XPATH_SPACE = /[ \t\r\n]+/;
  var TRUE_TEXT = /^(?:[Tt][Rr][Uu][Ee]|1)$/;
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  // name → [fewest, most] arguments; null: any number.
  var FUNCTIONS = {
    "selected": [2, 2],
    "count-selected": [1, 1],
    "selected-at": [2, 2],
    "string-length": [1, 1],
    "regex": [2, 2],
    "contains": [2, 2],
    "starts-with": [2, 2],
    "ends-with": [2, 2],
    "not": [1, 1],
    "true": [0, 0],
    "false": [0, 0],
    "boolean": [1, 1],
    "boolean-from-string": [1, 1],
    "number": [1, 1],
    "int": [1, 1],
    "string": [1, 1],
    "if": [3, 3],
    "coalesce": [2, 2],
    "once": [1, 1],
    "concat": [0, null],
    "join": [1, null],
    "substr": [2, 3],
    "substring-before": [2, 2],
    "substring-after": [2, 2],
    "normalize-space": [1, 1],
    "round": [1, 2],
    "floor": [1, 1],
    "ceiling": [1, 1],
    "abs": [1, 1],
    "pow": [2, 2],
    "sqrt": [1, 1],
    "min": [1, null],
    "max": [1, null],
    "sum": [1, 1],
    "count": [1, 1],
    "count-non-empty": [1, 1],
    "indexed-repeat": [3, 3],
    "position": [1, 1],
    "jr:choice-name": [2, 2],
    "today": [0, 0],
    "now": [0, 0],
    "date": [1, 1],
    "decimal-date-time": [1, 1],
    "format-date": [2, 2],
    "format-date-time": [2, 2],
    "uuid": [0, 0],
    "random": [0, 0]
  };
  var NONDETERMINISTIC = ["now", "uuid", "random", "once"];
  var NODESET_FUNCTIONS = {
    "concat": true,
    "join": true,
    "sum": true,
    "count": true,
    "count-non-empty": true,
    "min": true,
    "max": true,
    "indexed-repeat": true
  };
  var WORD_OPERATORS = { and: true, or: true, div: true, mod: true };

  function ExpressionError(message) {
    this.name = "ExpressionError";
    this.message = message;
  }
  ExpressionError.prototype = Object.create(Error.prototype);
  ExpressionError.prototype.constructor = ExpressionError;

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function codePointLength(text) {
    return Array.from(text).length;
  }

  function strip(text) {
    return text.replace(STRIP, "");
  }

  // The first MAX_TEXT code points, as Python's text[:MAX_TEXT].
  function bounded(text) {
    if (text.length <= MAX_TEXT) return text;
    var points = Array.from(text);
    return points.length <= MAX_TEXT ? text : points.slice(0, MAX_TEXT).join("");
  }

  // Tokens ---------------------------------------------------------------------------------

  function tokenize(source) {
    if (codePointLength(source) > MAX_LENGTH) {
      throw new ExpressionError("expression longer than " + MAX_LENGTH + " characters");
    }
    var tokens = [];
    var position = 0;
    while (position < source.length) {
      if (ONLY_SPACE.test(source.slice(position))) break;
      TOKEN.lastIndex = position;
      var match = TOKEN.exec(source);
      if (match === null || TOKEN.lastIndex === position) {
        throw new ExpressionError("unexpected character at " + (position + 1) + ": " + source.slice(position, position + 10));
      }
      var start = position + match[0].length - match[0].replace(LEADING_SPACE, "").length;
      var token;
      if (match[1] !== undefined) token = { kind: "number", text: match[1] };
      else if (match[2] !== undefined) token = { kind: "string", text: match[2].slice(1, -1) };
      else if (match[3] !== undefined) token = { kind: "ref", text: match[3] };
      else if (match[4] !== undefined) token = { kind: "op", text: match[4] };
      else if (match[5] !== undefined) {
        token = { kind: has(WORD_OPERATORS, match[5]) ? "op" : "name", text: match[5] };
      } else if (match[6] !== undefined) token = { kind: "parent", text: match[6] };
      else token = { kind: "dot", text: match[7] };
      token.position = start;
      tokens.push(token);
      position = TOKEN.lastIndex;
    }
    tokens.push({ kind: "end", text: "", position: source.length });
    return tokens;
  }

  // The tree, as in Python: ["num", n] ["str", s] ["ref", name] ["dot"] ["parent"] ["col", name]
  // ["call", name, args] ["neg", x] ["bin", op, left, right]

  function Parser(tokens) {
    this.tokens = tokens;
    this.index = 0;
    this.depth = 0;
    this.firstColumn = null; // the first bare name, for the error message
  }

  Parser.prototype.peek = function () {
    return this.tokens[this.index];
  };

  Parser.prototype.take = function (kind, text) {
    var token = this.peek();
    if ((kind && token.kind !== kind) || (text && token.text !== text)) {
      throw new ExpressionError(
        "expected '" + (text || kind) + "' at " + (token.position + 1) + ", found '" + (token.text || "end of expression") + "'"
      );
    }
    this.index += 1;
    return token;
  };

  Parser.prototype.at = function () {
    var token = this.peek();
    if (token.kind !== "op") return false;
    for (var i = 0; i < arguments.length; i++) if (token.text === arguments[i]) return true;
    return false;
  };

  Parser.prototype.nested = function (parseInside) {
    this.depth += 1;
    if (this.depth > MAX_DEPTH) {
      throw new ExpressionError("expression nested more than " + MAX_DEPTH + " levels deep");
    }
    var node = parseInside.call(this);
    this.depth -= 1;
    return node;
  };

  Parser.prototype.parse = function () {
    var node = this.or_();
    if (this.peek().kind !== "end") {
      var token = this.peek();
      throw new ExpressionError("unexpected '" + token.text + "' at " + (token.position + 1));
    }
    return node;
  };

  Parser.prototype.binary = function (operators, operand) {
    var node = operand.call(this);
    while (this.at.apply(this, operators)) {
      var op = this.take().text;
      node = ["bin", op, node, operand.call(this)];
    }
    return node;
  };

  Parser.prototype.or_ = function () {
    return this.binary(["or"], this.and_);
  };

  Parser.prototype.and_ = function () {
    return this.binary(["and"], this.compare);
  };

  Parser.prototype.compare = function () {
    var node = this.additive();
    if (this.at("=", "!=", "<", "<=", ">", ">=")) {
      var op = this.take().text;
      node = ["bin", op, node, this.additive()];
    }
    return node;
  };

  Parser.prototype.additive = function () {
    return this.binary(["+", "-"], this.multiply);
  };

  Parser.prototype.multiply = function () {
    return this.binary(["*", "div", "mod"], this.unary);
  };

  Parser.prototype.unary = function () {
    if (this.at("-")) {
      this.take();
      return ["neg", this.nested(this.unary)];
    }
    return this.primary();
  };

  Parser.prototype.primary = function () {
    var token = this.peek();
    if (token.kind === "number") {
      this.take();
      return ["num", parseFloat(token.text)];
    }
    if (token.kind === "string") {
      this.take();
      return ["str", token.text];
    }
    if (token.kind === "ref") {
      this.take();
      return ["ref", token.text];
    }
    if (token.kind === "dot") {
      this.take();
      return ["dot"];
    }
    if (token.kind === "op" && token.text === "(") {
      this.take();
      var inner = this.nested(this.or_);
      this.take("op", ")");
      return inner;
    }
    if (token.kind === "name") {
      this.take();
      if (!this.at("(")) {
        if (token.text.indexOf("jr:") === 0) {
          throw new ExpressionError("unexpected '" + token.text + "' at " + (token.position + 1));
        }
        if (this.firstColumn === null) this.firstColumn = token;
        return ["col", token.text];
      }
      return this.call(token);
    }
    throw new ExpressionError("unexpected '" + (token.text || "end of expression") + "' at " + (token.position + 1));
  };

  Parser.prototype.call = function (token) {
    if (!has(FUNCTIONS, token.text)) {
      throw new ExpressionError("unknown function '" + token.text + "' at " + (token.position + 1));
    }
    this.take("op", "(");
    if (token.text === "position") {
      // position(..): the one place the parent may be written
      this.take("parent");
      this.take("op", ")");
      return ["call", "position", [["parent"]]];
    }
    var args = this.nested(function () {
      var found = [];
      if (!this.at(")")) {
        found.push(this.or_());
        while (this.at(",")) {
          this.take();
          found.push(this.or_());
        }
      }
      return found;
    });
    this.take("op", ")");
    var fewest = FUNCTIONS[token.text][0];
    var most = FUNCTIONS[token.text][1];
    if (args.length < fewest || (most !== null && args.length > most)) {
      throw new ExpressionError(token.text + "() takes " + fewest + "–" + most + " argument(s), " + args.length + " given");
    }
    return ["call", token.text, args];
  };

  var cache = new Map();

  /** The tree of an expression; throws ExpressionError when it cannot be read. Bare names
   * (choice columns) are refused unless choiceColumnsAllowed: only a choice filter has them. */
  function parse(source, choiceColumnsAllowed) {
    source = String(source);
    var parsed = cache.get(source);
    if (parsed === undefined) {
      var parser = new Parser(tokenize(source));
      parsed = { tree: parser.parse(), column: parser.firstColumn };
      if (cache.size > 2048) cache.clear();
      cache.set(source, parsed);
    }
    if (parsed.column !== null && !choiceColumnsAllowed) {
      throw new ExpressionError(
        "unknown name '" + parsed.column.text + "' at " + (parsed.column.position + 1) + ": write ${" + parsed.column.text + "}"
      );
    }
    return parsed.tree;
  }

  function walk(node, visit) {
    visit(node);
    if (node[0] === "call") {
      node[2].forEach(function (child) {
        walk(child, visit);
      });
    } else if (node[0] === "neg") {
      walk(node[1], visit);
    } else if (node[0] === "bin") {
      walk(node[2], visit);
      walk(node[3], visit);
    }
  }

  /** The question names an expression refers to with ${…} (and the '${q}' jr:choice-name()
   * names in quotes), in order, without repeats. Bare names (choice columns) are allowed here,
   * as in Python: choiceColumns lists them. */
  function references(source) {
    var found = [];
    var add = function (name) {
      if (found.indexOf(name) < 0) found.push(name);
    };
    walk(parse(source, true), function (node) {
      if (node[0] === "ref") add(node[1]);
      else if (node[0] === "call" && node[1] === "jr:choice-name" && node[2][1][0] === "str") {
        var quoted = QUESTION_TEXT.exec(strip(node[2][1][1]));
        if (quoted) add(quoted[1]);
      }
    });
    return found;
  }

  /** The bare names (choice columns) a choice filter reads. */
  function choiceColumns(source) {
    var found = [];
    walk(parse(source, true), function (node) {
      if (node[0] === "col" && found.indexOf(node[1]) < 0) found.push(node[1]);
    });
    return found;
  }

  /** Whether the expression calls now(), uuid(), random() or once(). */
  function usesNondeterministic(source) {
    var found = false;
    walk(parse(source, true), function (node) {
      if (node[0] === "call" && NONDETERMINISTIC.indexOf(node[1]) >= 0) found = true;
    });
    return found;
  }

  // Values ---------------------------------------------------------------------------------

  // str(int(x)) for an integral float of any size: exact decimal digits, as Python prints them.
  function integerDigits(x) {
    var sign = x < 0 ? "-" : "";
    x = Math.abs(x);
    if (x < 9007199254740992) return x === 0 ? "0" : sign + String(x);
    var halvings = 0;
    while (x >= 9007199254740992) {
      x /= 2; // exact: an integral float this large is even
      halvings += 1;
    }
    var digits = String(x).split("").reverse().map(Number); // least significant first
    for (var i = 0; i < halvings; i++) {
      var carry = 0;
      for (var j = 0; j < digits.length; j++) {
        var doubled = digits[j] * 2 + carry;
        digits[j] = doubled % 10;
        carry = doubled >= 10 ? 1 : 0;
      }
      if (carry) digits.push(carry);
    }
    return sign + digits.reverse().join("");
  }

  // repr() of a non-integral float: the shortest digits, written in Python's style.
  function floatRepr(x) {
    var sign = x < 0 ? "-" : "";
    var parts = Math.abs(x).toExponential().split("e");
    var digits = parts[0].replace(".", "");
    var exponent = parseInt(parts[1], 10);
    if (exponent < -4 || exponent >= 16) {
      var mantissa = digits.length > 1 ? digits.charAt(0) + "." + digits.slice(1) : digits;
      var size = Math.abs(exponent);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (size < 10 ? "0" + size : String(size));
    }
    if (exponent < 0) return sign + "0." + "0".repeat(-exponent - 1) + digits;
    while (digits.length <= exponent) digits += "0";
    return sign + digits.slice(0, exponent + 1) + "." + digits.slice(exponent + 1);
  }

  function toNumber(value) {
    if (typeof value === "boolean") return value ? 1 : 0;
    if (typeof value === "number") return value;
    var text = strip(toString(value));
    if (NUMBER_TEXT.test(text)) return parseFloat(text);
    var days = dateDays(text);
    return days === null ? NaN : days;
  }

  function toString(value) {
    if (typeof value === "boolean") return value ? "true" : "false";
    if (typeof value === "number") {
      if (value !== value) return "";
      if (value === Infinity) return "inf";
      if (value === -Infinity) return "-inf";
      return Math.floor(value) === value ? integerDigits(value) : floatRepr(value);
    }
    if (value === null || value === undefined) return "";
    if (Array.isArray(value)) return value.map(toString).join(" ");
    return String(value);
  }

  function truth(value) {
    if (typeof value === "boolean") return value;
    if (typeof value === "number") return !(value === 0 || value !== value);
    return toString(value) !== "";
  }

  function items(value) {
    return Array.isArray(value) ? value : [value];
  }

  function scalar(value) {
    if (Array.isArray(value)) return value.length ? value[0] : "";
    return value;
  }

  // Compare strings by code point, as Python does (JS compares UTF-16 units).
  function compareText(a, b) {
    var i = 0;
    var j = 0;
    while (i < a.length && j < b.length) {
      var ca = a.codePointAt(i);
      var cb = b.codePointAt(j);
      if (ca !== cb) return ca < cb ? -1 : 1;
      i += ca > 0xffff ? 2 : 1;
      j += cb > 0xffff ? 2 : 1;
    }
    if (i < a.length) return 1;
    if (j < b.length) return -1;
    return 0;
  }

  function equal(left, right) {
    if (typeof left === "boolean" || typeof right === "boolean") return truth(left) === truth(right);
    var a = toNumber(left);
    var b = toNumber(right);
    if (a === a && b === b) return a === b;
    return toString(left) === toString(right);
  }

  function order(op, left, right) {
    var a = toNumber(left);
    var b = toNumber(right);
    var sign;
    if (a !== a || b !== b) {
      var sa = toString(left);
      var sb = toString(right);
      if (typeof left !== "string" || typeof right !== "string" || !sa || !sb) return false;
      sign = compareText(sa, sb);
    } else {
      sign = a < b ? -1 : a > b ? 1 : 0;
    }
    if (op === "<") return sign < 0;
    if (op === "<=") return sign <= 0;
    if (op === ">") return sign > 0;
    return sign >= 0;
  }

  function arithmetic(op, left, right) {
    var a = toNumber(left);
    var b = toNumber(right);
    if (a !== a || b !== b) return NaN;
    if (op === "+") return a + b;
    if (op === "-") return a - b;
    if (op === "*") return a * b;
    if (b === 0) return NaN;
    if (op === "div") return a / b;
    return a % b; // fmod: the sign of the dividend, as Python's math.fmod
  }

  // Dates (expression_values.py) -------------------------------------------------------------

  function isLeap(year) {
    return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  }

  // Days from 1970-01-01 to a calendar date (years 1–9999), null when there is no such date.
  function dayNumber(year, month, day) {
    var lengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if (year < 1 || month < 1 || month > 12 || day < 1 || day > lengths[month - 1]) return null;
    var y = month <= 2 ? year - 1 : year; // H. Hinnant's days_from_civil
    var era = Math.floor(y / 400);
    var yearOfEra = y - era * 400;
    var dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
    var dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
  }

  function civil(days) {
    var z = days + 719468; // H. Hinnant's civil_from_days
    var era = Math.floor(z / 146097);
    var dayOfEra = z - era * 146097;
    var yearOfEra = Math.floor(
      (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365
    );
    var dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
    var mp = Math.floor((5 * dayOfYear + 2) / 153);
    var day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
    var month = mp < 10 ? mp + 3 : mp - 9;
    return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
  }

  // [days, year, month, day, hour, minute, second, millisecond] of an ISO date or datetime as
  // written (its offset not applied), or null.
  function dateParts(text) {
    text = strip(text);
    var match = DATE_TEXT.exec(text) || DATETIME_TEXT.exec(text);
    if (match === null) return null;
    var year = parseInt(match[1], 10);
    var month = parseInt(match[2], 10);
    var day = parseInt(match[3], 10);
    var days = dayNumber(year, month, day);
    if (days === null) return null;
    var hour = match[4] ? parseInt(match[4], 10) : 0;
    var minute = match[5] ? parseInt(match[5], 10) : 0;
    var second = match[6] ? parseInt(match[6], 10) : 0;
    if (hour > 23 || minute > 59 || second > 59) return null;
    var millisecond = parseInt(((match[7] || "") + "000").slice(0, 3), 10);
    return [days, year, month, day, hour, minute, second, millisecond];
  }

  // An ISO date or datetime as days since 1970-01-01 (time as a fraction, offset applied), or null.
  function dateDays(text) {
    var parts = dateParts(text);
    if (parts === null) return null;
    var match = DATETIME_TEXT.exec(strip(text));
    if (match === null) return parts[0];
    var offset = 0;
    var zone = match[8];
    if (zone && zone !== "Z") {
      var hours = parseInt(zone.slice(1, 3), 10);
      var minutes = parseInt(zone.slice(4, 6), 10);
      if (hours > 23 || minutes > 59) return null;
      offset = (hours * 3600 + minutes * 60) * (zone.charAt(0) === "-" ? -1 : 1);
    }
    var seconds = parts[4] * 3600 + parts[5] * 60 + parts[6] - offset;
    var fraction = match[7] ? parseFloat("0." + match[7]) : 0;
    return parts[0] + (seconds + fraction) / 86400;
  }

  // The [year, month, day] `days` (floored) after 1970-01-01, null outside years 1–9999.
  function dateOfDays(days) {
    if (!isFinite(days)) return null;
    var whole = Math.floor(days);
    if (whole + 719163 < 1 || whole + 719163 > 3652059) return null;
    return civil(whole);
  }

  function pad(number, width) {
    var text = String(number);
    while (text.length < width) text = "0" + text;
    return text;
  }

  function isoDate(value) {
    if (typeof value === "string") {
      var parts = dateParts(value);
      if (parts !== null) return pad(parts[1], 4) + "-" + pad(parts[2], 2) + "-" + pad(parts[3], 2);
    }
    var found = dateOfDays(toNumber(value));
    return found ? pad(found[0], 4) + "-" + pad(found[1], 2) + "-" + pad(found[2], 2) : "";
  }

  function clockParts(value) {
    if (typeof value === "string") {
      var parts = dateParts(value);
      if (parts !== null) return parts;
    }
    var number = toNumber(value);
    var day = dateOfDays(number);
    if (day === null) return null;
    var days = Math.floor(number);
    var milliseconds = Math.floor((number - days) * 86400000 + 0.5);
    if (milliseconds >= 86400000) {
      days += 1;
      milliseconds -= 86400000;
      day = dateOfDays(days);
      if (day === null) return null;
    }
    return [
      days,
      day[0],
      day[1],
      day[2],
      Math.floor(milliseconds / 3600000),
      Math.floor(milliseconds / 60000) % 60,
      Math.floor(milliseconds / 1000) % 60,
      milliseconds % 1000
    ];
  }

  function formatDate(value, pattern) {
    var parts = clockParts(value);
    if (parts === null) return "";
    var codes = {
      Y: pad(parts[1], 4),
      y: pad(parts[1] % 100, 2),
      m: pad(parts[2], 2),
      n: String(parts[2]),
      d: pad(parts[3], 2),
      e: String(parts[3]),
      H: pad(parts[4], 2),
      h: String(parts[4]),
      M: pad(parts[5], 2),
      S: pad(parts[6], 2),
      "3": pad(parts[7], 3),
      a: WEEKDAYS[(((parts[0] + 4) % 7) + 7) % 7],
      b: MONTHS[parts[2] - 1],
      "%": "%"
    };
    var chars = Array.from(pattern);
    var out = [];
    var length = 0;
    var index = 0;
    while (index < chars.length && length <= MAX_TEXT) {
      var piece;
      if (chars[index] === "%" && index + 1 < chars.length) {
        piece = has(codes, chars[index + 1]) ? codes[chars[index + 1]] : "%" + chars[index + 1];
        index += 2;
      } else {
        piece = chars[index];
        index += 1;
      }
      out.push(piece);
      length += codePointLength(piece);
    }
    return bounded(out.join(""));
  }

  function nowText(now) {
    if (typeof now === "string") {
      var match = DATETIME_TEXT.exec(strip(now));
      if (match === null) return now;
      var zone = match[8] === "Z" ? "+00:00" : match[8] || "";
      return match[1] + "-" + match[2] + "-" + match[3] + "T" + match[4] + ":" + match[5] + ":" + (match[6] || "00") + zone;
    }
    var moment = now instanceof Date ? now : new Date();
    var offset = -moment.getTimezoneOffset();
    var sign = offset < 0 ? "-" : "+";
    offset = Math.abs(offset);
    return (
      pad(moment.getFullYear(), 4) + "-" + pad(moment.getMonth() + 1, 2) + "-" + pad(moment.getDate(), 2) + "T" +
      pad(moment.getHours(), 2) + ":" + pad(moment.getMinutes(), 2) + ":" + pad(moment.getSeconds(), 2) +
      sign + pad(Math.floor(offset / 60), 2) + ":" + pad(offset % 60, 2)
    );
  }

  // Numbers (expression_values.py) -----------------------------------------------------------

  // The shortest digits that read back as |number| (non-zero, finite) and the power of ten of the
  // first: 1234.5 → ["12345", 3]; the same as Python's repr() gives.
  function shortestDigits(number) {
    var parts = Math.abs(number).toExponential().split("e");
    var digits = parts[0].replace(".", "").replace(/0+$/, "") || "0";
    return [digits, parseInt(parts[1], 10)];
  }

  function increment(digits) {
    var out = digits.split("");
    for (var index = out.length - 1; index >= 0; index--) {
      if (out[index] !== "9") {
        out[index] = String(parseInt(out[index], 10) + 1);
        return out.join("");
      }
      out[index] = "0";
    }
    return "1" + out.join("");
  }

  function roundHalfAway(number, places) {
    if (places !== places || number !== number) return NaN;
    if (!isFinite(number) || number === 0) return number;
    var whole = isFinite(places) ? Math.trunc(places) : places > 0 ? 400 : -400;
    whole = Math.max(-400, Math.min(400, whole));
    var shortest = shortestDigits(number);
    var digits = shortest[0];
    var kept = shortest[1] + whole + 1;
    if (kept >= digits.length) return number;
    if (kept < 0) return 0;
    var head = digits.slice(0, kept) || "0";
    if (digits.charAt(kept) >= "5") head = increment(head);
    var result = parseFloat(head + "e" + -whole);
    return number < 0 ? -result : result;
  }

  function wholePower(base, exponent) {
    var result = 1;
    var square = base;
    var count = Math.abs(exponent);
    while (count > 0) {
      if (count % 2 === 1) result *= square;
      count = Math.floor(count / 2);
      if (count > 0) square *= square;
    }
    if (exponent < 0) return result === 0 ? NaN : 1 / result;
    return result;
  }

  var LN2_HIGH = 6.9314718036912381649e-1; // ln 2 in two parts, as expression_values.py
  var LN2_LOW = 1.90821492927058770002e-10;

  // ln(number) for a positive finite number, from + − × ÷ only (expression_values.py says why).
  function naturalLog(number) {
    var mantissa = number;
    var twos = 0;
    while (mantissa >= 2) {
      mantissa = mantissa / 2;
      twos = twos + 1;
    }
    while (mantissa < 1) {
      mantissa = mantissa * 2;
      twos = twos - 1;
    }
    var ratio = (mantissa - 1) / (mantissa + 1);
    var square = ratio * ratio;
    var series = 0;
    for (var index = 29; index >= 0; index--) series = series * square + 1 / (2 * index + 1);
    return twos * LN2_HIGH + (twos * LN2_LOW + 2 * ratio * series);
  }

  // e ** powerOfE for -746 < powerOfE ≤ 40, from + − × ÷ only.
  function exponential(powerOfE) {
    var twos = Math.floor(powerOfE / (LN2_HIGH + LN2_LOW) + 0.5);
    var rest = powerOfE - twos * LN2_HIGH - twos * LN2_LOW;
    var total = 1;
    for (var index = 29; index > 0; index--) total = 1 + (rest * total) / index;
    for (var step = 0; step < Math.abs(twos); step++) total = twos > 0 ? total * 2 : total / 2;
    return total;
  }

  function power(base, exponent) {
    if (!(isFinite(base) && isFinite(exponent))) return NaN;
    var result;
    if (exponent === Math.floor(exponent)) {
      result = wholePower(base, exponent);
    } else if (base < 0) {
      return NaN;
    } else if (base === 0) {
      result = exponent > 0 ? 0 : NaN;
    } else {
      var powerOfE = exponent * naturalLog(base);
      if (powerOfE > 40) return NaN;
      result = powerOfE < -745 ? 0 : parseFloat(exponential(powerOfE).toPrecision(12));
    }
    if (result !== result || Math.abs(result) > MAX_POWER) return NaN;
    return result;
  }

  // Python's meaning for the few pattern pieces whose meaning differs in JS: "." matches all
  // but a newline, and \s is ASCII whitespace (Python's re.ASCII).
  var PY_SPACE = "\\t\\n\\x0b\\x0c\\r ";
  function pythonPattern(pattern) {
    var out = "";
    var inSet = false;
    for (var i = 0; i < pattern.length; i++) {
      var ch = pattern.charAt(i);
      if (ch === "\\" && i + 1 < pattern.length) {
        var next = pattern.charAt(i + 1);
        i += 1;
        if (next === "s") out += inSet ? PY_SPACE : "[" + PY_SPACE + "]";
        else if (next === "S" && !inSet) out += "[^" + PY_SPACE + "]";
        else out += ch + next;
      } else if (inSet) {
        if (ch === "]") inSet = false;
        out += ch;
      } else if (ch === "[") {
        inSet = true;
        out += ch;
        // A "]" (or "^]") right after the opening bracket is a literal in Python.
        if (pattern.charAt(i + 1) === "^") out += pattern.charAt(++i);
        if (pattern.charAt(i + 1) === "]") {
          out += "\\]";
          i += 1;
        }
      } else if (ch === ".") {
        out += "[^\\n]";
      } else {
        out += ch;
      }
    }
    return out;
  }

  function fullMatch(pattern, text) {
    var expression;
    try {
      expression = new RegExp("^(?:" + pythonPattern(pattern) + ")$");
    } catch (error) {
      return false;
    }
    return expression.test(text);
  }

  function selectedNames(value) {
    if (Array.isArray(value)) return value.map(toString);
    return toString(value)
      .split(" ")
      .filter(function (part) {
        return part !== "";
      });
  }

  function answer(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "boolean" || typeof value === "number") return value;
    if (Array.isArray(value)) return value.map(toString).join(" ");
    if (typeof value === "object") return ""; // a repeat row or a matrix answer (as in Python)
    return String(value);
  }

  // Functions (expression_functions.py) ------------------------------------------------------

  // The items of all the values joined, stopping once the text passes MAX_TEXT characters.
  function joined(separator, values) {
    var out = [];
    var length = 0;
    var separatorLength = codePointLength(separator);
    for (var i = 0; i < values.length; i++) {
      var list = items(values[i]);
      for (var j = 0; j < list.length; j++) {
        var text = toString(list[j]);
        if (out.length && separator) {
          out.push(separator);
          length += separatorLength;
        }
        out.push(text);
        length += codePointLength(text);
        if (length > MAX_TEXT) return bounded(out.join(""));
      }
    }
    return bounded(out.join(""));
  }

  function numbers(values) {
    var found = [];
    values.forEach(function (value) {
      items(value).forEach(function (item) {
        found.push(toNumber(item));
      });
    });
    return found;
  }

  function extreme(values, greater) {
    var found = numbers(values);
    if (!found.length) return NaN;
    var best = found[0];
    for (var i = 0; i < found.length; i++) {
      if (found[i] !== found[i]) return NaN;
      if (greater ? found[i] > best : found[i] < best) best = found[i];
    }
    return best;
  }

  function total(values) {
    var sum = 0;
    numbers(values).forEach(function (number) {
      sum += number;
    });
    return sum;
  }

  function index(value) {
    var number = toNumber(value);
    return isFinite(number) ? Math.trunc(number) : null;
  }

  function at(list, position) {
    return position !== null && position >= 0 && position < list.length ? list[position] : "";
  }

  // substr(s, start[, end]): 0-based, end excluded; a negative index counts from the end.
  function substr(text, start, end) {
    var points = Array.from(text);
    var length = points.length;
    var position = function (value, missing) {
      var number = value !== undefined ? toNumber(value) : missing;
      if (number !== number) number = 0;
      if (number === Infinity) return length;
      if (number === -Infinity) return 0;
      var found = Math.trunc(number);
      if (found < 0) found += length;
      return Math.min(Math.max(found, 0), length);
    };
    var first = position(start, 0);
    var last = position(end, length);
    return first < last ? points.slice(first, last).join("") : "";
  }

  function questionName(text) {
    text = strip(text);
    var match = QUESTION_TEXT.exec(text);
    if (match) return match[1];
    var parts = text.replace(/\/+$/, "").split("/");
    return parts[parts.length - 1];
  }

  function randomUuid() {
    if (root.crypto && typeof root.crypto.randomUUID === "function") return root.crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = Math.floor(Math.random() * 16);
      return (c === "x" ? r : (r % 4) + 8).toString(16);
    });
  }

  function whole(number, rounding) {
    return isFinite(number) ? rounding(number) : number;
  }

  // name → function(values, env). `if` is not here: it evaluates only the branch it takes.
  var CALLS = {
    "selected": function (v) {
      return selectedNames(v[0]).indexOf(toString(v[1])) >= 0;
    },
    "count-selected": function (v) {
      return selectedNames(v[0]).length;
    },
    "selected-at": function (v) {
      return at(selectedNames(v[0]), index(v[1]));
    },
    "string-length": function (v) {
      return codePointLength(toString(v[0]));
    },
    "regex": function (v) {
      return fullMatch(toString(v[1]), toString(v[0]));
    },
    "contains": function (v) {
      return toString(v[0]).indexOf(toString(v[1])) >= 0;
    },
    "starts-with": function (v) {
      return toString(v[0]).startsWith(toString(v[1]));
    },
    "ends-with": function (v) {
      return toString(v[0]).endsWith(toString(v[1]));
    },
    "not": function (v) {
      return !truth(v[0]);
    },
    "true": function () {
      return true;
    },
    "false": function () {
      return false;
    },
    "boolean": function (v) {
      return truth(v[0]);
    },
    "boolean-from-string": function (v) {
      return TRUE_TEXT.test(toString(v[0]));
    },
    "number": function (v) {
      return toNumber(v[0]);
    },
    "int": function (v) {
      return Math.trunc(toNumber(v[0]));
    },
    "string": function (v) {
      return toString(v[0]);
    },
    "coalesce": function (v) {
      return toString(v[0]) !== "" ? v[0] : v[1];
    },
    "once": function (v) {
      return v[0];
    },
    "concat": function (v) {
      return joined("", v);
    },
    "join": function (v) {
      return joined(toString(scalar(v[0])), v.slice(1));
    },
    "substr": function (v) {
      return substr(toString(v[0]), v[1], v.length > 2 ? v[2] : undefined);
    },
    "substring-before": function (v) {
      var text = toString(v[0]);
      var found = text.indexOf(toString(v[1]));
      return found >= 0 ? text.slice(0, found) : "";
    },
    "substring-after": function (v) {
      var text = toString(v[0]);
      var part = toString(v[1]);
      var found = text.indexOf(part);
      return found >= 0 ? text.slice(found + part.length) : "";
    },
    "normalize-space": function (v) {
      return toString(v[0])
        .split(XPATH_SPACE)
        .filter(function (part) {
          return part !== "";
        })
        .join(" ");
    },
    "round": function (v) {
      return roundHalfAway(toNumber(v[0]), v.length > 1 ? toNumber(v[1]) : 0);
    },
    "floor": function (v) {
      return whole(toNumber(v[0]), Math.floor);
    },
    "ceiling": function (v) {
      return whole(toNumber(v[0]), Math.ceil);
    },
    "abs": function (v) {
      return Math.abs(toNumber(v[0]));
    },
    "pow": function (v) {
      return power(toNumber(v[0]), toNumber(v[1]));
    },
    "sqrt": function (v) {
      var number = toNumber(v[0]);
      return number >= 0 ? Math.sqrt(number) : NaN;
    },
    "min": function (v) {
      return extreme(v, false);
    },
    "max": function (v) {
      return extreme(v, true);
    },
    "sum": function (v) {
      return total(v);
    },
    "count": function (v) {
      return items(v[0]).length;
    },
    "count-non-empty": function (v) {
      return items(v[0]).filter(function (item) {
        return toString(item) !== "";
      }).length;
    },
    "indexed-repeat": function (v) {
      var row = index(scalar(v[2]));
      return at(items(v[0]), row === null ? null : row - 1);
    },
    "position": function (v, env) {
      return typeof env.position === "number" ? env.position : NaN;
    },
    "jr:choice-name": function (v, env) {
      if (typeof env.choiceName !== "function") return "";
      return bounded(toString(env.choiceName(toString(v[0]), questionName(toString(v[1])))));
    },
    "today": function (v, env) {
      return env.today;
    },
    "now": function (v, env) {
      return nowText(env.now);
    },
    "date": function (v) {
      return isoDate(v[0]);
    },
    "decimal-date-time": function (v) {
      return toNumber(v[0]);
    },
    "format-date": function (v) {
      return formatDate(v[0], toString(v[1]));
    },
    "format-date-time": function (v) {
      return formatDate(v[0], toString(v[1]));
    },
    "uuid": function () {
      return randomUuid();
    },
    "random": function () {
      return Math.random();
    }
  };

  // Evaluation -------------------------------------------------------------------------------

  function resolved(name, env) {
    if (typeof env.resolve !== "function") return answer(has(env.answers, name) ? env.answers[name] : undefined);
    var value = env.resolve(name);
    return Array.isArray(value) ? value.map(answer) : answer(value);
  }

  function evaluateNode(node, env) {
    switch (node[0]) {
      case "num":
      case "str":
        return node[1];
      case "ref":
        return resolved(node[1], env);
      case "dot":
        return answer(env.current);
      case "col":
        return answer(env.choice && has(env.choice, node[1]) ? env.choice[node[1]] : undefined);
      case "neg":
        return -toNumber(scalar(evaluateNode(node[1], env)));
      case "call": {
        var name = node[1];
        var args = node[2];
        if (name === "if") return evaluateNode(truth(scalar(evaluateNode(args[0], env))) ? args[1] : args[2], env);
        var values = [];
        if (name !== "position") {
          // position's argument is the parent (..), which has no value here
          values = args.map(function (arg) {
            var value = evaluateNode(arg, env);
            return has(NODESET_FUNCTIONS, name) ? value : scalar(value);
          });
        }
        return CALLS[name](values, env);
      }
    }
    var op = node[1];
    var left = scalar(evaluateNode(node[2], env));
    if (op === "and") return truth(left) && truth(scalar(evaluateNode(node[3], env)));
    if (op === "or") return truth(left) || truth(scalar(evaluateNode(node[3], env)));
    var right = scalar(evaluateNode(node[3], env));
    if (op === "=") return equal(left, right);
    if (op === "!=") return !equal(left, right);
    if (op === "<" || op === "<=" || op === ">" || op === ">=") return order(op, left, right);
    return arithmetic(op, left, right);
  }

  function localToday() {
    var now = new Date();
    return pad(now.getFullYear(), 4) + "-" + pad(now.getMonth() + 1, 2) + "-" + pad(now.getDate(), 2);
  }

  /** evaluate(source, answers, options): a number, string, boolean, or an array for a nodeset.
   * options: {current, today (YYYY-MM-DD, the browser's own date when left out), now (ISO
   * datetime string or Date; the browser's clock when left out), resolve, position, choice,
   * choiceName} — see the header. Bare names are read only when options.choice is given. */
  function evaluate(source, answers, options) {
    options = options || {};
    var env = {
      answers: answers || {},
      current: options.current === undefined ? "" : options.current,
      today: options.today || localToday(),
      now: options.now,
      resolve: options.resolve,
      position: options.position,
      choice: options.choice === undefined || options.choice === null ? null : options.choice,
      choiceName: options.choiceName
    };
    return evaluateNode(parse(source, env.choice !== null), env);
  }

  /** Whether a rule is satisfied; an empty rule always is. */
  function holds(source, answers, options) {
    if (!source || strip(String(source)) === "") return true;
    return truth(scalar(evaluate(source, answers, options)));
  }

  var api = {
    ExpressionError: ExpressionError,
    MAX_LENGTH: MAX_LENGTH,
    MAX_DEPTH: MAX_DEPTH,
    MAX_TEXT: MAX_TEXT,
    FUNCTIONS: FUNCTIONS,
    NONDETERMINISTIC: NONDETERMINISTIC,
    tokenize: tokenize,
    parse: parse,
    references: references,
    choiceColumns: choiceColumns,
    usesNondeterministic: usesNondeterministic,
    evaluate: evaluate,
    holds: holds,
    strip: strip,
    toNumber: toNumber,
    toString: toString,
    truth: truth
  };
  root.KetNoiExpressions = api;
  if (typeof module === "object" && module.exports) module.exports = api;
})(typeof self !== "undefined" ? self : this);
