/* winwin: the share row's copy / native-share / Mastodon buttons and giscus.
 *
 * Progressive enhancement only: every share link is a plain <a href> that
 * works without this script. Nothing here makes a request on page load; the
 * giscus client is fetched only when the reader scrolls to it.
 */
(function () {
  "use strict";

  var MASTODON_KEY = "winwin.mastodon-instance";

  function absolute(url) {
    return new URL(url || "", document.baseURI).href;
  }

  function say(el, text) {
    var row = el.closest(".winwin-share");
    var status = row && row.querySelector(".winwin-share__status");
    if (status) status.textContent = text;
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // A host name like "fosstodon.org" from whatever the reader typed.
  function instanceHost(input) {
    var text = (input || "").trim().replace(/^@?[^@\s]*@(?=[^@\s]+$)/, "");
    if (!text) return null;
    try {
      var url = new URL(/^https?:\/\//i.test(text) ? text : "https://" + text);
      return /^[a-z0-9.-]+\.[a-z]{2,}$/i.test(url.hostname) ? url.hostname.toLowerCase() : null;
    } catch (e) {
      return null;
    }
  }

  function mastodonInstance(ask) {
    var store = storage();
    var saved = store && store.getItem(MASTODON_KEY);
    if (saved && !ask) return saved;
    var answer = window.prompt("Your Mastodon instance (for example mastodon.social):", saved || "");
    if (answer === null) return null;
    var host = instanceHost(answer);
    if (!host) {
      window.alert("That does not look like a Mastodon instance: type its address, e.g. mastodon.social.");
      return null;
    }
    if (store) store.setItem(MASTODON_KEY, host);
    return host;
  }

  function setUpShareRows() {
    document.querySelectorAll("[data-winwin-share=copy]").forEach(function (button) {
      if (!(navigator.clipboard && navigator.clipboard.writeText)) return;
      button.closest("li").hidden = false;
      button.addEventListener("click", function () {
        var url = absolute(button.dataset.url);
        navigator.clipboard.writeText(url).then(
          function () { say(button, "Link copied: " + url); },
          function () { say(button, "Could not copy; the address is " + url); }
        );
      });
    });

    document.querySelectorAll("[data-winwin-share=native]").forEach(function (button) {
      if (typeof navigator.share !== "function") return;
      button.closest("li").hidden = false;
      button.addEventListener("click", function () {
        navigator.share({
          title: button.dataset.title || document.title,
          text: button.dataset.text || "",
          url: absolute(button.dataset.url)
        }).catch(function (error) {
          if (error && error.name !== "AbortError") say(button, "Sharing failed: " + error.message);
        });
      });
    });

    var store = storage();
    var remembered = store && store.getItem(MASTODON_KEY);
    document.querySelectorAll("a[data-winwin-share=mastodon]").forEach(function (link) {
      function target(host) {
        return "https://" + host + "/share?text=" + encodeURIComponent(link.dataset.text || "");
      }
      // The plain link (middle-click, "copy link address") goes to the reader's own instance too.
      if (remembered) link.href = target(remembered);
      link.addEventListener("click", function (event) {
        // Alt-click asks again, to change the remembered instance.
        var host = mastodonInstance(event.altKey);
        event.preventDefault();
        if (!host) return;
        link.href = target(host);
        window.location.assign(link.href);
      });
    });
  }

  // giscus follows Material's palette toggle (data-md-color-scheme on <body>).
  function giscusTheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  function loadGiscus(box) {
    var script = document.createElement("script");
    script.src = "https://giscus.app/client.js";
    ["repo", "repoId", "category", "categoryId", "mapping", "lang"].forEach(function (key) {
      if (box.dataset[key]) script.dataset[key] = box.dataset[key];
    });
    script.dataset.reactionsEnabled = "1";
    script.dataset.emitMetadata = "0";
    script.dataset.inputPosition = "top";
    script.dataset.loading = "lazy";
    script.dataset.theme = giscusTheme();
    script.crossOrigin = "anonymous";
    script.async = true;
    box.appendChild(script);
  }

  function setUpGiscus() {
    var box = document.querySelector("[data-winwin-giscus]");
    if (!box) return;
    if ("IntersectionObserver" in window) {
      var seen = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) {
          seen.disconnect();
          loadGiscus(box);
        }
      }, { rootMargin: "400px" });
      seen.observe(box);
    } else {
      loadGiscus(box);
    }
    new MutationObserver(function () {
      var frame = document.querySelector("iframe.giscus-frame");
      if (frame && frame.contentWindow) {
        frame.contentWindow.postMessage({ giscus: { setConfig: { theme: giscusTheme() } } }, "https://giscus.app");
      }
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  function start() {
    setUpShareRows();
    setUpGiscus();
  }

  // Material's document$ emits for the first page and, with navigation.instant,
  // for every page swapped in without a reload.
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(start);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
