// The alarm engine, when the build carries one (scripts/build/alarms-module.ts): rigs without alarm
// rules leave it out of the bundle.
declare module "cellrig:alarms" {
  export const Alarms: typeof import("./alarms.ts").Alarms | undefined;
}
