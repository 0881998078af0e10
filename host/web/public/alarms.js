import { get, post } from "./api.js";
import { el, number, table, utc } from "./format.js";

const USER_KEY = "cellrig.user";

/** A two-tone beep through Web Audio, repeated while an alarm is raised and not acknowledged. */
class Siren {
  constructor(button) {
    this.button = button;
    this.context = undefined;
    this.enabled = false;
    button.addEventListener("click", () => this.toggle());
  }

  toggle() {
    this.enabled = !this.enabled;
    // Browsers start audio only after a user gesture; this click is one.
    if (this.enabled && !this.context) this.context = new AudioContext();
    this.button.setAttribute("aria-pressed", String(this.enabled));
    this.button.textContent = this.enabled ? "Alarm sound on" : "Alarm sound off";
  }

  beep() {
    if (!this.enabled || !this.context) return;
    const ctx = this.context;
    const now = ctx.currentTime;
    for (const [k, hz] of [880, 660].entries()) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = hz;
      gain.gain.setValueAtTime(0.2, now + k * 0.25);
      gain.gain.setValueAtTime(0, now + k * 0.25 + 0.2);
      osc.connect(gain).connect(ctx.destination);
      osc.start(now + k * 0.25);
      osc.stop(now + k * 0.25 + 0.22);
    }
  }
}

function alarmText(a, unit) {
  return a.board + " " + a.channel + ": " + a.rule + " raised at " + utc(a.t_us / 1000) + ", value " + number(a.value, 6) + (unit ? " " + unit : "") + ", threshold " + number(a.threshold, 6) + (unit ? " " + unit : "");
}

/**
 * Alarms everywhere on the page: a banner with every active alarm and its Acknowledge button, a
 * beep every few seconds while one is unacknowledged (once sound is switched on), and the Alarms
 * view with the active list and the stored history.
 */
export class Alarms {
  constructor({ banner, active, history, user, sound, units }) {
    this.banner = banner;
    this.activeBox = active;
    this.historyBox = history;
    this.user = user;
    this.units = units;
    this.siren = new Siren(sound);
    this.active = [];
    user.value = localStorage.getItem(USER_KEY) || "";
    user.addEventListener("change", () => localStorage.setItem(USER_KEY, user.value.trim()));
    setInterval(() => {
      if (this.active.some((a) => !a.acknowledged_by)) this.siren.beep();
    }, 4000);
  }

  /** The active alarms of every board, from the registry. */
  update(registry) {
    const before = new Set(this.active.map((a) => a.board + "/" + a.key + "/" + a.boot + "/" + a.n));
    this.active = registry.flatMap((b) => b.alarms);
    if (this.active.some((a) => !before.has(a.board + "/" + a.key + "/" + a.boot + "/" + a.n))) this.siren.beep();
    this.renderBanner();
    this.renderActive(this.activeBox);
  }

  unit(a) {
    return this.units(a.board, a.channel);
  }

  ackButton(a) {
    const button = el("button", "Acknowledge");
    button.type = "button";
    button.dataset.alarm = a.board + "/" + a.key;
    button.setAttribute("aria-label", "Acknowledge " + a.rule + " on " + a.board);
    button.addEventListener("click", () => this.acknowledge(a, button));
    return button;
  }

  async acknowledge(a, button) {
    const name = this.user.value.trim() || localStorage.getItem(USER_KEY) || "";
    if (!name) {
      location.hash = "#alarms";
      this.user.focus();
      this.user.setCustomValidity("Give your name to acknowledge alarms");
      this.user.reportValidity();
      return;
    }
    this.user.setCustomValidity("");
    localStorage.setItem(USER_KEY, name);
    button.disabled = true;
    try {
      const record = await post("alarms/ack", { board: a.board, key: a.key, user: name });
      a.acknowledged_by = record.acknowledged_by;
      a.acknowledged_ms = record.acknowledged_ms;
      this.renderBanner();
      this.renderActive(this.activeBox);
      this.loadHistory();
    } catch (err) {
      button.disabled = false;
      button.title = err.message;
    }
  }

  renderBanner() {
    if (this.active.length === 0) {
      this.banner.hidden = true;
      this.banner.replaceChildren();
      return;
    }
    const list = el("ul");
    for (const a of this.active) {
      const item = el("li", alarmText(a, this.unit(a)) + " ");
      item.dataset.alarm = a.board + "/" + a.key;
      if (a.acknowledged_by) {
        item.className = "acknowledged";
        item.append("— acknowledged by " + a.acknowledged_by + " at " + utc(a.acknowledged_ms));
      } else item.append(this.ackButton(a));
      list.append(item);
    }
    const unacked = this.active.filter((a) => !a.acknowledged_by).length;
    this.banner.replaceChildren(el("strong", this.active.length + " active alarm" + (this.active.length === 1 ? "" : "s") + (unacked ? ", " + unacked + " not acknowledged" : "")), list);
    this.banner.hidden = false;
  }

  renderActive(box) {
    if (this.active.length === 0) {
      box.replaceChildren(el("p", "No active alarms."));
      return;
    }
    box.replaceChildren(
      table(
        ["Board", "Channel", "Rule", "Raised (board time)", "Value", "Threshold", "Acknowledged"],
        this.active.map((a) => [a.board, a.channel, a.rule, utc(a.t_us / 1000), number(a.value, 6) + " " + this.unit(a), number(a.threshold, 6) + " " + this.unit(a), a.acknowledged_by ? a.acknowledged_by + ", " + utc(a.acknowledged_ms) : this.ackButton(a)]),
        [4, 5],
      ),
    );
  }

  async loadHistory() {
    const records = await get("alarms", { limit: 200 });
    const t = table(
      ["Time (board)", "Board", "Channel", "Rule", "State", "Value", "Threshold", "Acknowledged"],
      records.map((r) => [utc(r.t_us / 1000), r.board, r.channel, r.rule, r.state, number(r.value, 6) + " " + this.unit(r), number(r.threshold, 6) + " " + this.unit(r), r.acknowledged_by ? r.acknowledged_by + ", " + utc(r.acknowledged_ms) : "–"]),
      [5, 6],
    );
    t.id = "alarm-history";
    this.historyBox.replaceChildren(records.length === 0 ? el("p", "No alarms recorded.") : t);
  }
}
