/* Where the respondent page keeps what it has not sent yet: KetNoiQueue.open(token) gives a
 * queue of submissions {uuid, answers, version, queued, files: {file name: Blob}} kept in
 * IndexedDB, which holds the photos and recordings of media answers as Blobs. When IndexedDB is
 * refused (some private modes, an old WebView) text-only submissions go to the localStorage
 * queue the page has always used (ketnoi.surveys.queue.<token>); a submission with files then
 * stays in memory only and the page says so. Items a previous version of the page left in
 * localStorage are still listed and sent.
 *
 * KetNoiQueue.request(item) is the body and headers of the POST: JSON when there are no files,
 * otherwise multipart/form-data with the JSON in the field `submission` and one part per file,
 * named as the answer names it (forms-spec §3).
 *
 * Plain ES2017, no framework, no text of its own.
 */
(function () {
  "use strict";

  var DB_NAME = "ketnoi-respond";
  var STORE = "queue";
  var FILES = "draft-files"; // the files of the form being answered, before it is sent
  var KEY = "ketnoi.surveys.queue.";

  function hasFiles(item) {
    return !!item.files && Object.keys(item.files).length > 0;
  }

  function local(token) {
    var key = KEY + token;
    return {
      list: function () {
        try {
          var queue = JSON.parse(window.localStorage.getItem(key) || "null");
          return Array.isArray(queue) ? queue : [];
        } catch (error) {
          return [];
        }
      },
      write: function (queue) {
        if (queue.length) window.localStorage.setItem(key, JSON.stringify(queue));
        else window.localStorage.removeItem(key);
      }
    };
  }

  var database = null;
  function openDatabase() {
    if (database) return database;
    database = new Promise(function (resolve, reject) {
      if (!window.indexedDB) {
        reject(new Error("no IndexedDB"));
        return;
      }
      var request = window.indexedDB.open(DB_NAME, 2);
      request.onupgradeneeded = function () {
        var db = request.result;
        if (!db.objectStoreNames.contains(STORE)) db.createObjectStore(STORE, { keyPath: "uuid" }).createIndex("token", "token");
        if (!db.objectStoreNames.contains(FILES)) db.createObjectStore(FILES, { keyPath: "key" }).createIndex("token", "token");
      };
      request.onsuccess = function () {
        resolve(request.result);
      };
      request.onerror = function () {
        reject(request.error);
      };
      request.onblocked = function () {
        reject(new Error("blocked"));
      };
    });
    return database;
  }

  function transact(mode, work, storeName) {
    return openDatabase().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(storeName || STORE, mode);
        var result = work(transaction.objectStore(storeName || STORE));
        transaction.oncomplete = function () {
          resolve(result && typeof result === "object" && "result" in result ? result.result : undefined);
        };
        transaction.onerror = function () {
          reject(transaction.error);
        };
        transaction.onabort = function () {
          reject(transaction.error || new Error("aborted"));
        };
      });
    });
  }

  function open(token) {
    var fallback = local(token);
    var memory = [];

    function byAge(a, b) {
      return (a.queued || 0) - (b.queued || 0);
    }

    function list() {
      var kept = fallback.list().concat(memory);
      return transact("readonly", function (store) {
        return store.index("token").getAll(token);
      })
        .catch(function () {
          return [];
        })
        .then(function (items) {
          var seen = {};
          return (items || [])
            .concat(kept)
            .filter(function (item) {
              if (!item || !item.uuid || seen[item.uuid]) return false;
              seen[item.uuid] = true;
              return true;
            })
            .sort(byAge);
        });
    }

    // Resolves to "indexeddb", "local" or "memory": where the item is kept.
    function add(item) {
      var record = {
        uuid: item.uuid,
        token: token,
        answers: item.answers,
        version: item.version,
        queued: item.queued,
        files: item.files || {}
      };
      return transact("readwrite", function (store) {
        store.put(record);
      })
        .then(function () {
          return "indexeddb";
        })
        .catch(function () {
          if (!hasFiles(record)) {
            try {
              var queue = fallback.list();
              queue.push({ uuid: record.uuid, answers: record.answers, version: record.version, queued: record.queued });
              fallback.write(queue);
              return "local";
            } catch (error) {
              /* full or refused: memory below */
            }
          }
          memory.push(record);
          return "memory";
        });
    }

    function drop(uuid) {
      memory = memory.filter(function (item) {
        return item.uuid !== uuid;
      });
      try {
        fallback.write(
          fallback.list().filter(function (item) {
            return item.uuid !== uuid;
          })
        );
      } catch (error) {
        /* nothing kept there */
      }
      return transact("readwrite", function (store) {
        store.delete(uuid);
      }).catch(function () {
        return undefined;
      });
    }

    return { list: list, add: add, drop: drop };
  }

  /* The photos and recordings of the form being answered, so that a page the phone reloaded
   * (Android often drops a tab while the camera is open) gets them back with the draft. Every
   * call resolves, even without IndexedDB: the page then asks for the file again. */
  function draftFiles(token) {
    function quietly(promise, fallback) {
      return promise.catch(function () {
        return fallback;
      });
    }
    return {
      keep: function (name, blob) {
        return quietly(
          transact("readwrite", function (store) {
            store.put({ key: token + "/" + name, token: token, name: name, blob: blob });
          }, FILES)
        );
      },
      forget: function (name) {
        return quietly(
          transact("readwrite", function (store) {
            store.delete(token + "/" + name);
          }, FILES)
        );
      },
      all: function () {
        return quietly(
          transact("readonly", function (store) {
            return store.index("token").getAll(token);
          }, FILES).then(function (rows) {
            var files = {};
            (rows || []).forEach(function (row) {
              files[row.name] = row.blob;
            });
            return files;
          }),
          {}
        );
      },
      clear: function () {
        return quietly(
          transact("readwrite", function (store) {
            var keys = store.index("token").getAllKeys(token);
            keys.onsuccess = function () {
              keys.result.forEach(function (key) {
                store.delete(key);
              });
            };
          }, FILES)
        );
      }
    };
  }

  function request(item, csrf) {
    var headers = { Accept: "application/json" };
    if (csrf) headers["X-CSRFToken"] = csrf;
    var submission = JSON.stringify({ uuid: item.uuid, answers: item.answers, version: item.version });
    if (!hasFiles(item)) {
      headers["Content-Type"] = "application/json";
      return { headers: headers, body: submission };
    }
    // The browser writes the multipart boundary into Content-Type itself.
    var body = new FormData();
    body.append("submission", submission);
    Object.keys(item.files).forEach(function (name) {
      body.append(name, item.files[name], name);
    });
    return { headers: headers, body: body };
  }

  window.KetNoiQueue = { open: open, request: request, hasFiles: hasFiles, draftFiles: draftFiles };
})();
