// The handbook's only script: register the service worker (offline reading). No inline script:
// the Content-Security-Policy forbids it.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    var url = document.documentElement.getAttribute("data-sw");
    if (url) navigator.serviceWorker.register(url, {scope: "/handbook/"}).catch(function () {});
  });
}
