// The browser's one live stream (DESIGN.md: Live data), shared by every console tab: browsers allow
// six HTTP/1.1 connections per host, so one stream per tab would lock out a user with six tabs.
//
// Runs as a SharedWorker where the browser has one: tabs connect through ports. Elsewhere the tab
// that holds the "console-live-leader" Web Lock runs it as a dedicated worker, and it talks to
// every tab over a BroadcastChannel; when that tab closes, another takes the lock and starts it
// again. Either way it reads GET /api/live (fetch, parsed here), and hands each event to the tab
// whose channel it is tagged with (`tab:`), without parsing its data. It notices closed tabs by
// the Web Lock each tab holds, and tells the server so their watches go.
//
// Plain JavaScript, served as it is from public/: it must load without the app's bundles.

/* global SharedWorkerGlobalScope */
"use strict";

const RETRY_MS = 2000;
const MAX_RETRY_MS = 30000;
const IDLE_CLOSE_MS = 2000;
const STATUS_EVERY_MS = 1000;

const shared = typeof SharedWorkerGlobalScope !== "undefined" && self instanceof SharedWorkerGlobalScope;
const params = new URLSearchParams(self.location.search);
const busName = params.get("bus") || "console-live";
/** Tabs hearing a worker they have not heard before say hello to it (a new leader). */
const workerId = Math.random().toString(36).slice(2);

/** tab id → { port (shared mode), channels: Set<channel id> } */
const tabs = new Map();
let bus = null;
let status = { type: "status", worker: workerId, state: "idle", streamId: null, reason: null };
let controller = null;
let failures = 0;
let retryTimer = null;
let idleTimer = null;
let ended = false;

function send(target, message) {
  if (target) target.postMessage(message);
  else if (bus) bus.postMessage(message);
}

function broadcast(message) {
  if (shared) for (const tab of tabs.values()) tab.port.postMessage(message);
  else bus.postMessage(message);
}

function setStatus(patch) {
  status = { ...status, ...patch, at: Date.now() };
  broadcast(status);
}

function wantsStream() {
  for (const tab of tabs.values()) if (tab.channels.size > 0) return true;
  return false;
}

function ownerOf(channel) {
  for (const tab of tabs.values()) if (tab.channels.has(channel)) return tab;
  return null;
}

/** A tab's relay entry, made when it says hello; its Web Lock says when it is gone. */
function tabEntry(id, port) {
  let tab = tabs.get(id);
  if (!tab) {
    tab = { port, channels: new Set() };
    tabs.set(id, tab);
    if (self.navigator.locks) {
      self.navigator.locks.request(`console-live-tab:${id}`, () => forget(id));
    }
  }
  if (port) tab.port = port;
  return tab;
}

/** The tab closed: its channels leave the stream, so the server drops what they watched. */
function forget(id) {
  const tab = tabs.get(id);
  if (!tab) return;
  tabs.delete(id);
  const client = status.streamId;
  if (client && status.state === "open") {
    for (const channel of tab.channels) {
      fetch("/api/live/watch", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ client, tab: channel, leave: true, add: [], remove: [] }),
        keepalive: true,
      }).catch(() => undefined);
    }
  }
  scheduleIdle();
}

function scheduleIdle() {
  if (wantsStream()) {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = null;
    if (!controller && !retryTimer && !ended) open();
    return;
  }
  if (!idleTimer && controller) {
    idleTimer = setTimeout(() => {
      idleTimer = null;
      if (!wantsStream()) closeStream("idle");
    }, IDLE_CLOSE_MS);
  }
}

function closeStream(state) {
  if (controller) controller.abort();
  controller = null;
  if (retryTimer) clearTimeout(retryTimer);
  retryTimer = null;
  setStatus({ state, streamId: null });
}

// Reasons are codes ({ code, … }), which each tab puts in words in its own language
// (components/live/transport.ts LiveReason); only the server's own reasons come as text.
function retryLater(reason) {
  controller = null;
  failures += 1;
  const delay = Math.min(RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
  setStatus({
    state: "reconnecting",
    streamId: null,
    reason: reason || { code: "unavailable", retryInSeconds: Math.round(delay / 1000) },
  });
  retryTimer = setTimeout(() => {
    retryTimer = null;
    if (wantsStream()) open();
  }, delay);
}

function dispatch(fields) {
  const event = fields.event || "message";
  if (!fields.tab) {
    if (event === "hello") {
      failures = 0;
      const hello = JSON.parse(fields.data);
      setStatus({ state: "open", streamId: hello.client, reason: null });
    } else if (event === "end") {
      ended = true;
      const end = JSON.parse(fields.data);
      setStatus({
        state: "ended",
        streamId: null,
        reason: end.reason ? { code: "server", message: end.reason } : { code: "closed" },
      });
    }
    return;
  }
  const message = { type: "event", channel: fields.tab, event, data: fields.data, id: fields.id };
  if (shared) ownerOf(fields.tab)?.port.postMessage(message);
  else bus.postMessage(message);
}

async function open() {
  if (controller) return;
  ended = false;
  const abort = new AbortController();
  controller = abort;
  setStatus({ state: status.state === "idle" ? "connecting" : "reconnecting", streamId: null });
  let response;
  try {
    response = await fetch("/api/live", {
      headers: { Accept: "text/event-stream" },
      cache: "no-store",
      signal: abort.signal,
    });
  } catch {
    if (controller === abort) retryLater();
    return;
  }
  if (response.status === 401) {
    controller = null;
    ended = true;
    setStatus({ state: "ended", streamId: null, reason: { code: "sessionEnded" } });
    return;
  }
  if (!response.ok || !response.body) {
    if (controller === abort) retryLater();
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = {};
        for (const line of frame.split("\n")) {
          if (!line || line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const name = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? "" : line.slice(colon + (line[colon + 1] === " " ? 2 : 1));
          fields[name] = name === "data" && fields.data !== undefined ? `${fields.data}\n${text}` : text;
        }
        if (fields.data !== undefined) dispatch(fields);
      }
    }
  } catch {
    // aborted, or the connection broke: decided below
  }
  if (controller !== abort) return; // closed on purpose
  controller = null;
  if (!ended) retryLater();
}

function onMessage(message, port) {
  if (!message || typeof message !== "object") return;
  if (message.type === "hello") {
    // A page loaded since the stream ended (signed in again, say): try again for it.
    if (ended && !tabs.has(message.tab)) ended = false;
    const tab = tabEntry(message.tab, port);
    tab.channels = new Set(message.channels);
    send(port, status);
    scheduleIdle();
  } else if (message.type === "bye") {
    forget(message.tab);
  } else if (message.type === "status?") {
    send(port, status);
  } else if (message.type === "reconnect") {
    ended = false;
    failures = 0;
    if (!controller) {
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      if (wantsStream()) open();
    }
  }
}

if (shared) {
  self.addEventListener("connect", (event) => {
    const port = event.ports[0];
    port.addEventListener("message", (e) => onMessage(e.data, port));
    port.start();
  });
} else {
  bus = new BroadcastChannel(busName);
  bus.addEventListener("message", (e) => onMessage(e.data, null));
  // Tabs that were there before this worker (a new leader) say hello again when they hear this.
  setStatus({ state: "connecting" });
}

// Followers notice a leader that went away by its silence.
setInterval(() => broadcast(status), STATUS_EVERY_MS);
