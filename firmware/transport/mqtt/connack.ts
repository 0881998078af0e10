// CONNACK return codes (MQTT 3.1.1 §3.2.2.3), each worded as what went wrong and what to check.
const REFUSALS = [
  "",
  "unacceptable protocol version (the broker does not accept MQTT 3.1.1)",
  "identifier rejected (check the client id: some brokers take at most 23 characters, and it must be unique)",
  "server unavailable (the broker is up but not accepting connections: check its log)",
  "bad user name or password (check the board's MQTT username and password)",
  "not authorized (check the broker's access rules for this client)",
];

export function connackRefusal(returnCode: number): string {
  const text = REFUSALS[returnCode];
  return text === undefined || returnCode === 0 ? "unknown CONNACK return code " + returnCode : text;
}
