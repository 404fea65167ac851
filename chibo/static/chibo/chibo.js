// Small behaviours without inline scripts (the Content-Security-Policy forbids them).
document.addEventListener("click", function (event) {
  // A tree node's toggle shows or hides children that htmx has already loaded.
  var button = event.target.closest("[data-tree-toggle]");
  if (!button) return;
  var list = document.getElementById(button.getAttribute("data-tree-toggle"));
  if (list && list.dataset.loaded === "1") {
    event.preventDefault();
    event.stopImmediatePropagation();
    var hidden = list.hasAttribute("hidden");
    if (hidden) list.removeAttribute("hidden"); else list.setAttribute("hidden", "");
    button.setAttribute("aria-expanded", hidden ? "true" : "false");
    button.textContent = hidden ? "−" : "+";
  }
}, true);
document.addEventListener("htmx:afterSwap", function (event) {
  var list = event.detail.target;
  if (list && list.matches && list.matches("ul[data-children]")) {
    list.dataset.loaded = "1";
    list.removeAttribute("hidden");
    var button = document.querySelector('[data-tree-toggle="' + list.id + '"]');
    if (button) { button.setAttribute("aria-expanded", "true"); button.textContent = "−"; }
  }
});
