/* Newsroom: the little the pages need beyond htmx. Everything works without it: links and
   forms carry the search state; this only makes the htmx swaps behave well. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  if (window.htmx) {
    // Defence in depth: our markup needs neither eval'd trigger filters nor <script> in swaps.
    window.htmx.config.allowEval = false;
    window.htmx.config.allowScriptTags = false;
    // htmx would add its indicator styles as an inline <style> (at DOMContentLoaded, after
    // this deferred script), which our Content-Security-Policy refuses; we use none of them.
    window.htmx.config.includeIndicatorStyles = false;
    // htmx 2 leaves 4xx/5xx responses unswapped. The search page answers a bad parameter (400),
    // a page past the end (404) and an unavailable index (503) with a results partial that
    // says what to do: swap those in. Any other failure is reported by showProblem below.
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "^(400|404|503)$", swap: true },
      { code: "[45]..", swap: false, error: true },
    ];
  }

  function showProblem(event, message) {
    var target = (event.detail && event.detail.target) || document.getElementById("results");
    if (!target) {
      return;
    }
    var box = document.createElement("div");
    box.className = "problem";
    box.setAttribute("role", "alert");
    var heading = document.createElement("h2");
    heading.textContent = "The search could not be updated";
    var text = document.createElement("p");
    text.textContent = message;
    var retry = document.createElement("p");
    var link = document.createElement("a");
    var path = event.detail && event.detail.pathInfo && event.detail.pathInfo.requestPath;
    link.href = path || window.location.href;
    link.textContent = "Load this search as a new page";
    retry.appendChild(link);
    box.append(heading, text, retry);
    target.replaceChildren(box);
    var status = document.getElementById("search-status");
    if (status) {
      status.textContent = "The search could not be updated.";
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : "unknown";
    showProblem(event, "The server had a problem answering (error " + status + "). Try again, or load the search as a new page.");
  });

  document.addEventListener("htmx:sendError", function (event) {
    showProblem(event, "The server could not be reached. Check your connection and try again.");
  });

  // htmx snapshots the page's HTML for Back/Forward. An input's value attribute is what the
  // server rendered, not what was typed since, so write in the words of the URL being saved:
  // going back then shows the words that match the restored results.
  document.addEventListener("htmx:beforeHistorySave", function (event) {
    var box = document.getElementById("q");
    if (!box || !event.detail || !event.detail.path) {
      return;
    }
    var words = new URL(event.detail.path, window.location.origin).searchParams.get("q") || "";
    box.setAttribute("value", words); // the attribute only: never what is being typed now
  });

  // A link inside the results (a page, a sort, a chip) is replaced by the swap; keep keyboard
  // and screen-reader users in place by moving focus to the top of the new results. (htmx
  // overwrites detail.elt with the settled element, so remember who asked.)
  var requester = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    requester = event.detail.elt;
  });
  document.addEventListener("htmx:afterSettle", function () {
    var source = requester;
    requester = null;
    if (!source || source.tagName !== "A" || document.body.contains(source)) {
      return;
    }
    var active = document.activeElement;
    if (active && active !== document.body) {
      return; // the reader has moved on (say, pressed "/" and is typing): leave focus there
    }
    var heading = document.getElementById("results-heading");
    if (heading) {
      heading.focus({ preventScroll: true });
      heading.scrollIntoView({ block: "nearest" });
    }
  });

  // "/" jumps to the search box, unless the reader is typing somewhere.
  function isTyping(element) {
    if (!element) {
      return false;
    }
    if (element.isContentEditable || element.tagName === "TEXTAREA" || element.tagName === "SELECT") {
      return true;
    }
    var nonText = ["checkbox", "radio", "button", "submit", "reset"];
    return element.tagName === "INPUT" && nonText.indexOf(element.type) < 0;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(document.activeElement)) {
      return;
    }
    var box = document.querySelector("[data-search-box]");
    if (box) {
      event.preventDefault();
      box.focus();
      box.select();
    }
  });

  // "Copy the citation": shown only where the clipboard can be written (else select the text).
  document.querySelectorAll("[data-copy-from]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy-from"));
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(
        function () {
          button.textContent = "Copied";
        },
        function () {
          button.textContent = "Could not copy: select the text instead";
        }
      );
    });
  });
})();
