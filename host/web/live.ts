import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type WebSocket } from "ws";
import type { Bridge } from "../bridge/bridge.ts";

/** A client further behind than this misses updates instead of growing the server's memory. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface LiveFeed {
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): Promise<void>;
}

/** Pushes every bridge event as one JSON text message to each WebSocket client of /live. */
export function startLiveFeed(bridge: Bridge): LiveFeed {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  const removeListener = bridge.addListener((event) => {
    if (wss.clients.size === 0) return;
    const text = JSON.stringify(event);
    for (const client of wss.clients) {
      if (client.readyState === client.OPEN && client.bufferedAmount < MAX_BUFFERED_BYTES) client.send(text);
    }
  });
  return {
    upgrade(request, socket, head) {
      wss.handleUpgrade(request, socket, head, (ws: WebSocket) => wss.emit("connection", ws, request));
    },
    close() {
      removeListener();
      for (const client of wss.clients) client.terminate();
      return new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
