// The sample-source factories a build carries (scripts/build/sources-module.ts generates the module).
declare module "cellrig:sources" {
  type ChannelConfig = import("../../boards/rig-schema.ts").ChannelConfig;
  type SampleSource = import("../drivers/source.ts").SampleSource;
  /** The factory of each sensor kind of the rig the bundle was built for. */
  const factories: { [sensor: string]: ((ch: ChannelConfig) => SampleSource) | undefined };
  export default factories;
}
