/*
 * Treue chat widget: plain JavaScript, no build step, no dependencies.
 *
 * Embed it with one script tag (see docs/widget.md):
 *
 *   <link rel="stylesheet" href="treue-widget.css">
 *   <script src="treue-widget.js"
 *           data-treue-url="ws://127.0.0.1:8080/"
 *           data-treue-lang="de"></script>
 *
 * Optional attributes:
 *   data-treue-url     WebSocket URL of `treue serve --websocket-port` (or a websockify proxy)
 *                      (default: the page's own host, ws: or wss: to match http: or https:)
 *   data-treue-lang    de | en (default de); the customer can switch in the widget
 *   data-treue-login   "ID TOKEN" issued by the shop backend (sends /login ID TOKEN)
 *   data-treue-title   heading of the chat panel
 *   data-treue-open    "true" opens the panel on page load
 *   data-treue-target  id of an element to render into (inline, no launcher button)
 *
 * The widget speaks the server's JSON mode (SPEC section 4) over the `binary`
 * subprotocol (the native listener's and websockify's): it sends `/json`, then reads
 * one JSON object per line.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script) {
    var scripts = document.querySelectorAll("script[data-treue-url], script[src*='treue-widget']");
    script = scripts[scripts.length - 1];
  }
  var data = (script && script.dataset) || {};

  var STRINGS = {
    de: {
      title: "Kundenservice-Chat",
      open: "Chat öffnen",
      close: "Chat schließen",
      log: "Chatverlauf",
      input: "Ihre Nachricht",
      placeholder: "Frage eingeben und Enter drücken",
      send: "Senden",
      you: "Sie",
      bot: "Kundenservice",
      notice: "Hinweis",
      suggestions: "Vorschläge",
      rating: "Wie zufrieden sind Sie mit dem Chat?",
      star: function (n) { return n + " von 5"; },
      helpful: "War die letzte Antwort hilfreich?",
      up: "Ja, hilfreich",
      down: "Nein, nicht hilfreich",
      language: "Sprache",
      connecting: "Verbinde …",
      connected: "Verbunden",
      reconnecting: function (s) { return "Verbindung unterbrochen. Neuer Versuch in " + s + " s …"; },
      reconnected: "Verbindung wiederhergestellt.",
      closed: "Der Chat wurde beendet. Schreiben Sie einfach weiter, um ihn neu zu starten.",
      reconnect: "Neu verbinden",
      unsupported: "Ihr Browser unterstützt keine WebSockets."
    },
    en: {
      title: "Customer service chat",
      open: "Open chat",
      close: "Close chat",
      log: "Conversation",
      input: "Your message",
      placeholder: "Type a question and press Enter",
      send: "Send",
      you: "You",
      bot: "Customer service",
      notice: "Note",
      suggestions: "Suggestions",
      rating: "How satisfied are you with this chat?",
      star: function (n) { return n + " of 5"; },
      helpful: "Was the last answer helpful?",
      up: "Yes, helpful",
      down: "No, not helpful",
      language: "Language",
      connecting: "Connecting …",
      connected: "Connected",
      reconnecting: function (s) { return "Connection lost. Retrying in " + s + " s …"; },
      reconnected: "Connection restored.",
      closed: "The chat has ended. Just keep typing to start it again.",
      reconnect: "Reconnect",
      unsupported: "Your browser does not support WebSockets."
    }
  };

  var BACKOFF_MIN_MS = 1000;
  var BACKOFF_MAX_MS = 30000;

  function defaultUrl() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    return scheme + (location.host || "127.0.0.1:8080") + "/";
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (key) {
        var value = attrs[key];
        if (value === null || value === undefined || value === false) return;
        if (key === "text") node.textContent = value;
        else if (key === "className") node.className = value;
        else if (key.slice(0, 2) === "on") node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? "" : String(value));
      });
    }
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  // Material Design thumb icons (Apache 2.0), inline so that no icon font or emoji font is needed.
  var THUMB_UP = "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z";
  var THUMB_DOWN = "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z";

  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }

  var uid = 0;

  function TreueWidget(options) {
    this.url = options.url || defaultUrl();
    this.lang = STRINGS[options.lang] ? options.lang : "de";
    this.login = (options.login || "").trim();
    this.title = options.title || null;
    this.inline = options.target || null;
    this.id = "treue-" + (++uid);

    this.ws = null;
    this.decoder = null;
    this.partial = "";
    this.jsonMode = false;
    this.state = "idle";          // idle | connecting | open | waiting | ended
    this.attempt = 0;
    this.retryTimer = null;
    this.everConnected = false;
    this.byeReceived = false;
    this.outbox = [];             // lines typed while not connected
    this.session = null;
    this.hasAnswer = false;

    this.build(options.open === "true" || !!this.inline);
    this.connect();
  }

  TreueWidget.prototype.t = function (key) { return STRINGS[this.lang][key]; };

  // ---------------------------------------------------------------- markup

  TreueWidget.prototype.build = function (startOpen) {
    var self = this, id = this.id;

    this.root = el("section", { className: "treue-widget", "aria-labelledby": id + "-title", "data-state": "connecting" });
    if (!this.inline) this.root.classList.add("treue-floating");

    this.heading = el("h2", { id: id + "-title", className: "treue-title" });
    this.langButtons = {};
    var langGroup = el("div", { className: "treue-lang", role: "group", id: id + "-langgroup" });
    ["de", "en"].forEach(function (code) {
      var b = el("button", { type: "button", className: "treue-lang-btn", lang: code, "data-lang": code,
        onclick: function () { self.setLanguage(code); } });
      b.textContent = code.toUpperCase();
      self.langButtons[code] = b;
      langGroup.appendChild(b);
    });
    this.langGroup = langGroup;
    this.closeButton = this.inline ? null : el("button", { type: "button", className: "treue-close",
      onclick: function () { self.setOpen(false); } }, [el("span", { "aria-hidden": "true", text: "×" })]);
    var header = el("header", { className: "treue-header" }, [this.heading, langGroup, this.closeButton]);

    this.status = el("p", { className: "treue-status", role: "status", id: id + "-status" });
    this.reconnectButton = el("button", { type: "button", className: "treue-reconnect", hidden: true,
      onclick: function () { self.reconnectNow(); } });

    this.log = el("ol", { className: "treue-log", id: id + "-log", role: "log", "aria-live": "polite",
      "aria-relevant": "additions", tabindex: "0" });

    this.suggestionBox = el("div", { className: "treue-suggestions", role: "group", hidden: true });

    // 1-5 satisfaction and thumbs up/down.
    this.ratingLabel = el("span", { className: "treue-rating-label", id: id + "-rating-label" });
    this.stars = [];
    var starGroup = el("div", { className: "treue-stars", role: "group", "aria-labelledby": id + "-rating-label" });
    for (var n = 1; n <= 5; n++) {
      (function (score) {
        var b = el("button", { type: "button", className: "treue-star", "data-score": score, "aria-pressed": "false",
          onclick: function () { self.sendFeedback(score); } }, [el("span", { "aria-hidden": "true", text: "★" }),
          el("span", { className: "treue-star-num", text: String(score) })]);
        self.stars.push(b);
        starGroup.appendChild(b);
      })(n);
    }
    this.helpfulLabel = el("span", { className: "treue-rating-label", id: id + "-helpful-label" });
    this.thumbUp = el("button", { type: "button", className: "treue-thumb", "data-rate": "up", "aria-pressed": "false",
      disabled: true, onclick: function () { self.sendRate("up"); } }, [icon(THUMB_UP)]);
    this.thumbDown = el("button", { type: "button", className: "treue-thumb", "data-rate": "down", "aria-pressed": "false",
      disabled: true, onclick: function () { self.sendRate("down"); } }, [icon(THUMB_DOWN)]);
    var thumbGroup = el("div", { className: "treue-thumbs", role: "group", "aria-labelledby": id + "-helpful-label" },
      [this.thumbUp, this.thumbDown]);
    var rating = el("div", { className: "treue-rating" }, [
      el("div", { className: "treue-rating-row" }, [this.ratingLabel, starGroup]),
      el("div", { className: "treue-rating-row" }, [this.helpfulLabel, thumbGroup])
    ]);

    this.inputLabel = el("label", { for: id + "-input", className: "treue-input-label" });
    this.input = el("input", { id: id + "-input", className: "treue-input", type: "text", autocomplete: "off",
      maxlength: "1000", enterkeyhint: "send" });
    this.sendButton = el("button", { type: "submit", className: "treue-send" });
    this.form = el("form", { className: "treue-form", onsubmit: function (e) { e.preventDefault(); self.submit(); } },
      [this.inputLabel, el("div", { className: "treue-input-row" }, [this.input, this.sendButton])]);

    this.panel = el("div", { className: "treue-panel", id: id + "-panel" },
      [header, this.status, this.reconnectButton, this.log, this.suggestionBox, rating, this.form]);
    this.root.appendChild(this.panel);

    if (!this.inline) {
      this.launcher = el("button", { type: "button", className: "treue-launcher", "aria-controls": id + "-panel",
        "aria-expanded": "false", onclick: function () { self.setOpen(!self.isOpen); } });
      this.root.appendChild(this.launcher);
      this.root.addEventListener("keydown", function (e) {
        if (e.key === "Escape" && self.isOpen) { e.preventDefault(); self.setOpen(false); }
      });
    }

    var target = this.inline && document.getElementById(this.inline);
    (target || document.body).appendChild(this.root);
    this.root.treue = this;
    this.applyStrings();
    this.setOpen(startOpen, true);
  };

  TreueWidget.prototype.applyStrings = function () {
    var self = this;
    this.root.setAttribute("lang", this.lang);
    this.heading.textContent = this.title || this.t("title");
    this.langGroup.setAttribute("aria-label", this.t("language"));
    Object.keys(this.langButtons).forEach(function (code) {
      var b = self.langButtons[code];
      b.setAttribute("aria-pressed", code === self.lang ? "true" : "false");
      b.setAttribute("aria-label", self.t("language") + ": " + (code === "de" ? "Deutsch" : "English"));
    });
    if (this.closeButton) this.closeButton.setAttribute("aria-label", this.t("close"));
    if (this.launcher) this.launcher.textContent = this.isOpen ? this.t("close") : this.t("open");
    this.log.setAttribute("aria-label", this.t("log"));
    this.suggestionBox.setAttribute("aria-label", this.t("suggestions"));
    this.ratingLabel.textContent = this.t("rating");
    this.helpfulLabel.textContent = this.t("helpful");
    this.stars.forEach(function (b, i) { b.setAttribute("aria-label", self.t("star")(i + 1)); });
    this.thumbUp.setAttribute("aria-label", this.t("up"));
    this.thumbDown.setAttribute("aria-label", this.t("down"));
    this.inputLabel.textContent = this.t("input");
    this.input.setAttribute("placeholder", this.t("placeholder"));
    this.sendButton.textContent = this.t("send");
    this.reconnectButton.textContent = this.t("reconnect");
    this.renderStatus();
  };

  TreueWidget.prototype.setOpen = function (open, initial) {
    this.isOpen = !!open;
    if (this.inline) return;
    this.panel.hidden = !this.isOpen;
    this.launcher.setAttribute("aria-expanded", this.isOpen ? "true" : "false");
    this.launcher.textContent = this.isOpen ? this.t("close") : this.t("open");
    this.root.classList.toggle("treue-open", this.isOpen);
    if (initial) return;
    if (this.isOpen) this.input.focus();
    else this.launcher.focus();
  };

  TreueWidget.prototype.renderStatus = function () {
    var text;
    switch (this.state) {
      case "open": text = this.t("connected"); break;
      case "waiting": text = this.t("reconnecting")(Math.round(this.nextDelay / 1000)); break;
      case "ended": text = this.t("closed"); break;
      case "unsupported": text = this.t("unsupported"); break;
      default: text = this.t("connecting");
    }
    this.status.textContent = text;
    this.root.setAttribute("data-state", this.state);
    this.reconnectButton.hidden = !(this.state === "waiting" || this.state === "ended");
  };

  TreueWidget.prototype.setState = function (state) {
    this.state = state;
    this.renderStatus();
  };

  // Appends one entry to the log; `who` is user | bot | agent | info | error. An agent's
  // message is labelled with the person's name, not the bot's.
  TreueWidget.prototype.addMessage = function (who, text, extra) {
    var label = who === "user" ? this.t("you") : who === "bot" ? this.t("bot")
      : who === "agent" ? ((extra && extra.name) || this.t("bot")) : this.t("notice");
    var item = el("li", { className: "treue-msg treue-msg-" + who, "data-type": (extra && extra.type) || who });
    if (extra && extra.intent !== undefined) item.setAttribute("data-intent", extra.intent === null ? "" : extra.intent);
    if (extra && extra.lang) item.setAttribute("lang", extra.lang);
    if (who === "agent") item.appendChild(el("span", { className: "treue-msg-name", text: label }));
    else item.appendChild(el("span", { className: "treue-visually-hidden", text: label + ": " }));
    item.appendChild(el("span", { className: "treue-msg-text", text: text }));
    this.log.appendChild(item);
    this.log.scrollTop = this.log.scrollHeight;
    return item;
  };

  TreueWidget.prototype.showSuggestions = function (list) {
    var self = this;
    var hadFocus = this.suggestionBox.contains(document.activeElement);
    this.suggestionBox.textContent = "";
    (list || []).forEach(function (text) {
      self.suggestionBox.appendChild(el("button", { type: "button", className: "treue-suggestion", text: text,
        onclick: function () { self.sendMessage(text); self.input.focus(); } }));
    });
    this.suggestionBox.hidden = !(list && list.length);
    if (hadFocus) this.input.focus();
  };

  // ---------------------------------------------------------------- actions

  TreueWidget.prototype.submit = function () {
    var text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    // Typed commands (/agent, /help, ...) pass through like in a terminal.
    this.sendMessage(text);
  };

  TreueWidget.prototype.sendMessage = function (text) {
    this.addMessage("user", text);
    this.showSuggestions([]);
    this.sendLine(text);
  };

  TreueWidget.prototype.sendFeedback = function (score) {
    this.stars.forEach(function (b, i) { b.setAttribute("aria-pressed", i + 1 === score ? "true" : "false"); });
    this.sendLine("/feedback " + score);
  };

  TreueWidget.prototype.sendRate = function (dir) {
    this.thumbUp.setAttribute("aria-pressed", dir === "up" ? "true" : "false");
    this.thumbDown.setAttribute("aria-pressed", dir === "down" ? "true" : "false");
    this.sendLine("/rate " + dir);
  };

  TreueWidget.prototype.setLanguage = function (code) {
    if (!STRINGS[code] || code === this.lang) return;
    this.lang = code;
    this.applyStrings();
    this.sendLine("/lang " + code);
  };

  // Sends one line, or queues it until the connection is (re)established.
  TreueWidget.prototype.sendLine = function (line) {
    line = String(line).replace(/[\r\n]+/g, " ");
    if (this.ws && this.ws.readyState === WebSocket.OPEN && this.jsonMode) {
      this.ws.send(new TextEncoder().encode(line + "\n"));
      return;
    }
    this.outbox.push(line);
    if (this.state === "ended" || this.state === "waiting") this.reconnectNow();
  };

  // ---------------------------------------------------------------- connection

  TreueWidget.prototype.connect = function () {
    var self = this;
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (typeof WebSocket === "undefined" || typeof TextEncoder === "undefined") {
      this.setState("unsupported");
      return;
    }
    this.setState("connecting");
    this.jsonMode = false;
    this.byeReceived = false;
    this.partial = "";
    this.decoder = new TextDecoder("utf-8");
    var ws;
    try {
      ws = new WebSocket(this.url, ["binary"]);
    } catch (err) {
      this.scheduleReconnect();
      return;
    }
    ws.binaryType = "arraybuffer";
    this.ws = ws;

    ws.onopen = function () {
      if (ws !== self.ws) return;
      var enc = new TextEncoder();
      // /lang first so that the JSON greeting comes in the customer's language;
      // everything before the {"type":"mode"} object is plain text and ignored.
      ws.send(enc.encode("/lang " + self.lang + "\n/json\n"));
      if (self.login) ws.send(enc.encode("/login " + self.login.replace(/[\r\n]+/g, " ") + "\n"));
    };
    ws.onmessage = function (event) {
      if (ws !== self.ws) return;
      var chunk = typeof event.data === "string" ? event.data
        : self.decoder.decode(new Uint8Array(event.data), { stream: true });
      self.receive(chunk);
    };
    ws.onclose = function () {
      if (ws !== self.ws) return;
      self.ws = null;
      self.jsonMode = false;
      if (self.byeReceived && !self.outbox.length) {
        // The server said goodbye (idle timeout, /quit, maintenance): no reconnect loop
        // that opens empty sessions; the next message starts a new chat.
        self.setState("ended");
      } else {
        self.scheduleReconnect();
      }
    };
    ws.onerror = function () { /* onclose follows */ };
  };

  TreueWidget.prototype.scheduleReconnect = function () {
    clearTimeout(this.retryTimer);
    var base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, this.attempt));
    this.attempt += 1;
    // Full jitter on the upper half, so many widgets do not reconnect in lock-step.
    this.nextDelay = Math.round(base / 2 + Math.random() * base / 2);
    this.setState("waiting");
    var self = this;
    this.retryTimer = setTimeout(function () { self.connect(); }, this.nextDelay);
  };

  TreueWidget.prototype.reconnectNow = function () {
    if (this.state === "connecting" || this.state === "open") return;
    this.attempt = 0;
    this.connect();
  };

  TreueWidget.prototype.receive = function (chunk) {
    var lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop();
    if (this.partial.length > 1 << 20) this.partial = "";   // never grows without bound
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].replace(/\r$/, "");
      if (!line) continue;
      var obj = null;
      try { obj = JSON.parse(line); } catch (err) { obj = null; }
      if (!this.jsonMode) {
        if (obj && obj.type === "mode" && obj.mode === "json") this.jsonMode = true;
        continue;   // plain-text greeting and replies to the set-up commands
      }
      if (obj && typeof obj.type === "string") this.handle(obj);
    }
  };

  TreueWidget.prototype.handle = function (obj) {
    switch (obj.type) {
      case "greeting":
        this.session = obj.session || null;
        if (this.session) this.root.setAttribute("data-session", this.session);
        this.attempt = 0;
        this.setState("open");
        if (!this.everConnected) this.addMessage("bot", obj.text || "", { type: "greeting" });
        else this.addMessage("info", this.t("reconnected"), { type: "reconnected" });
        this.everConnected = true;
        this.hasAnswer = false;
        // A new connection is a new session: nothing rated in it yet.
        this.thumbUp.disabled = this.thumbDown.disabled = true;
        this.stars.forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
        this.flushOutbox();
        break;
      case "reply":
        this.addMessage("bot", obj.text || "", { type: "reply", intent: obj.intent, lang: obj.lang });
        this.showSuggestions(Array.isArray(obj.suggestions) ? obj.suggestions : []);
        this.hasAnswer = true;
        this.thumbUp.disabled = this.thumbDown.disabled = false;
        this.thumbUp.setAttribute("aria-pressed", "false");
        this.thumbDown.setAttribute("aria-pressed", "false");
        break;
      case "proactive":
        // The welcome after a login: the shop speaks first, with what to ask next.
        this.addMessage("bot", obj.text || "", { type: "proactive" }).setAttribute("data-rule", obj.rule || "");
        this.showSuggestions(Array.isArray(obj.suggestions) ? obj.suggestions : []);
        break;
      case "prompt":
        this.addMessage("bot", obj.text || "", { type: "prompt" });
        break;
      case "info":
        this.addMessage("info", obj.text || "", { type: "info" });
        break;
      case "queued":
        // Waiting for a person: the position, as a notice.
        this.addMessage("info", obj.text || "", { type: "queued" }).setAttribute("data-ticket", obj.ticket || "");
        break;
      case "agent":
        // A service agent writes: shown as a person's message with their name.
        this.addMessage("agent", obj.text || "", { type: "agent", name: obj.name || "" }).setAttribute("data-name", obj.name || "");
        this.showSuggestions([]);
        break;
      case "error":
        this.addMessage("error", obj.text || "", { type: "error" }).setAttribute("data-code", obj.code || "");
        break;
      case "bye":
        this.byeReceived = true;
        this.addMessage("info", obj.text || "", { type: "bye" });
        this.showSuggestions([]);
        break;
      default:
        break;   // mode and future types
    }
  };

  TreueWidget.prototype.flushOutbox = function () {
    var pending = this.outbox;
    this.outbox = [];
    for (var i = 0; i < pending.length; i++) this.sendLine(pending[i]);
  };

  // ---------------------------------------------------------------- start

  function start() {
    var widget = new TreueWidget({
      url: data.treueUrl,
      lang: data.treueLang,
      login: data.treueLogin,
      title: data.treueTitle,
      open: data.treueOpen,
      target: data.treueTarget
    });
    window.TreueWidget = window.TreueWidget || TreueWidget;
    (window.treueWidgets = window.treueWidgets || []).push(widget);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
