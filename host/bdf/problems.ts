/** What can be wrong with a BDF CSV file, from its shape down to single cells and timestamps. */
export type BdfProblemKind =
  | "empty_file"
  | "no_data_rows"
  | "empty_header_cell"
  | "duplicate_column"
  | "column_count"
  | "non_numeric_cell"
  | "empty_cell"
  | "missing_time_column"
  | "time_not_finite"
  | "time_backwards"
  | "time_outlier"
  | "time_duplicate"
  | "time_jump"
  | "time_span";

/**
 * One finding. Rows are 1-based data rows (the header is not counted; file line = row + 1).
 * `rows` lists every affected row; `message` names the first few and says what to do.
 */
export interface BdfProblem {
  kind: BdfProblemKind;
  /** "error": the affected rows cannot be used as they are; "warning": usable but suspicious. */
  severity: "error" | "warning";
  message: string;
  column?: string;
  rows: number[];
}

/** The rows named by the problems of the given kinds, as a per-row mask (index = row − 1). */
export function rowsOfProblems(
  problems: readonly BdfProblem[],
  rowCount: number,
  kinds: readonly BdfProblemKind[],
): Uint8Array {
  const mask = new Uint8Array(rowCount);
  for (const problem of problems) {
    if (!kinds.includes(problem.kind)) continue;
    for (const row of problem.rows) if (row >= 1 && row <= rowCount) mask[row - 1] = 1;
  }
  return mask;
}

/** "data rows 3, 9, 12 and 4 more" — enough to find them, short enough to read. */
export function describeRows(rows: readonly number[], shown = 8): string {
  if (rows.length === 0) return "no rows";
  const head = rows.slice(0, shown).join(", ");
  const word = rows.length === 1 ? "data row" : "data rows";
  return rows.length > shown ? `${word} ${head} and ${rows.length - shown} more` : `${word} ${head}`;
}
