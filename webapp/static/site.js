// Instant search on the home page: results as you type, from the JSON API.
// Progressive enhancement only: without this script the form submits to /search.
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

  function render(data, query) {
    output.textContent = "";
    var results = data.results || [];
    var status = element("p", "instant-status");
    if (!results.length) {
      status.textContent = "No guide matches “" + query + "” yet. Press Enter to search.";
    } else if (!data.confident) {
      status.textContent = "No guide answers this exactly; these mention some of your words:";
    } else {
      status.textContent = results.length === 1 ? "1 guide matches:" :
        results.length + " guides match:";
    }
    output.appendChild(status);
    if (data.suggestion) {
      var hint = element("p", "did-you-mean", "Did you mean ");
      var link = element("a", "", data.suggestion);
      link.href = "/search?q=" + encodeURIComponent(data.suggestion);
      hint.appendChild(link);
      hint.appendChild(document.createTextNode("?"));
      output.appendChild(hint);
    }
    if (!results.length) return;
    var list = element("ol", "results");
    results.forEach(function (result) {
      var item = element("li", "result");
      var title = element("h2", "result-title");
      var link = element("a", "", result.title);
      link.href = guideUrl(result);
      title.appendChild(link);
      item.appendChild(title);
      var meta = result.category || "";
      if (result.section && result.section !== result.title) meta += " · " + result.section;
      if (meta) item.appendChild(element("p", "result-meta", meta));
      item.appendChild(snippet(result.snippet || ""));
      list.appendChild(item);
    });
    output.appendChild(list);
  }

  function search() {
    var query = input.value.trim();
    if (query === lastQuery) return;
    lastQuery = query;
    var ticket = ++latest;
    if (query.length < 3) {
      output.textContent = "";
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
      if (ticket === latest) output.textContent = "";
    });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    // A pause of a quarter second: results follow the typing without a request per key.
    timer = setTimeout(search, 250);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      input.value = "";
      lastQuery = "";
      latest++;
      output.textContent = "";
    }
  });
})();
