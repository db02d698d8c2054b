export type DiffLine = { op: "same" | "add" | "remove"; text: string };

/**
 * Line diff of two texts by longest common subsequence — enough for policies of a few hundred lines
 * (the table is rows × columns; past MAX_CELLS the texts are shown as wholly removed and added).
 */
const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === "" ? [] : before.split("\n");
  const b = after === "" ? [] : after.split("\n");
  if (a.length * b.length > MAX_CELLS) return [...a.map((text) => ({ op: "remove" as const, text })), ...b.map((text) => ({ op: "add" as const, text }))];
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  const at = (i: number, j: number) => lcs[i]?.[j] ?? 0;
  for (let i = a.length - 1; i >= 0; i--) {
    const row = lcs[i] ?? new Uint32Array(0);
    for (let j = b.length - 1; j >= 0; j--) row[j] = a[i] === b[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
  }
  const out: DiffLine[] = [];
  const emit = (op: DiffLine["op"], text: string | undefined) => out.push({ op, text: text ?? "" });
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      emit("same", a[i]);
      i++;
      j++;
    } else if (at(i + 1, j) >= at(i, j + 1)) emit("remove", a[i++]);
    else emit("add", b[j++]);
  }
  while (i < a.length) emit("remove", a[i++]);
  while (j < b.length) emit("add", b[j++]);
  return out;
}
