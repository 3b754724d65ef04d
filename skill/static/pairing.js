// An unpaired screen: waits to be paired (then shows the household) or for its code to expire.
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("config").textContent);
  const source = new EventSource(config.events);
  const reload = () => { source.close(); window.location.reload(); };
  source.addEventListener("paired", reload);
  source.addEventListener("expired", reload);
})();
