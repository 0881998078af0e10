/**
 * Number to text the way the Espruino interpreter does it (its ftoa routine): integers exactly, other
 * numbers digit by digit with at most 11 fractional digits, truncated rather than rounded, stopping once
 * the remainder is below 1e-7. So `1/3` prints as `0.33333333333` and `3.14159265358979` as
 * `3.14159265358`, and firmware that sends floats as text loses precision here as it would on a board.
 */

/** The interpreter stops printing fractional digits after this many. */
const MAX_FRACTIONAL_DIGITS = 11;
/** Remainder below which the interpreter considers the fraction finished. */
const STOP_AT_ERROR = 0.0000001;
/** Added before truncating each digit, as the interpreter does, so 0.3 does not print as 0.29999... */
const DIGIT_NUDGE = 0.00000001;

export function espruinoNumberToString(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x < 0 ? "-Infinity" : "Infinity";
  if (Number.isInteger(x)) return x === 0 ? "0" : String(x);
  let sign = "";
  let v = x;
  if (v < 0) {
    sign = "-";
    v = -v;
  }
  // Within 1e-7 below the next integer the interpreter prints that integer.
  if (Math.floor(v + STOP_AT_ERROR) === Math.floor(v) + 1) return sign + String(Math.floor(v) + 1);

  let exponent = 0;
  if (v < 1e-6) {
    while (v < 1e-5) {
      v *= 100000;
      exponent -= 5;
    }
    while (v < 1) {
      v *= 10;
      exponent -= 1;
    }
  }

  let text = sign;
  let d = 1;
  while (d * 10 <= v) d *= 10;
  while (d >= 1) {
    const digit = Math.floor(v / d);
    v -= digit * d;
    text += String(digit);
    d /= 10;
  }
  if (v > 0) {
    text += ".";
    v *= 10;
    for (let i = 0; i < MAX_FRACTIONAL_DIGITS && v > STOP_AT_ERROR; i++) {
      let digit = Math.floor(v + DIGIT_NUDGE);
      v = (v - digit) * 10;
      if (digit === 10) digit = 9;
      text += String(digit);
    }
  }
  return exponent === 0 ? text : `${text}e${exponent}`;
}
