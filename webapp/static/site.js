// Instant search on the home page: results as you type, from the JSON API, in the ARIA
// combobox pattern (the search box is a combobox; the results a listbox whose options
// the arrow keys move through, Enter opens, Escape closes).
// Progressive enhancement only: without this script the form submits to /search, so
// the combobox roles are added here, not in the page.
// Text is set with textContent; the API's snippets are parsed into an inert document
// and only their text and <mark> elements are copied.
(function () {
  "use strict";

  var form = document.querySelector("form[data-instant-search]");
  var output = document.getElementById("instant-results");
  if (!form || !output || !window.fetch) return;
  var input = form.querySelector("input[name=q]");
  var endpoint = form.getAttribute("data-instant-search");
  var timer = null;
  var latest = 0;
  var lastQuery = "";
  var active = -1;
  var options = [];

  var status = element("p", "instant-status visually-hidden");
  status.id = "instant-status";
  status.setAttribute("role", "status");
  form.appendChild(status);
  var listbox = element("ul", "results");
  listbox.id = "instant-listbox";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Matching guides");

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  output.removeAttribute("aria-live");

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function snippet(html) {
    var p = element("p", "snippet");
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    doc.body.firstChild.childNodes.forEach(function (child) {
      if (child.nodeName === "MARK") p.appendChild(element("mark", "", child.textContent));
      else p.appendChild(document.createTextNode(child.textContent));
    });
    return p;
  }

  function guideUrl(result) {
    return "/guides/" + encodeURIComponent(result.slug) +
      (result.anchor ? "#" + encodeURIComponent(result.anchor) : "");
  }

  function setActive(index) {
    if (active >= 0 && options[active]) options[active].setAttribute("aria-selected", "false");
    active = index;
    if (active >= 0 && options[active]) {
      options[active].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function setOpen(open) {
    input.setAttribute("aria-expanded", open ? "true" : "false");
    output.hidden = !open;
    if (!open) setActive(-1);
  }

  function clear() {
    output.textContent = "";
    listbox.textContent = "";
    options = [];
    setOpen(false);
  }

  function go(option) {
    window.location.assign(option.getAttribute("data-href"));
  }

  function render(data, query) {
    clear();
    var results = data.results || [];
    var said;
    if (!results.length) {
      said = "No guide matches “" + query + "” yet. Press Enter to search.";
    } else if (!data.confident) {
      said = data.likely ? "No guide answers this exactly; these may be what you are looking for:"
        : "No guide answers this exactly; these mention some of your words:";
    } else {
      said = results.length === 1 ? "1 guide matches:" : results.length + " guides match:";
    }
    var shown = element("p", "instant-status", said);
    shown.setAttribute("aria-hidden", "true"); // announced once, by the status region
    output.appendChild(shown);
    status.textContent = said + (results.length ? " Use the arrow keys to choose one." : "");
    if (data.suggestion) {
      var hint = element("p", "did-you-mean", "Did you mean ");
      var link = element("a", "", data.suggestion);
      link.href = "/search?q=" + encodeURIComponent(data.suggestion);
      hint.appendChild(link);
      hint.appendChild(document.createTextNode("?"));
      output.appendChild(hint);
    }
    results.forEach(function (result, index) {
      var item = element("li", "result");
      item.id = "instant-option-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      item.setAttribute("data-href", guideUrl(result));
      item.appendChild(element("span", "result-title", result.title));
      var meta = result.category || "";
      if (result.section && result.section !== result.title) meta += " · " + result.section;
      if (meta) item.appendChild(element("span", "result-meta", meta));
      item.appendChild(snippet(result.snippet || ""));
      item.addEventListener("click", function () { go(item); });
      listbox.appendChild(item);
      options.push(item);
    });
    if (options.length) output.appendChild(listbox);
    setOpen(true);
  }

  function search() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    var ticket = ++latest;
    if (query.length < 3) {
      clear();
      status.textContent = "";
      return;
    }
    fetch(endpoint + "?limit=5&instant=true&q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" }
    }).then(function (response) {
      if (!response.ok) throw new Error("search failed: " + response.status);
      return response.json();
    }).then(function (data) {
      // Answers can arrive out of order: only the newest question's is shown.
      if (ticket === latest) render(data, query);
    }).catch(function () {
      if (ticket === latest) clear();
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    // A pause of a quarter second: results follow the typing without a request per key.
    timer = setTimeout(search, 250);
  });
  input.addEventListener("keydown", function (event) {
    var open = input.getAttribute("aria-expanded") === "true";
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!options.length) return;
      event.preventDefault();
      if (!open) setOpen(true);
      var step = event.key === "ArrowDown" ? 1 : -1;
      // From the box, Down goes to the first result and Up to the last; past either
      // end, back to the box.
      var next = active + step;
      if (active < 0 && step < 0) next = options.length - 1;
      setActive(next >= options.length || next < -1 ? -1 : next);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      go(options[active]);
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault(); // the first Escape closes the results, the text stays
        setOpen(false);
      } else {
        input.value = "";
        lastQuery = "";
        latest++;
        clear();
      }
    }
  });
  output.addEventListener("mousedown", function (event) {
    event.preventDefault(); // a click in the results keeps the focus in the search box
  });
  input.addEventListener("blur", function () {
    // Leaving the box closes the results; coming back shows them again.
    setOpen(false);
  });
  input.addEventListener("focus", function () {
    if (output.childNodes.length) setOpen(true);
  });
  setOpen(false);
})();

// Uploads in the wizard: the size and type are checked in the browser before anything is
// sent, so a person learns at once that a file is too large instead of after a long
// upload. The server checks again (and a file over the request limit comes back to the
// step with the same sentence).
(function () {
  "use strict";

  document.querySelectorAll("input[type=file][data-max-bytes]").forEach(function (input) {
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var types = (input.getAttribute("accept") || "").split(",").filter(function (t) {
      return t.indexOf("/") > 0;
    });
    var message = document.createElement("p");
    message.className = "field-error";
    message.id = "value-check";
    message.setAttribute("role", "alert");
    message.hidden = true;
    input.parentNode.insertBefore(message, input);

    function problem() {
      var file = input.files && input.files[0];
      if (!file) return "";
      if (types.length && types.indexOf(file.type) < 0) return input.getAttribute("data-wrong-type");
      if (file.size > limit) return input.getAttribute("data-too-large");
      return "";
    }

    function check() {
      var said = problem();
      // Said once, in the page (the submit handler below keeps the form from leaving):
      // the browser's own validation bubble would repeat it over the Continue button.
      message.textContent = said;
      message.hidden = !said;
      var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== message.id;
      });
      if (said) described.unshift(message.id);
      input.setAttribute("aria-describedby", described.join(" "));
      if (said) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      return !said;
    }

    input.addEventListener("change", check);
    input.form.addEventListener("submit", function (event) {
      if (!check()) {
        event.preventDefault();
        input.focus();
      }
    });
  });
})();
