// Values the build embeds in the bundle (scripts/build/build-info.ts provides the module).
declare module "cellrig:build" {
  const build: {
    /** The rig configuration the board starts with until one is stored on the board. */
    config: unknown;
    /** The board profile the bundle was built for. */
    board: { id: string; [key: string]: unknown };
    /** The cellrig package version. */
    version: string;
    /** The first 12 hex digits of the SHA-256 of the bundle. */
    hash: string;
  };
  export default build;
}
