// The handbook's only script (no inline script: the Content-Security-Policy forbids it):
// register the service worker (offline reading), and forget the kept pages and documents when
// the member signs out, so that the next person using the phone cannot read them.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    var url = document.documentElement.getAttribute("data-sw");
    if (url) navigator.serviceWorker.register(url, {scope: "/handbook/"}).catch(function () {});
  });
}
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute("data-forget-offline") || !window.caches) return;
  event.preventDefault();
  caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("chibo-") === 0; })
      .map(function (name) { return caches.delete(name); }));
  }).catch(function () {}).then(function () { form.submit(); });
});
