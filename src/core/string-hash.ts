// A string's 64-bit hash as two 32-bit halves: cyrb53's core (public domain), two multiplicative hashes
// over the UTF-16 code units, each mixed with the other at the end, so that both halves depend on every
// character. Not cryptographic: for tables and digests where two strings sharing a hash costs a rare
// wrong answer, stated where it is used.

/** Hashes `s` into out[0] (the first half) and out[1] (the second). */
export function stringHash64(s: string, out: Uint32Array): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  out[0] = h1;
  out[1] = h2;
}
