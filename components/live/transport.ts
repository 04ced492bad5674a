"use client";

// A tab's end of the browser's one live stream (public/live-worker.js holds it). One per tab:
// the tab's channels (one per Redis connection it watches) register here and receive only their
// own events. Where there is a SharedWorker it owns the stream; otherwise the tab holding the
// "console-live-leader" Web Lock runs the worker and every tab hears it over a BroadcastChannel;
// a browser with neither gets a worker of its own per tab (as many streams as tabs).

export type RelayState = "idle" | "connecting" | "open" | "reconnecting" | "ended";

/**
 * Why the live stream is not (or no longer) open: a code the page puts in words in the reader's
 * language, or the server's own words (already in the language of the request that ended it).
 */
export type LiveReason =
  | { code: "unavailable"; retryInSeconds: number }
  | { code: "sessionEnded" | "moving" | "closed" | "watchFailed" }
  | { code: "server"; message: string };

export interface RelayStatus {
  state: RelayState;
  /** The stream's id while it is open: what POST /api/live/watch names as `client`. */
  streamId: string | null;
  reason: LiveReason | null;
}

/** A worker still running an older public/live-worker.js says its reasons as text. */
function asReason(reason: unknown): LiveReason | null {
  if (reason === null || reason === undefined) return null;
  if (typeof reason === "string") return { code: "server", message: reason };
  return reason as LiveReason;
}

function sameReason(a: LiveReason | null, b: LiveReason | null): boolean {
  return a === b || (a !== null && b !== null && JSON.stringify(a) === JSON.stringify(b));
}

type EventHandler = (event: string, data: string) => void;
type StatusListener = (status: RelayStatus) => void;

interface StatusMessage extends RelayStatus {
  type: "status";
  worker: string;
}

interface EventMessage {
  type: "event";
  channel: string;
  event: string;
  data: string;
}

/** A leader that has been silent this long is gone; a new one takes over within about a second. */
const LEADER_SILENCE_MS = 2_500;
const BUS = "console-live";

export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

type Mode = "shared" | "leader" | "solo";

function chooseMode(): Mode {
  if (typeof SharedWorker === "function") return "shared";
  if (typeof BroadcastChannel === "function" && navigator.locks) return "leader";
  return "solo";
}

class LiveTransport {
  readonly tabId = randomId();
  readonly mode = chooseMode();
  private port: MessagePort | null = null;
  private bus: BroadcastChannel | null = null;
  private readonly channels = new Map<string, EventHandler>();
  private readonly listeners = new Set<StatusListener>();
  private status: RelayStatus = { state: "idle", streamId: null, reason: null };
  private worker: string | null = null;
  private lastHeard = 0;
  private ready: Promise<void>;

  constructor() {
    this.ready = this.holdTabLock().then(() => this.connect());
    addEventListener("pagehide", () => this.post({ type: "bye", tab: this.tabId }));
    if (this.mode === "leader") setInterval(() => this.watchLeader(), 500);
  }

  get current(): RelayStatus {
    return this.status;
  }

  /** The relay learns this tab is gone when it can take this lock. */
  private holdTabLock(): Promise<void> {
    if (!navigator.locks) return Promise.resolve();
    return new Promise((granted) => {
      void navigator.locks.request(`console-live-tab:${this.tabId}`, () => {
        granted();
        return new Promise<never>(() => {}); // held as long as the tab lives
      });
    });
  }

  private connect(): void {
    if (this.mode === "shared") {
      const worker = new SharedWorker("/live-worker.js", { name: BUS });
      this.port = worker.port;
      this.port.addEventListener("message", (event) => this.receive(event.data));
      this.port.start();
    } else {
      const name = this.mode === "leader" ? BUS : `${BUS}-${this.tabId}`;
      this.bus = new BroadcastChannel(name);
      this.bus.addEventListener("message", (event) => this.receive(event.data));
      const startWorker = () => new Worker(`/live-worker.js?bus=${encodeURIComponent(name)}`);
      if (this.mode === "solo") startWorker();
      else {
        void navigator.locks.request("console-live-leader", () => {
          startWorker();
          return new Promise<never>(() => {}); // lead until this tab closes
        });
      }
    }
    this.sayHello();
  }

  private post(message: object): void {
    if (this.port) this.port.postMessage(message);
    else this.bus?.postMessage(message);
  }

  private sayHello(): void {
    this.post({ type: "hello", tab: this.tabId, channels: [...this.channels.keys()] });
  }

  private receive(message: StatusMessage | EventMessage | { type: string }): void {
    if (message.type === "event") {
      const event = message as EventMessage;
      this.channels.get(event.channel)?.(event.event, event.data);
      return;
    }
    if (message.type !== "status") return;
    const status = message as StatusMessage;
    this.lastHeard = Date.now();
    if (status.worker !== this.worker) {
      this.worker = status.worker;
      this.sayHello();
    }
    this.setStatus({ state: status.state, streamId: status.streamId, reason: asReason(status.reason) });
  }

  private setStatus(status: RelayStatus): void {
    const same =
      status.state === this.status.state &&
      status.streamId === this.status.streamId &&
      sameReason(status.reason, this.status.reason);
    this.status = status;
    if (!same) for (const listener of this.listeners) listener(status);
  }

  /** The leader tab closed: its worker fell silent. Show the interruption until a new one speaks. */
  private watchLeader(): void {
    if (this.status.state !== "open" || Date.now() - this.lastHeard < LEADER_SILENCE_MS) return;
    this.worker = null;
    this.setStatus({
      state: "reconnecting",
      streamId: null,
      reason: { code: "moving" },
    });
  }

  register(channel: string, handler: EventHandler): void {
    this.channels.set(channel, handler);
    void this.ready.then(() => this.sayHello());
  }

  unregister(channel: string): void {
    this.channels.delete(channel);
    void this.ready.then(() => this.sayHello());
  }

  onStatus(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reconnect(): void {
    void this.ready.then(() => this.post({ type: "reconnect" }));
  }
}

let transport: LiveTransport | null = null;

/** This tab's transport, made on first use (in the browser only). */
export function liveTransport(): LiveTransport {
  transport ??= new LiveTransport();
  return transport;
}
