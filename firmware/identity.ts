/** Board ids travel in MQTT topics, so anything outside [A-Za-z0-9_-] becomes "-" and the id is cut to 32 characters. */
export function boardId(configured: string | undefined): string {
  const raw = configured ? configured : getSerial();
  let id = "";
  for (let i = 0; i < raw.length && id.length < 32; i++) {
    const c = raw.charAt(i);
    id += /[A-Za-z0-9_-]/.test(c) ? c : "-";
  }
  return id;
}

/** A random 32-bit boot id, so the host can tell this boot's sequence numbers from the last one's. */
export function newBootId(): number {
  return Math.floor(Math.random() * 4294967296) >>> 0;
}
