import { describe, expect, it } from 'vitest';
import type { Entry } from '../../src/entries/entry.js';
import { parseWhere, WhereError, WhereMatcher } from '../../src/model/where.js';
import { runCli } from '../cli/run-cli.js';

const entry = (over: Partial<Entry>): Entry => ({ source: 'app.log', line: 1, error: false, ...over });
const matches = (expr: string, e: Entry): boolean => new WhereMatcher([parseWhere(expr)]).entry(e) === 1;

describe('--where expressions', () => {
  it.each([
    ['customer_id=cus_4242', { fields: { customer_id: 'cus_4242' } }, true],
    ['customer_id=cus_4242', { fields: { customer_id: 'cus_42420' } }, false],
    ['customer_id!=cus_4242', { fields: { customer_id: 'cus_1' } }, true],
    ['customer_id!=cus_4242', {}, false], // != needs the field
    ['amount_cents>=1000', { fields: { amount_cents: 1000 } }, true],
    ['amount_cents>1000', { fields: { amount_cents: 1000 } }, false],
    ['amount_cents<1000', { fields: { amount_cents: '999.5' } }, true], // a number written as a string
    ['amount_cents<=1000', { fields: { amount_cents: 'many' } }, false],
    ['items=1', { fields: { items: 1 } }, true],
    ['level>=warn', { level: 'error' }, true],
    ['level>=warn', { level: 'info' }, false],
    ['level=ERROR', { level: 'error' }, true],
    ['duration>=1.5s', { duration: 1_500_000 }, true],
    ['duration>1500', { duration: 1_400_000 }, false], // a bare number is ms
    ['msg~^charge (declined|failed)$', { message: 'charge declined' }, true],
    ['message~declined', { message: 'charge accepted' }, false],
    ['service=payments', { service: 'payments' }, true],
    ['status>=500', { httpStatus: 502 }, true],
    ['req.headers.host~^checkout\\.', { fields: { 'req.headers.host': 'checkout.shop.svc' } }, true],
    ['__proto__.polluted=1', { fields: Object.assign(Object.create(null) as Record<string, number>, { '__proto__.polluted': 1 }) }, true],
    ['constructor=x', {}, false], // no inherited member is a field
  ] as [string, Partial<Entry>, boolean][])('%s on %j → %s', (expr, e, want) => {
    expect(matches(expr, entry(e))).toBe(want);
  });

  it.each([
    ['customer_id', /expected field=value/],
    ['=x', /expected field=value/],
    ['n>=', /nothing after '>='/],
    ['n>=ten', /'ten' is not a number/],
    ['duration>=soon', /or a duration/],
    ['msg~(unclosed', /Invalid regular expression|Unterminated group/],
    ['msg~(a)\\1', /backreferences/],
    [`msg~${'a'.repeat(600)}`, /at most 512 characters/],
  ])('%s is refused: %s', (expr, why) => {
    expect(() => parseWhere(expr)).toThrow(WhereError);
    expect(() => parseWhere(expr)).toThrow(why);
  });

  it('a regex cannot be made slow by hostile input: (a+)+$ over 4,000 a and a b', () => {
    // A backtracking engine takes ~2^n steps here; the linear engine, or the refusal of nested
    // quantifiers where it is missing, keeps this to one pass over the (capped) value.
    let m: WhereMatcher;
    try {
      m = new WhereMatcher([parseWhere('msg~(a+)+$')]);
    } catch (err) {
      expect((err as Error).message).toMatch(/nested quantifiers/);
      return;
    }
    expect(m.entry(entry({ message: 'a'.repeat(4000) + 'b' }))).toBe(0);
    expect(m.entry(entry({ message: 'a'.repeat(30) }))).toBe(1);
  });

  it('several expressions are bits: a trace needs all of them, from any of its lines', () => {
    const m = new WhereMatcher([parseWhere('customer_id=cus_1'), parseWhere('level>=error')]);
    expect(m.entry(entry({ fields: { customer_id: 'cus_1' }, level: 'info' }))).toBe(1);
    expect(m.entry(entry({ level: 'error' }))).toBe(2);
    expect(m.all).toBe(3);
  });

  it('a bad expression is a usage error (exit 2) that says what is wrong', async () => {
    const r = await runCli(['group', '--where', 'customer_id'], { stdin: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--where 'customer_id': expected field=value, field!=value, field>=N");
  });
});
