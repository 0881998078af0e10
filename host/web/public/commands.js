import { post } from "./api.js";
import { el, number } from "./format.js";

/**
 * The command form of the cell view: change a channel's rate or an alarm rule's threshold, or
 * request a rebirth; the board's ack (or the timeout) is shown with the round-trip time.
 */
export class CommandForm {
  constructor(form, result) {
    this.form = form;
    this.result = result;
    this.board = undefined;
    this.channels = [];
    this.field = (id) => form.querySelector("#" + id);
    this.field("command-op").addEventListener("change", () => this.showFields());
    this.field("command-channel").addEventListener("change", () => this.showUnit());
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.send();
    });
    this.showFields();
  }

  setBoard(board, channels, rules) {
    this.board = board;
    this.channels = channels;
    const select = this.field("command-channel");
    select.replaceChildren(...channels.map((c) => {
      const option = el("option", c.id + " (" + c.quantity + ", " + c.rate_hz + " Hz)");
      option.value = c.id;
      return option;
    }));
    this.setRules(rules);
    this.showUnit();
  }

  /** Rule names known from the board's alarms, offered while typing. */
  setRules(rules) {
    this.field("command-rules").replaceChildren(...[...new Set(rules)].map((r) => {
      const option = el("option");
      option.value = r;
      return option;
    }));
  }

  showFields() {
    const op = this.field("command-op").value;
    for (const label of this.form.querySelectorAll("[data-for]")) label.hidden = !label.dataset.for.split(" ").includes(op);
  }

  showUnit() {
    const channel = this.channels.find((c) => c.id === this.field("command-channel").value);
    this.field("command-unit").textContent = channel ? channel.unit : "";
  }

  async send() {
    const op = this.field("command-op").value;
    const command = { op };
    if (op !== "rebirth") {
      command.channel = this.field("command-channel").value;
      if (this.field("command-persist").checked) command.persist = true;
    }
    if (op === "set_rate") command.rate_hz = Number(this.field("command-rate").value);
    if (op === "set_threshold") {
      command.rule = this.field("command-rule").value.trim();
      command.threshold = Number(this.field("command-threshold").value);
    }
    this.result.className = "";
    this.result.textContent = "Sent " + op + " to " + this.board + "; waiting for the board's ack…";
    try {
      const answer = await post("commands", { board: this.board, command });
      const ack = answer.ack;
      this.result.className = ack.ok ? "ok" : "failed";
      this.result.dataset.ackId = String(ack.id);
      this.result.dataset.ackCode = ack.code;
      this.result.textContent =
        "Board " + answer.board + " acknowledged " + op + " (id " + ack.id + "): " + (ack.ok ? "ok" : ack.code + (ack.message ? " — " + ack.message : "")) + ", round trip " + number(answer.roundTrip_ms, 4) + " ms" +
        (op === "set_threshold" && ack.ok ? "; " + command.rule + " on " + command.channel + " is now " + number(command.threshold, 6) + " " + this.field("command-unit").textContent : "");
    } catch (err) {
      this.result.className = "failed";
      this.result.dataset.ackCode = "none";
      this.result.textContent = op + " to " + this.board + " failed: " + err.message;
    }
  }
}
