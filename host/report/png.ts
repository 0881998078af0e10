import { Resvg } from "@resvg/resvg-js";
import { FONT_FAMILY } from "./palette.ts";

/** Renders SVG text to PNG bytes at `scale` times its pixel size, with the system's fonts. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const family = FONT_FAMILY.split(",")[0].trim();
  const resvg = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    font: { loadSystemFonts: true, defaultFontFamily: family, sansSerifFamily: family },
    background: "#ffffff",
  });
  return resvg.render().asPng();
}
