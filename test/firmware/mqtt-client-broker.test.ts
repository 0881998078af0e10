import { beforeAll, describe, it } from "vitest";
import { MqttClient } from "../../firmware/transport/mqtt/client.ts";
import { installEspruinoGlobals } from "./helpers/espruino-globals.ts";
import * as scenario from "./helpers/mqtt-client-scenarios.ts";

beforeAll(installEspruinoGlobals);

const make: scenario.ClientFactory = (options) => new MqttClient(options);

describe("MqttClient against an aedes broker", () => {
  it("connects with credentials and will; a QoS 1 publish is acknowledged and reaches a subscriber byte for byte", () =>
    scenario.qos1PublishIsAcknowledgedAndDelivered(make));
  it("names the broker and what to check when the credentials are refused", () => scenario.badCredentialsAreNamed(make));
  it("receives commands on its subscription and acknowledges them", () => scenario.subscriptionDeliversCommands(make));
  it("a killed link makes the broker publish the will", () => scenario.killedLinkPublishesTheWill(make));
  it("a clean disconnect sends DISCONNECT and no will", () => scenario.cleanDisconnectKeepsTheWill(make));
  it("forgets an unacknowledged publish when the broker dies; published again after the reconnect it arrives", () =>
    scenario.unacknowledgedPublishSurvivesBrokerRestart(make));
});
