/* The respondent page's check: the engine's mirror of the server (static/surveys/answers.js,
 * KetNoiAnswers.check — what definition.check_answers decides, for every form), called with the
 * page's language and its translated messages. One checker on the phone, so the phone and the
 * server cannot drift apart; respond_page.js uses it, and the tests call it as
 * KetNoiRespond.check(definition, answers).
 *
 * Plain ES2017, no framework. Loaded after expressions.js and answers.js.
 */
(function () {
  "use strict";

  var root = document.getElementById("survey");
  var lang = (root && root.getAttribute("data-lang")) || document.documentElement.lang || "vi";

  function messages() {
    var element = document.getElementById("survey-messages");
    try {
      return element ? JSON.parse(element.textContent) : {};
    } catch (error) {
      return {};
    }
  }

  function check(definition, raw, options) {
    var given = options || {};
    return window.KetNoiAnswers.check(definition, raw, {
      lang: given.lang || given.language || lang,
      messages: given.messages || messages(),
      today: given.today,
      now: given.now,
      files: given.files
    });
  }

  window.KetNoiRespond = window.KetNoiRespond || {};
  window.KetNoiRespond.check = check;
})();
