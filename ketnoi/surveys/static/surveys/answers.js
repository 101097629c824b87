/* Placeholder until the engine's answers.js (window.KetNoiAnswers) is merged: see respond_page.js. */
