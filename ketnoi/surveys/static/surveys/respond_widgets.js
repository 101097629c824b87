/* The respondent page's widgets that are more than one form field (respond.js drives them):
 *
 * - repeats: each repeat is drawn once inside a <template>; a row is a clone whose names and ids
 *   get the row's path (`member[0].m_age`, nested `member[0].visit[1].v_date`), which is how
 *   readRaw() in respond.js rebuilds the nested answers of forms-spec §2;
 * - geopoint: "Lấy vị trí" asks navigator.geolocation (high accuracy), typed latitude/longitude
 *   are the fallback; the answer "lat lon altitude accuracy" sits in a hidden input;
 * - image/audio/file: the chosen file is kept as a Blob under a file name made here (the
 *   answer), checked against the size limit before anything is queued;
 * - rank (up/down buttons, no drag needed) and range (the value shown beside the slider).
 *
 * Plain ES2017, no framework; every text comes from the page's messages.
 */
(function () {
  "use strict";

  var RENAMED = ["name", "data-q", "data-error-for", "data-other-for", "data-repeat", "data-rows-for", "data-add-row"];
  var IDS = ["id", "for", "aria-describedby"];

  function format(template, values) {
    return String(template || "").replace(/%\((\w+)\)s/g, function (whole, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole;
    });
  }

  function setup(options) {
    var form = options.form;
    var messages = options.messages || {};
    var changed = options.changed; // (element) after a widget set a value itself
    var kept = options.kept || { keep: function () {}, forget: function () {} }; // draft files
    var blobs = {}; // file name (the answer) -> Blob
    var previews = {};

    // Repeats ------------------------------------------------------------------------------

    function rowsOf(section) {
      var holder = section.querySelector(":scope > [data-rows-for]");
      return holder ? Array.prototype.slice.call(holder.children) : [];
    }

    // Names get the row's path in front; ids get it as a suffix so labels still find inputs.
    function localise(row, prefix) {
      var suffix = "--" + prefix.replace(/[^A-Za-z0-9_-]/g, "-");
      var elements = [row].concat(Array.prototype.slice.call(row.querySelectorAll("*")));
      elements.forEach(function (element) {
        RENAMED.forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, prefix + value);
        });
        IDS.forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (!value) return;
          element.setAttribute(
            attribute,
            value
              .split(/\s+/)
              .map(function (id) {
                return id ? id + suffix : id;
              })
              .join(" ")
          );
        });
      });
    }

    function numberRows(section) {
      rowsOf(section).forEach(function (row, index) {
        var number = row.querySelector(".row-number");
        if (number) number.textContent = format(messages.row, { n: index + 1 });
      });
    }

    function addRow(section) {
      var path = section.getAttribute("data-repeat");
      var template = section.querySelector(":scope > template[data-row-template]");
      var holder = section.querySelector(":scope > [data-rows-for]");
      if (!template || !holder) return null;
      var row = template.content.firstElementChild.cloneNode(true);
      var prefix = path + "[" + holder.children.length + "].";
      localise(row, prefix);
      row.setAttribute("data-prefix", prefix);
      holder.appendChild(row);
      numberRows(section);
      return row;
    }

    // Rows are only ever removed from the end: a row in the middle is removed by the page, which
    // moves the answers of the rows below it up first (their names hold their index).
    function setRowCount(section, count) {
      var rows = rowsOf(section);
      var changedCount = rows.length !== count;
      for (var i = rows.length; i < count; i++) addRow(section);
      for (var j = rows.length - 1; j >= count; j--) rows[j].remove();
      return changedCount;
    }

    // Geopoint -----------------------------------------------------------------------------

    function geoParts(box) {
      return {
        value: box.querySelector("[data-geo-value]"),
        status: box.querySelector("[data-geo-status]"),
        manual: box.querySelector("[data-geo-manual]"),
        lat: box.querySelector('[data-geo="lat"]'),
        lon: box.querySelector('[data-geo="lon"]')
      };
    }

    function showLocation(parts) {
      var numbers = (parts.value.value || "").split(" ");
      if (numbers.length < 4 || numbers[0] === "") {
        parts.status.textContent = "";
        return;
      }
      parts.status.textContent = format(messages.location, {
        lat: numbers[0],
        lon: numbers[1],
        accuracy: Math.round(Number(numbers[3]) || 0)
      });
    }

    function locate(button) {
      var box = button.closest(".q");
      var parts = geoParts(box);
      var refused = function () {
        parts.status.textContent = messages.location_refused || "";
        if (parts.manual) parts.manual.open = true;
        if (parts.lat) parts.lat.focus();
      };
      if (!navigator.geolocation) {
        refused();
        return;
      }
      parts.status.textContent = messages.locating || "";
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          button.disabled = false;
          var c = position.coords;
          parts.value.value = [c.latitude, c.longitude, c.altitude || 0, c.accuracy || 0].join(" ");
          if (parts.lat) parts.lat.value = String(c.latitude);
          if (parts.lon) parts.lon.value = String(c.longitude);
          showLocation(parts);
          changed(parts.value);
        },
        function () {
          button.disabled = false;
          refused();
        },
        { enableHighAccuracy: true, timeout: 30000, maximumAge: 0 }
      );
    }

    // Typed coordinates: the answer follows them; out-of-range numbers are left to the check.
    function typedLocation(input) {
      var parts = geoParts(input.closest(".q"));
      var lat = parts.lat.value.trim().replace(",", ".");
      var lon = parts.lon.value.trim().replace(",", ".");
      parts.value.value = lat && lon ? [lat, lon, 0, 0].join(" ") : "";
      showLocation(parts);
      return parts.value;
    }

    // Files --------------------------------------------------------------------------------

    function fileName(file) {
      var match = /\.([A-Za-z0-9]{1,8})$/.exec(file.name || "");
      var random = Math.floor(Math.random() * 1e6);
      return Date.now() + "-" + random + (match ? "." + match[1].toLowerCase() : "");
    }

    function fileParts(box) {
      return {
        value: box.querySelector("[data-file-value]"),
        status: box.querySelector("[data-file-status]"),
        preview: box.querySelector("[data-file-preview]")
      };
    }

    function showFile(parts, label, problem) {
      parts.status.textContent = problem || (label ? format(messages.file_chosen, { name: label }) : "");
      parts.status.classList.toggle("q-error", !!problem);
      var blob = blobs[parts.value.value];
      if (!parts.preview) return;
      if (blob && /^image\//.test(blob.type || "")) {
        if (!previews[parts.value.value]) previews[parts.value.value] = URL.createObjectURL(blob);
        parts.preview.src = previews[parts.value.value];
        parts.preview.hidden = false;
      } else {
        parts.preview.removeAttribute("src");
        parts.preview.hidden = true;
      }
    }

    function chooseFile(input) {
      var parts = fileParts(input.closest(".q"));
      var file = input.files && input.files[0];
      if (parts.value.value) {
        kept.forget(parts.value.value);
        delete blobs[parts.value.value];
      }
      parts.value.value = "";
      if (!file) {
        showFile(parts, "");
      } else if (file.size > (messages.max_media_bytes || 10485760)) {
        input.value = "";
        var megabytes = (file.size / 1048576).toFixed(1);
        showFile(parts, "", format(messages.file_too_big, { name: file.name, size: megabytes }));
      } else {
        var name = fileName(file);
        blobs[name] = file;
        kept.keep(name, file);
        parts.value.value = name;
        showFile(parts, file.name);
      }
      return parts.value;
    }

    // Rank and range -----------------------------------------------------------------------

    function rankValue(list) {
      return Array.prototype.map
        .call(list.children, function (item) {
          return item.getAttribute("data-choice");
        })
        .join(" ");
    }

    function move(button) {
      var item = button.closest("li");
      var list = item.parentNode;
      var step = Number(button.getAttribute("data-move"));
      var other = step < 0 ? item.previousElementSibling : item.nextElementSibling;
      if (other) list.insertBefore(item, step < 0 ? other : other.nextSibling);
      var value = list.closest(".q").querySelector("[data-rank-value]");
      value.value = rankValue(list);
      button.focus();
      return value;
    }

    function showRange(input) {
      var output = input.parentNode.querySelector("output");
      if (output) output.textContent = input.hasAttribute("data-unset") ? messages.unset || "" : input.value;
    }

    // After the page filled stored answers in: the widgets show them.
    function refill() {
      Array.prototype.forEach.call(form.querySelectorAll('input[type="range"]'), function (input) {
        showRange(input);
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-rank-value]"), function (input) {
        var list = input.closest(".q").querySelector("[data-rank]");
        input.value.split(" ").forEach(function (name) {
          var item = name && list.querySelector('[data-choice="' + name.replace(/["\\]/g, "") + '"]');
          if (item) list.appendChild(item);
        });
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-geo-value]"), function (input) {
        showLocation(geoParts(input.closest(".q")));
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-file-value]"), function (input) {
        showFile(fileParts(input.closest(".q")), input.value && blobs[input.value] ? blobs[input.value].name || "" : "");
      });
    }

    // The files kept with the draft are back (or not): an answer whose file is gone is asked
    // for again. True when an answer had to be cleared.
    function adopt(files) {
      var cleared = false;
      Object.keys(files || {}).forEach(function (name) {
        blobs[name] = files[name];
      });
      Array.prototype.forEach.call(form.querySelectorAll("[data-file-value]"), function (input) {
        var parts = fileParts(input.closest(".q"));
        if (input.value && !blobs[input.value]) {
          input.value = "";
          showFile(parts, "", messages.file_lost);
          cleared = true;
        } else {
          showFile(parts, input.value && blobs[input.value] ? blobs[input.value].name || "" : "");
        }
      });
      return cleared;
    }

    // The element whose answer an input event changed, after the widget updated it.
    function sync(target) {
      if (target.type === "range") {
        target.removeAttribute("data-unset");
        showRange(target);
        return target;
      }
      if (target.hasAttribute("data-geo")) return typedLocation(target);
      if (target.type === "file") return chooseFile(target);
      return target;
    }

    form.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button || !form.contains(button)) return;
      if (button.hasAttribute("data-add-row")) {
        var section = button.closest("[data-repeat]");
        var row = addRow(section);
        changed(section);
        var first = row && row.querySelector("input, select, textarea");
        if (first) first.focus();
      } else if (button.hasAttribute("data-remove-row")) {
        options.removeRow(button.closest("[data-row]"));
      } else if (button.hasAttribute("data-geo-locate")) {
        locate(button);
      } else if (button.hasAttribute("data-move")) {
        changed(move(button));
      }
    });

    function reset() {
      Object.keys(previews).forEach(function (name) {
        URL.revokeObjectURL(previews[name]);
      });
      blobs = {};
      previews = {};
      Array.prototype.forEach.call(form.querySelectorAll('input[type="range"]'), function (input) {
        if (!input.hasAttribute("value")) input.setAttribute("data-unset", "");
      });
    }

    return {
      rowsOf: rowsOf,
      addRow: addRow,
      setRowCount: setRowCount,
      numberRows: numberRows,
      sync: sync,
      refill: refill,
      adopt: adopt,
      reset: reset,
      blob: function (name) {
        return blobs[name];
      },
      names: function () {
        return Object.keys(blobs);
      },
      format: format
    };
  }

  window.KetNoiWidgets = { setup: setup, format: format };
})();
