// Accessibility fixes for markup that mkdocs-material's JavaScript renders
// (templates cannot reach it); found by axe-core in tests/browser/test_a11y.py.

// Search results: Material wraps each result's tags (plain text, no links) in
// a <nav>, so several results make several unnamed navigation landmarks
// (axe rule landmark-unique). They are no navigation: drop the landmark.
(() => {
  const list = document.querySelector(".md-search-result__list");
  if (!list) return;
  const fix = () => {
    for (const nav of list.querySelectorAll("nav.md-tags:not([role])")) {
      nav.setAttribute("role", "none");
    }
  };
  new MutationObserver(fix).observe(list, { childList: true, subtree: true });
})();
