// Places in the input as diagnostics write them: "file:line", sometimes with more after the number
// ("file:line#n" for the n-th span of a document line, "file:line: message" in warnings).

/**
 * "source:line…" with the line `by` further down (undefined: "source:?…", a line that cannot be known);
 * any other text as it is. The line may be 0 or negative: a worker numbers the lines of a part it took
 * over from the main thread back from its own part's start (parallel/steal-range.ts).
 */
export function shiftPlace(place: string, source: string, by: number | undefined): string {
  if (!place.startsWith(source) || place.charCodeAt(source.length) !== 0x3a /* : */) return place;
  const digits = place.charCodeAt(source.length + 1) === 0x2d /* - */ ? source.length + 2 : source.length + 1;
  let end = digits;
  while (end < place.length && place.charCodeAt(end) >= 0x30 && place.charCodeAt(end) <= 0x39) end++;
  if (end === digits) return place;
  return `${source}:${by === undefined ? '?' : Number(place.slice(source.length + 1, end)) + by}${place.slice(end)}`;
}
