// Suggestions under the header's search box as the reader types: the likely
// completions of the last word, then up to five matching stories.
// The ARIA combobox pattern (WAI-ARIA 1.2): the input owns a listbox; the
// arrow keys move through it, Enter takes the active option, Escape closes.
// Without this file the box is a plain search form, and it still works.
(function () {
  "use strict";

  var input = document.getElementById("search-q");
  if (!input || !window.fetch) {
    return;
  }
  var form = input.form;
  var endpoint = form.getAttribute("data-suggest");
  if (!endpoint) {
    return;
  }
  var DELAY = 150; // ms after the last key: one request per pause, not per letter
  var MIN_LETTERS = 2;

  var list = document.createElement("ul");
  list.id = "search-suggestions";
  list.className = "search-suggest";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", "اقتراحات البحث");
  list.hidden = true;
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.classList.add("search-form--suggest");
  form.append(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("autocomplete", "off");

  var options = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var asked = "";

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function activate(index) {
    if (active >= 0) {
      options[active].element.setAttribute("aria-selected", "false");
    }
    active = index;
    if (index < 0) {
      input.removeAttribute("aria-activedescendant");
      return;
    }
    var element = options[index].element;
    element.setAttribute("aria-selected", "true");
    input.setAttribute("aria-activedescendant", element.id);
    element.scrollIntoView({ block: "nearest" });
  }

  function choose(option) {
    if (option.url) {
      window.location.assign(option.url);
      return;
    }
    input.value = option.text;
    close();
    form.submit();
  }

  function option(index, label, detail, value) {
    var element = document.createElement("li");
    element.id = "search-suggestion-" + index;
    element.setAttribute("role", "option");
    element.setAttribute("aria-selected", "false");
    element.className = "search-suggest__option" + (value.url ? " search-suggest__story" : "");
    var main = document.createElement("span");
    main.dir = "auto";
    main.textContent = label;
    element.append(main);
    if (detail) {
      var small = document.createElement("span");
      small.className = "search-suggest__detail";
      small.textContent = detail;
      element.append(small);
    }
    // mousedown, not click: the input keeps focus and the list stays open until chosen.
    element.addEventListener("mousedown", function (event) {
      event.preventDefault();
      choose(value);
    });
    return { element: element, text: value.text, url: value.url };
  }

  function show(answer) {
    list.textContent = "";
    options = [];
    active = -1;
    var typed = input.value.replace(/\s+$/, "");
    var head = typed.slice(0, typed.length - typed.split(/\s+/).pop().length);
    answer.words.forEach(function (word) {
      var text = head + word;
      options.push(option(options.length, text, "", { text: text }));
    });
    answer.stories.forEach(function (story) {
      options.push(
        option(options.length, story.headline, story.source + "، " + story.date, { url: story.url })
      );
    });
    options.forEach(function (item) {
      list.append(item.element);
    });
    if (!options.length) {
      close();
      status.textContent = "";
      return;
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
    status.textContent = "اقتراحات: " + options.length;
  }

  function ask() {
    var text = input.value;
    if (text.trim().length < MIN_LETTERS) {
      close();
      return;
    }
    if (text === asked && !list.hidden) {
      return;
    }
    asked = text;
    if (pending) {
      pending.abort();
    }
    pending = window.AbortController ? new AbortController() : null;
    fetch(endpoint + "?q=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" },
      signal: pending ? pending.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        // An answer to letters the reader has since changed is dropped.
        if (answer && input.value === text && document.activeElement === input) {
          show(answer);
        }
      })
      .catch(function () {
        // Offline or aborted: the plain search still works.
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, DELAY);
  });

  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && options.length;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!open) {
        ask();
        return;
      }
      event.preventDefault();
      var step = event.key === "ArrowDown" ? 1 : -1;
      var next = active + step;
      if (next >= options.length) {
        next = -1; // past the last option: back to the text as typed
      } else if (next < -1) {
        next = options.length - 1;
      }
      activate(next);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      close();
    }
  });

  input.addEventListener("blur", close);
})();
