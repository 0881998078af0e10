/**
 * Colours of the Okabe–Ito scheme (Okabe & Ito, "Color Universal Design", 2008): told apart by
 * readers with any common colour-vision deficiency and distinct in greyscale print. Dash patterns
 * go with them so series stay apart on a black-and-white page too.
 */
export const COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"];
export const DASHES = ["", "6 3", "2 2", "8 3 2 3", "1 3", "10 4"];

export function colour(k: number): string {
  return COLOURS[k % COLOURS.length];
}

export function dash(k: number): string {
  return DASHES[Math.floor(k / COLOURS.length) % DASHES.length];
}

/** Font stack: DejaVu Sans where installed (CI installs fonts-dejavu-core), then any sans-serif. */
export const FONT_FAMILY = "DejaVu Sans, Liberation Sans, Arial, sans-serif";
