import { ago, el, number, table } from "./format.js";

function fraction(used, total, unit) {
  const pct = total > 0 ? Math.round((100 * used) / total) : 0;
  const span = el("span", used + " / " + total + " " + unit + " (" + pct + " %)");
  if (pct >= 90) span.className = "bad";
  else if (pct >= 70) span.className = "warn";
  return span;
}

function row(status, now_ms) {
  const h = status.health;
  const c = status.clock;
  const f = status.frames;
  const state = el("span", status.online ? "online" : "offline", status.online ? "online" : "offline");
  const link = h ? h.link.state + ", " + h.link.connects + " connect" + (h.link.connects === 1 ? "" : "s") + (c ? ", jitter " + number(c.rms_us / 1000, 3) + " ms" : "") : "–";
  const clock = c
    ? number(c.offset_us / 1000, 4) + " ms, " + number(c.drift_ppm, 3) + " ppm (" + c.source + ")" + (c.jumped ? ", stepped" : "")
    : "–";
  const lost = el("span", f.lost + " lost of " + f.received + (f.late ? ", " + f.late + " late" : "") + (f.duplicated ? ", " + f.duplicated + " dup." : ""), f.lost > 0 ? "warn" : "");
  const alarms = status.alarms.length === 0 ? el("span", "none") : el("span", status.alarms.map((a) => a.rule + " (" + a.channel + ")").join(", "), "bad");
  const board = el("a", status.board);
  board.href = "#cell/" + encodeURIComponent(status.board);
  return [
    board,
    state,
    status.lastSeen_ms ? ago(status.lastSeen_ms, now_ms) : "not since start",
    status.firmware.version + " (" + status.firmware.build + ")",
    link,
    h ? fraction(h.buf.used, h.buf.total, "bytes") : "–",
    h ? fraction(h.mem.used, h.mem.total, "JsVars") : "–",
    clock,
    lost,
    alarms,
  ];
}

const HEADERS = ["Board", "State", "Last seen", "Firmware", "Link", "Buffer", "Memory", "Clock offset", "Frames", "Active alarms"];

/** One table per rig, one row per board, from the bridge's registry. */
export function renderLab(container, registry) {
  const now_ms = Date.now();
  container.replaceChildren();
  if (registry.length === 0) {
    container.append(el("p", "No boards yet: waiting for a birth message."));
    return;
  }
  const rigs = new Map();
  for (const status of registry) {
    if (!rigs.has(status.rig)) rigs.set(status.rig, []);
    rigs.get(status.rig).push(status);
  }
  for (const [rig, boards] of [...rigs].sort((a, b) => a[0].localeCompare(b[0]))) {
    const online = boards.filter((b) => b.online).length;
    container.append(el("h3", "Rig " + rig + " — " + online + " of " + boards.length + " boards online"));
    boards.sort((a, b) => a.board.localeCompare(b.board));
    const t = table(HEADERS, boards.map((b) => row(b, now_ms)));
    t.id = "rig-" + rig;
    t.querySelectorAll("tbody tr").forEach((tr, k) => (tr.dataset.board = boards[k].board));
    container.append(t);
  }
}
