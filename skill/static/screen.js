// The companion screen: renders the household's state and keeps it live over Server-Sent Events.
// Every event carries its outbox id; the page remembers the last one, so a reconnect (automatic
// with Last-Event-ID, or ours with ?after=) continues exactly where it stopped.
(function () {
  "use strict";
  const state = JSON.parse(document.getElementById("state").textContent);
  const config = JSON.parse(document.getElementById("config").textContent);
  const STEPS = {
    pickup: ["placed", "accepted", "preparing", "ready", "completed"],
    delivery: ["placed", "accepted", "preparing", "out_for_delivery", "completed"],
  };
  // The page's words, names and formats in the screen's language (skill/screens/screen_text.py).
  const text = config.text;
  const label = (status) => text.labels[`status_${status}`] || status;
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, name) => values[name]);
  const received = [];
  let lastId = state.last_event_id;
  let source = null;
  let retryTimer = null;
  let retryDelay = 1000;

  const $ = (id) => document.getElementById(id);

  function money(minor, currency) {
    // narrowSymbol: "$4.99" in every language, not "US$4.99".
    const options = { style: "currency", currency, currencyDisplay: "narrowSymbol" };
    const format = new Intl.NumberFormat(text.locale, options);
    const digits = format.resolvedOptions().maximumFractionDigits;
    const template = text.money[currency]; // the locale's own way, e.g. "{amount}원"
    if (!template) return format.format(minor / 10 ** digits);
    const amount = new Intl.NumberFormat(text.locale, {
      minimumFractionDigits: digits, maximumFractionDigits: digits,
    }).format(minor / 10 ** digits);
    return fill(template, { amount });
  }

  function time(iso) {
    const options = { hour: "numeric", minute: "2-digit" };
    try {
      return new Date(iso).toLocaleTimeString(text.locale, { ...options, timeZone: config.timezone });
    } catch (_unknownZone) {
      return new Date(iso).toLocaleTimeString(text.locale, options);
    }
  }

  function itemName(line) {
    const name = text.products[line.sku] || line.name;
    const code = line.variant_code || line.variant;
    if (text.silent_sizes.includes(code)) return name;
    return fill(text.labels.line_with_size, { name, size: text.sizes[code] || line.variant });
  }

  function lineItems(list, lines, currency) {
    list.replaceChildren(...lines.map((line) => {
      const item = document.createElement("li");
      const what = document.createElement("span");
      what.textContent = `${line.quantity} × ${itemName(line)}`;
      const price = document.createElement("span");
      price.className = "price";
      price.textContent = money(line.total_minor, currency);
      item.append(what, price);
      return item;
    }));
  }

  function renderCart(cart) {
    lineItems($("cart-lines"), cart.lines, cart.currency);
    $("cart-empty").hidden = cart.lines.length > 0;
    // An empty cart has no currency of its own yet (the backend says USD): show no total.
    $("cart-total").parentElement.hidden = cart.lines.length === 0;
    $("cart-total").textContent = money(cart.total_minor, cart.currency);
  }

  function renderOrder(order) {
    $("order-none").hidden = Boolean(order);
    $("order-body").hidden = !order;
    if (!order) return;
    $("order-number").textContent = fill(text.labels.order_number, { number: order.number });
    $("order-status").textContent = label(order.status);
    $("order-status").dataset.status = order.status;
    const open = !["ready", "completed", "cancelled"].includes(order.status);
    const eta = order.fulfilment === "delivery" ? text.labels.eta_delivery : text.labels.eta_pickup;
    $("order-eta").textContent = order.eta && open ? fill(eta, { time: time(order.eta) }) : "";
    const reached = new Map(order.timeline.map((change) => [change.status, change.at]));
    const steps = order.status === "cancelled"
      ? [...order.timeline.map((change) => change.status)]
      : STEPS[order.fulfilment] || STEPS.pickup;
    $("timeline").replaceChildren(...steps.map((status) => {
      const item = document.createElement("li");
      item.dataset.status = status;
      item.className = status === order.status ? "current" : reached.has(status) ? "done" : "todo";
      const name = document.createElement("span");
      name.textContent = label(status);
      item.append(name);
      if (reached.has(status)) {
        const at = document.createElement("time");
        at.dateTime = reached.get(status);
        at.textContent = time(reached.get(status));
        item.append(at);
      }
      return item;
    }));
    lineItems($("order-lines"), order.lines, order.currency);
    $("order-total").textContent = money(order.total_minor, order.currency);
  }

  // Events may repeat the snapshot's state; these checks keep older news from winning.
  function applyCart(cart) {
    if (state.cart && cart.version < state.cart.version) return;
    state.cart = cart;
    renderCart(cart);
  }

  function applyOrder(order) {
    const shown = state.order;
    if (shown && shown.number === order.number && order.timeline.length < shown.timeline.length) return;
    if (shown && shown.number !== order.number && order.placed_at < shown.placed_at) return;
    state.order = order;
    renderOrder(order);
  }

  function onEvent(message) {
    const id = Number(message.lastEventId);
    if (!(id > lastId)) return; // once: never apply an event twice
    lastId = id;
    const data = JSON.parse(message.data);
    received.push({ id, kind: data.kind });
    if (data.kind === "cart_updated") applyCart(data.cart);
    else if (data.kind === "notice") showNotice(data.text);
    else if (data.kind === "screen_moved") window.location.reload(); // a kiosk's next customer
    else if (data.order) applyOrder(data.order);
  }

  // A kiosk's announcement ("Order A-109 is ready for pickup"), shown as well as spoken.
  function showNotice(text) {
    const banner = $("notice");
    banner.textContent = text;
    banner.hidden = false;
    clearTimeout(showNotice.timer);
    showNotice.timer = setTimeout(() => { banner.hidden = true; }, config.notice_ms || 60000);
  }

  function showLive(live) {
    const badge = $("live");
    badge.dataset.state = live ? "live" : "reconnecting";
    badge.textContent = live ? text.labels.live : text.labels.reconnecting;
  }

  function connect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    source = new EventSource(`${config.events}?after=${lastId}`);
    for (const kind of ["cart_updated", "order_placed", "order_status", "notice", "screen_moved"]) {
      source.addEventListener(kind, onEvent);
    }
    source.onopen = () => { retryDelay = 1000; showLive(true); };
    source.onerror = () => {
      showLive(false);
      // The browser retries by itself after a dropped stream; after a refused one it gives up.
      if (source.readyState === EventSource.CLOSED) {
        retryTimer = setTimeout(connect, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 15000);
      }
    };
  }

  function disconnect() {
    clearTimeout(retryTimer);
    if (source) source.close();
    source = null;
    showLive(false);
  }

  renderCart(state.cart);
  renderOrder(state.order);
  connect();
  window.vcomScreen = { connect, disconnect, received, lastEventId: () => lastId };
})();
