/** JSON for values decoded from CBOR, which may hold bigints and typed arrays that JSON.stringify rejects or mangles. */
export function cborToJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === "bigint") return v.toString();
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  });
}
