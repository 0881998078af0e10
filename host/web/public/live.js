import { liveUrl } from "./api.js";

/**
 * Keeps a WebSocket to /live open, reconnecting after 2 s when it drops; every bridge event goes
 * to `onEvent`, connection changes to `onStatus` ("live", "disconnected"). `onOpen` runs on each
 * (re)connection, when views should reload what they may have missed.
 */
export function connectLive({ onEvent, onStatus, onOpen }) {
  let socket;
  const open = () => {
    socket = new WebSocket(liveUrl());
    socket.onopen = () => {
      onStatus("live");
      onOpen();
    };
    socket.onmessage = (message) => onEvent(JSON.parse(message.data));
    socket.onclose = () => {
      onStatus("disconnected; retrying…");
      setTimeout(open, 2000);
    };
  };
  open();
  return { reconnect: () => socket && socket.close() };
}
