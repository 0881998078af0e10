import mqtt from "mqtt";
import { ID_PATTERN, TOPIC_PREFIX } from "../../protocol/wire/topics.ts";
import { loginOptions } from "../../host/broker/login.ts";
import { alarmLine, applyMessage, channelsLine, emptyView, healthLine, renderView, type ViewEvent } from "../../host/tooling/board-view.ts";
import { LOGIN_FLAGS, LOGIN_USAGE, loginFromFlags, parseFlags } from "../args.ts";
import { UsageError, type Command } from "../command.ts";
import { untilStopped } from "../until-stopped.ts";

const DEFAULT_BROKER = "mqtt://127.0.0.1:1883";
/** Redraws at most this often: a board at 1 kHz sends frames, not samples, but several boards' worth add up. */
const REDRAW_ms = 250;

function clock(): string {
  return new Date().toISOString().slice(11, 19);
}

/** One log line per change, for a pipe or a file. */
function eventLine(event: ViewEvent): string {
  switch (event.kind) {
    case "birth":
      return `birth   board ${event.birth.board} of rig ${event.birth.rig}, firmware ${event.birth.fw.version} build ${event.birth.fw.build}: ${event.birth.channels.map((c) => `${c.id} (${c.unit}, ${c.rate_hz} Hz)`).join(", ")}`;
    case "data":
      return `data    ${channelsLine(event.channels)}`;
    case "health":
      return `health  ${healthLine(event.health)}`;
    case "alarm":
      return `alarm   ${alarmLine(event.alarm)}`;
    case "death":
      return "death   the board went offline (its broker connection ended)";
    case "rejected":
      return `refused ${event.reason}`;
  }
}

export const monitor: Command = {
  name: "monitor",
  summary: "watch a board's live channels, health and alarms in the terminal",
  usage: `usage: cellrig monitor <board> [--broker <url>] [--rig <id>]

  <board>              the board id (its serial number unless the rig names one)
  --broker <url>       MQTT broker the board publishes to (env CELLRIG_BROKER, default ${DEFAULT_BROKER})
  --rig <id>           the board's rig, when boards of several rigs share an id (default: any rig)
${LOGIN_USAGE}

In a terminal, a table redrawn in place: each channel's latest value in its unit, its rate and
frame count, the board's health (memory, store, link) and its alarms. Piped or redirected, one
line per message instead. Runs until Ctrl-C.`,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      { broker: { type: "string", default: process.env.CELLRIG_BROKER ?? DEFAULT_BROKER }, rig: { type: "string", default: "+" }, ...LOGIN_FLAGS },
      true,
    );
    if (positionals.length !== 1) throw new UsageError("name one board to watch, e.g. cellrig monitor bench-1");
    const board = positionals[0]!;
    const idPattern = new RegExp(ID_PATTERN);
    if (!idPattern.test(board)) throw new UsageError(`board id "${board}" cannot be a topic level: use letters, digits, _ and - (up to 32)`);
    if (values.rig !== "+" && !idPattern.test(values.rig)) throw new UsageError(`rig id "${values.rig}" cannot be a topic level: use letters, digits, _ and - (up to 32)`);

    const login = loginOptions(loginFromFlags(values));

    const filter = `${TOPIC_PREFIX}/${values.rig}/${board}/+`;
    const target = `board ${board}${values.rig === "+" ? "" : ` of rig ${values.rig}`} on ${values.broker}`;
    const tty = process.stdout.isTTY === true;
    const view = emptyView();
    const write = (text: string) => void process.stdout.write(text);
    let status = `connecting to ${values.broker}`;

    let dirty = true;
    const redraw = () => {
      if (!dirty) return;
      dirty = false;
      const lines = renderView(view, target);
      lines.push("", status);
      // Home, draw each line over the last frame's and clear what is left of it, then below.
      write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join("\n")}\n\x1b[J`);
    };
    const timer = tty ? setInterval(redraw, REDRAW_ms) : undefined;
    if (tty) write("\x1b[?25l\x1b[2J");
    else write(`${clock()} watching ${target}\n`);

    const client = mqtt.connect(values.broker, { protocolVersion: 4, reconnectPeriod: 2000, connectTimeout: 10_000, clean: true, ...login });
    const note = (text: string) => {
      status = text;
      dirty = true;
      if (!tty) write(`${clock()} ${text}\n`);
    };
    client.on("connect", () => {
      client.subscribe(filter, { qos: 1 }, (err) => note(err ? `cannot subscribe to ${filter}: ${err.message}` : `subscribed to ${filter} (Ctrl-C stops)`));
    });
    client.on("error", (err) => note(`broker ${values.broker}: ${err.message} (check that it runs and the URL; retrying)`));
    client.on("offline", () => note(`broker ${values.broker} is unreachable; retrying`));
    client.on("message", (topicName, payload) => {
      const event = applyMessage(view, topicName, payload);
      if (event === undefined) return;
      dirty = true;
      if (!tty) write(`${clock()} ${eventLine(event)}\n`);
    });

    await untilStopped();
    if (timer !== undefined) clearInterval(timer);
    if (tty) {
      dirty = true;
      redraw();
      write("\x1b[?25h");
    }
    await client.endAsync(true);
    return 0;
  },
};
