// Just enough of Source Map v3 to map a position of the transpiled output back to the learner's
// TypeScript: decode the VLQ "mappings" into segments, then find the nearest one.

export interface Position {
  /** 1-based, like V8 stack traces and editors. */
  line: number;
  column: number;
}

type Segment = [generatedColumn: number, sourceLine: number, sourceColumn: number];

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

function decodeLine(
  text: string,
  state: { source: number; line: number; column: number },
): Segment[] {
  const segments: Segment[] = [];
  let generatedColumn = 0;
  for (const group of text.split(",")) {
    if (!group) continue;
    const values: number[] = [];
    let value = 0;
    let shift = 0;
    for (const c of group) {
      const digit = DIGIT.get(c) ?? 0;
      value += (digit & 31) << shift;
      if (digit & 32) shift += 5;
      else {
        values.push(value & 1 ? -(value >>> 1) : value >>> 1);
        value = 0;
        shift = 0;
      }
    }
    generatedColumn += values[0] ?? 0;
    if (values.length >= 4) {
      state.source += values[1]!;
      state.line += values[2]!;
      state.column += values[3]!;
      segments.push([generatedColumn, state.line, state.column]);
    }
  }
  return segments;
}

export type PositionMapper = (position: Position) => Position;

/** Builds a mapper from generated (line, column) to original; unmapped positions pass through. */
export function createMapper(sourceMap: string | { mappings: string }): PositionMapper {
  const map = (typeof sourceMap === "string" ? JSON.parse(sourceMap) : sourceMap) as {
    mappings: string;
  };
  const state = { source: 0, line: 0, column: 0 };
  const lines = map.mappings.split(";").map((line) => decodeLine(line, state));
  return ({ line, column }) => {
    const segments = lines[line - 1];
    if (!segments || segments.length === 0) return { line, column };
    let best = segments[0]!;
    for (const segment of segments) {
      if (segment[0] <= column - 1) best = segment;
      else break;
    }
    return { line: best[1] + 1, column: best[2] + 1 };
  };
}
