/** What the runtime needs to know about a board: its memory budget, flash and the buses it has wired. */
export interface SimBoardProfile {
  /** process.env.BOARD, e.g. "ESP32". */
  id: string;
  /** JsVar budget (process.memory().total). */
  jsvars: number;
  /** Size of the Storage area. */
  storageBytes: number;
  /** Flash erase page; StorageFile chunks are one page minus a header. Defaults to 4096. */
  flashPageBytes?: number;
  /** Hardware I2C buses and the pins the board's devices are wired to. */
  i2c?: readonly { name: string; scl: string; sda: string }[];
  /** Hardware SPI buses and their pins. */
  spi?: readonly { name: string; sck: string; miso: string; mosi: string }[];
  /** Pin names that exist as globals (D0, A0, ...). */
  pins?: readonly string[];
}
