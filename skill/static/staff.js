// The staff board stays current: the outbox's order events arrive over Server-Sent Events and
// the list is fetched again from the server (which renders times, totals and allowed moves).
(function () {
  "use strict";
  const config = JSON.parse(document.getElementById("staff-config").textContent);
  const badge = document.getElementById("live");
  let lastId = config.after;
  let source = null;
  let retryTimer = null;
  let retryDelay = 1000;
  let refreshing = null;
  let again = false;

  function showLive(live) {
    badge.dataset.state = live ? "live" : "reconnecting";
    badge.textContent = live ? "Live" : "Reconnecting…";
  }

  async function refresh() {
    if (refreshing) { again = true; return; } // one fetch at a time; one more after it
    refreshing = fetch(config.orders, { credentials: "same-origin", cache: "no-store" });
    try {
      const reply = await refreshing;
      if (reply.status === 403) { window.location.reload(); return; } // signed out elsewhere
      if (!reply.ok) return;
      const page = new DOMParser().parseFromString(await reply.text(), "text/html");
      const fresh = page.getElementById("orders-list");
      const shown = document.getElementById("orders-list");
      if (fresh && fresh.innerHTML !== shown.innerHTML) shown.replaceWith(fresh); // keep focus

    } finally {
      refreshing = null;
      if (again) { again = false; refresh(); }
    }
  }

  function onEvent(message) {
    const id = Number(message.lastEventId);
    if (!(id > lastId)) return;
    lastId = id;
    refresh();
  }

  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    source = new EventSource(`${config.events}?after=${lastId}`);
    for (const kind of ["order_placed", "order_status"]) source.addEventListener(kind, onEvent);
    source.onopen = () => {
      retryDelay = 1000;
      showLive(true);
      refresh(); // whatever happened while the stream was down
    };
    source.onerror = () => {
      showLive(false);
      if (source.readyState === EventSource.CLOSED) {
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      }
    };
  }

  connect();
}());
