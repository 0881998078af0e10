// The link a build carries (scripts/build/transport-module.ts generates the module from the board
// profile's transport): firmware/transport/mqtt-link.ts or firmware/transport/serial-link.ts.
declare module "cellrig:transport" {
  type LinkOptions = import("./link.ts").LinkOptions;
  type Link = import("./link.ts").Link;
  export function openLink(o: LinkOptions): Link;
}
