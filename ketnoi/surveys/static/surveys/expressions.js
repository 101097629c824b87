/* The survey expression language in the browser: the same grammar and semantics as
 * ketnoi/surveys/expressions.py (read its docstring), parsed and evaluated without eval or
 * Function. Both run the shared cases in ketnoi/surveys/tests/expression_cases.json.
 *
 * Values are numbers, strings and booleans, as in Python: a JS number stands for a Python
 * float, and turning it into text follows Python's str()/repr() rules so that string
 * comparisons, string-length() and selected() give the same answer on both sides.
 *
 * regex(a, pattern) uses the pattern dialect both engines share: ASCII classes (\d, \w),
 * character sets, groups, alternation and counted repeats; Python-only syntax such as
 * (?P<name>…) does not match in the browser.
 *
 * Plain ES2017, no dependencies. Exposes the global KetNoiExpressions.
 */
(function (root) {
  "use strict";

  var MAX_LENGTH = 1000; // characters (code points) of one expression
  var MAX_DEPTH = 32; // nested brackets, function calls and minus signs
  // Python's str.isspace() characters: what `\s` and strip() mean on the server.
  var WS = "[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
  var TOKEN = new RegExp(
    WS + "*(?:" +
      "([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)" + // 1 number
      "|('[^']*'|\"[^\"]*\")" + // 2 string
      "|\\$\\{" + WS + "*([A-Za-z_][A-Za-z0-9_.\\-]*)" + WS + "*\\}" + // 3 reference
      "|(<=|>=|!=|=|<|>|\\+|-|\\*|\\(|\\)|,)" + // 4 operator
      "|([A-Za-z_][A-Za-z0-9_\\-]*)" + // 5 name
      "|(\\.)" + // 6 dot
      ")",
    "y"
  );
  var ONLY_SPACE = new RegExp("^" + WS + "*$");
  var LEADING_SPACE = new RegExp("^" + WS + "+");
  var STRIP = new RegExp("^" + WS + "+|" + WS + "+$", "g");
  var NUMBER_TEXT = /^-?([0-9]+(\.[0-9]*)?|\.[0-9]+)$/;
  var FUNCTIONS = {
    "selected": 2,
    "count-selected": 1,
    "string-length": 1,
    "regex": 2,
    "contains": 2,
    "starts-with": 2,
    "not": 1,
    "true": 0,
    "false": 0,
    "number": 1,
    "int": 1,
    "if": 3,
    "coalesce": 2,
    "today": 0
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
      } else token = { kind: "dot", text: match[6] };
      token.position = start;
      tokens.push(token);
      position = TOKEN.lastIndex;
    }
    tokens.push({ kind: "end", text: "", position: source.length });
    return tokens;
  }

  // The tree, as in Python: ["num", n] ["str", s] ["ref", name] ["dot"] ["call", name, args]
  // ["neg", x] ["bin", op, left, right]

  function Parser(tokens) {
    this.tokens = tokens;
    this.index = 0;
    this.depth = 0;
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
      if (!has(FUNCTIONS, token.text)) {
        throw new ExpressionError("unknown function '" + token.text + "' at " + (token.position + 1));
      }
      this.take("op", "(");
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
      if (args.length !== FUNCTIONS[token.text]) {
        throw new ExpressionError(
          token.text + "() takes " + FUNCTIONS[token.text] + " argument(s), " + args.length + " given"
        );
      }
      return ["call", token.text, args];
    }
    throw new ExpressionError("unexpected '" + (token.text || "end of expression") + "' at " + (token.position + 1));
  };

  var cache = new Map();

  /** The tree of an expression; throws ExpressionError when it cannot be read. */
  function parse(source) {
    source = String(source);
    if (cache.has(source)) return cache.get(source);
    var tree = new Parser(tokenize(source)).parse();
    if (cache.size > 2048) cache.clear();
    cache.set(source, tree);
    return tree;
  }

  /** The question names an expression refers to with ${…}, in order, without repeats. */
  function references(source) {
    var found = [];
    (function walk(node) {
      if (node[0] === "ref") {
        if (found.indexOf(node[1]) < 0) found.push(node[1]);
      } else if (node[0] === "call") {
        node[2].forEach(walk);
      } else if (node[0] === "neg") {
        walk(node[1]);
      } else if (node[0] === "bin") {
        walk(node[2]);
        walk(node[3]);
      }
    })(parse(source));
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
    return NUMBER_TEXT.test(text) ? parseFloat(text) : NaN;
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

  function selectedNames(value) {
    if (Array.isArray(value)) return value.map(toString);
    return toString(value)
      .split(" ")
      .filter(function (part) {
        return part !== "";
      });
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

  function answer(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "boolean" || typeof value === "number") return value;
    if (Array.isArray(value)) return value.map(toString).join(" ");
    return String(value);
  }

  function call(name, args, env) {
    if (name === "if") return evaluateNode(truth(evaluateNode(args[0], env)) ? args[1] : args[2], env);
    var values = args.map(function (arg) {
      return evaluateNode(arg, env);
    });
    switch (name) {
      case "selected":
        return selectedNames(values[0]).indexOf(toString(values[1])) >= 0;
      case "count-selected":
        return selectedNames(values[0]).length;
      case "string-length":
        return codePointLength(toString(values[0]));
      case "regex":
        return fullMatch(toString(values[1]), toString(values[0]));
      case "contains":
        return toString(values[0]).indexOf(toString(values[1])) >= 0;
      case "starts-with":
        return toString(values[0]).startsWith(toString(values[1]));
      case "not":
        return !truth(values[0]);
      case "true":
        return true;
      case "false":
        return false;
      case "number":
        return toNumber(values[0]);
      case "int": {
        var number = toNumber(values[0]);
        return Math.trunc(number);
      }
      case "coalesce":
        return toString(values[0]) !== "" ? values[0] : values[1];
      case "today":
        return env.today;
    }
    throw new ExpressionError("unknown function '" + name + "'");
  }

  function evaluateNode(node, env) {
    switch (node[0]) {
      case "num":
      case "str":
        return node[1];
      case "ref":
        return answer(has(env.answers, node[1]) ? env.answers[node[1]] : undefined);
      case "dot":
        return answer(env.current);
      case "neg":
        return -toNumber(evaluateNode(node[1], env));
      case "call":
        return call(node[1], node[2], env);
    }
    var op = node[1];
    if (op === "and") return truth(evaluateNode(node[2], env)) && truth(evaluateNode(node[3], env));
    if (op === "or") return truth(evaluateNode(node[2], env)) || truth(evaluateNode(node[3], env));
    var left = evaluateNode(node[2], env);
    var right = evaluateNode(node[3], env);
    if (op === "=") return equal(left, right);
    if (op === "!=") return !equal(left, right);
    if (op === "<" || op === "<=" || op === ">" || op === ">=") return order(op, left, right);
    return arithmetic(op, left, right);
  }

  function localToday() {
    var now = new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  }

  /** evaluate(source, answers, {current, today}): a number, string or boolean. today is an ISO
   * date (YYYY-MM-DD), the browser's own date when left out. */
  function evaluate(source, answers, options) {
    options = options || {};
    var env = {
      answers: answers || {},
      current: options.current === undefined ? "" : options.current,
      today: options.today || localToday()
    };
    return evaluateNode(parse(source), env);
  }

  /** Whether a relevance or constraint rule is satisfied; an empty rule always is. */
  function holds(source, answers, options) {
    if (!source || strip(String(source)) === "") return true;
    return truth(evaluate(source, answers, options));
  }

  var api = {
    ExpressionError: ExpressionError,
    MAX_LENGTH: MAX_LENGTH,
    MAX_DEPTH: MAX_DEPTH,
    tokenize: tokenize,
    parse: parse,
    references: references,
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
