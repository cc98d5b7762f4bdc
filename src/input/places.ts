// Places in the input as diagnostics write them: "file:line", sometimes with more after the number
// ("file:line#n" for the n-th span of a document line, "file:line: message" in warnings).

/**
 * "source:line…" with the line `by` further down (undefined: "source:?…", a line that cannot be known);
 * any other text as it is.
 */
export function shiftPlace(place: string, source: string, by: number | undefined): string {
  if (!place.startsWith(source) || place.charCodeAt(source.length) !== 0x3a /* : */) return place;
  let end = source.length + 1;
  while (end < place.length && place.charCodeAt(end) >= 0x30 && place.charCodeAt(end) <= 0x39) end++;
  if (end === source.length + 1) return place;
  return `${source}:${by === undefined ? '?' : Number(place.slice(source.length + 1, end)) + by}${place.slice(end)}`;
}
