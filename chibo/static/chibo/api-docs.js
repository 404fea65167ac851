// The API documentation page: Swagger UI (django-ninja's copy, served from our static files)
// inside chibo's layout. The settings come from the page; writes from the browser carry the
// CSRF token of the signed-in session.
(function () {
  function start() {
    var holder = document.getElementById("swagger-ui");
    if (!holder || !window.SwaggerUIBundle) return;
    var config = JSON.parse(document.getElementById("swagger-settings").textContent);
    config.dom_id = "#swagger-ui";
    config.presets = [window.SwaggerUIBundle.presets.apis];
    var token = holder.dataset.csrfToken;
    if (token) {
      config.requestInterceptor = function (request) {
        request.headers["X-CSRFToken"] = token;
        return request;
      };
    }
    holder.textContent = "";
    window.SwaggerUIBundle(config);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
