import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/entries/render-template.js';

const props: Record<string, unknown> = { Path: '/orders', Elapsed: 12.5, Ok: true, No: null, Span: '00:00:01.5000000', Obj: { a: 1 }, Q: 'say "hi"' };
const get = (name: string): unknown => props[name];

describe('renderTemplate (Serilog message templates)', () => {
  it.each([
    ['Handled {Path} in {Elapsed} ms', 'Handled "/orders" in 12.5 ms'], // strings quoted, as Serilog renders them
    ['{Path:l}', '/orders'], // the literal format
    ['{@Obj} {$Ok} {No}', '{"a":1} True null'],
    ['took {Span}', 'took 00:00:01.5000000'], // a TimeSpan, which JSON carries as a string, is bare
    ['{Q}', '"say \\"hi\\""'],
    ['{{Path}} {Path,10}|{Path,-10}|', '{Path}  "/orders"|"/orders" |'], // "/orders" with its quotes is 9 wide
    ['{Missing} stays', '{Missing} stays'],
    ['{not a token} {', '{not a token} {'],
    ['}} lone } brace', '} lone } brace'],
    ['{Elapsed:0.0000} and {Path}', '12.5000 and "/orders"'], // with CLEF's @r below
  ])('%s → %s', (template, want) => {
    expect(renderTemplate(template, get, template.includes(':0.0000') ? ['12.5000'] : undefined)).toBe(want);
  });
});
