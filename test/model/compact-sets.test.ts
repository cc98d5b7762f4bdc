import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_JOINED, joinedAdd, joinedAddAll, joinedOf, joinedSize, joinedValues, type JoinedSet } from '../../src/model/joined-set.js';
import { EMPTY_LIST, listAdd, listOf, listSize, listValues, sortedValues, type SharedList } from '../../src/model/shared-lists.js';

/** Values as logs give them: ids, empty strings, the separator itself, prefixes of one another. */
const value = fc.oneof(
  fc.constantFrom('', 'a', 'ab', 'b', '\u0000', 'a\u0000b', '00f067aa0ba902b7', '00f067aa0ba902b', 'f067aa0ba902b7'),
  fc.string({ maxLength: 20 }),
  fc.stringMatching(/^[0-9a-f]{16}$/),
);

describe('JoinedSet (a trace summary’s span ids)', () => {
  it('holds exactly the distinct values added, in arrival order, whatever they are', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (values) => {
        let set: JoinedSet = EMPTY_JOINED;
        for (const v of values) set = joinedAdd(set, v);
        const expected = [...new Set(values)];
        expect(joinedValues(set)).toEqual(expected);
        expect(joinedSize(set)).toBe(expected.length);
        expect(joinedValues(joinedOf(values))).toEqual(expected);
      }),
    );
  });

  it('is one string while small, a Set once long or given the separator', () => {
    let set = joinedOf(['00f067aa0ba902b7', '53995c3f42cd8ad8', '00f067aa0ba902b7']);
    expect(set).toBe('\u000000f067aa0ba902b7\u000053995c3f42cd8ad8\u0000');
    expect(joinedAdd(set, 'x\u0000y')).toBeInstanceOf(Set);
    // A value holding the separator is not taken for the neighbours that spell it (found by a random seed).
    expect(joinedValues(joinedOf(['a', 'b', 'a\u0000b']))).toEqual(['a', 'b', 'a\u0000b']);
    for (let i = 0; i < 200; i++) set = joinedAdd(set, i.toString(16).padStart(16, '0'));
    expect(set).toBeInstanceOf(Set);
    expect(joinedSize(set)).toBe(202);
  });

  it('an empty value is a value like another (and never loops the search)', () => {
    let set = joinedOf(['a', '', 'b']);
    expect(joinedValues(set)).toEqual(['a', '', 'b']);
    set = joinedAdd(set, '');
    expect(joinedSize(set)).toBe(3);
    expect(joinedSize(joinedOf(['a', 'b']))).toBe(2);
    expect(joinedValues(joinedAdd(joinedOf(['a']), ''))).toEqual(['a', '']);
  });

  it('adding a whole set gives what adding its values one by one gives: the same form, the same values', () => {
    // Long ids too, so that sets cross the length where a string becomes a Set, on either side.
    const long = fc.stringMatching(/^[0-9a-f]{100,400}$/);
    const values = fc.array(fc.oneof(value, long), { maxLength: 40 });
    fc.assert(
      fc.property(values, values, (a, b) => {
        const one = joinedOf(a);
        let expected: JoinedSet = joinedOf(a);
        for (const v of joinedValues(joinedOf(b))) expected = joinedAdd(expected, v);
        const got = joinedAddAll(one, joinedOf(b));
        expect(typeof got).toBe(typeof expected);
        if (typeof got === 'string') expect(got).toBe(expected);
        expect(joinedValues(got)).toEqual(joinedValues(expected));
      }),
      { numRuns: 500 },
    );
  });

  it('adding a whole set turns into a Set exactly where adding one by one would', () => {
    // 2,048 characters is the most a joined string holds: 120 ids of 16 make 2,041; 121 would make 2,058.
    const ids = (from: number, n: number) => Array.from({ length: n }, (_, i) => (from + i).toString(16).padStart(16, '0'));
    const under = joinedAddAll(joinedOf(ids(0, 100)), joinedOf(ids(100, 20)));
    expect(typeof under).toBe('string');
    expect(joinedSize(under)).toBe(120);
    const over = joinedAddAll(joinedOf(ids(0, 100)), joinedOf(ids(100, 21)));
    expect(over).toBeInstanceOf(Set);
    expect(joinedValues(over)).toEqual(ids(0, 121));
  });

  it('stays linear for a million distinct values', () => {
    let set: JoinedSet = EMPTY_JOINED;
    for (let i = 0; i < 1_000_000; i++) set = joinedAdd(set, String(i));
    expect(joinedSize(set)).toBe(1_000_000);
  });
});

describe('SharedList (a trace summary’s services)', () => {
  it('holds exactly the distinct values added, in arrival order', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 30 }), (values) => {
        let list: SharedList = EMPTY_LIST;
        for (const v of values) list = listAdd(list, v);
        const expected = [...new Set(values)];
        expect([...listValues(list)]).toEqual(expected);
        expect(listSize(list)).toBe(expected.length);
      }),
    );
  });

  it('traces with the same services in the same order share one frozen list; other orders, other lists', () => {
    const a = listOf(['api', 'auth', 'api', 'payments']);
    const b = listOf(['api', 'auth', 'payments', 'auth']);
    expect(b).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    const c = listOf(['auth', 'api', 'payments']);
    expect(c).not.toBe(a);
    expect([...listValues(c)]).toEqual(['auth', 'api', 'payments']);
    // a list grown from a shared one leaves that one as it was
    const d = listAdd(a, 'web');
    expect([...listValues(a)]).toEqual(['api', 'auth', 'payments']);
    expect([...listValues(d)]).toEqual(['api', 'auth', 'payments', 'web']);
  });

  it('a trace with many services gets a Set of its own, added to in place, shared with no one', () => {
    let list: SharedList = EMPTY_LIST;
    for (let i = 0; i < 12; i++) list = listAdd(list, `svc-${i}`);
    expect(list).toBeInstanceOf(Set);
    const other = listOf(Array.from({ length: 12 }, (_, i) => `svc-${i}`));
    expect(other).not.toBe(list);
    expect(listSize(list)).toBe(12);
  });

  it('sorted as sort() sorts, shared by every trace with the same list, and by nothing that has a Set', () => {
    const a = listOf(['web', 'api', 'Zeta', 'ápi', 'db']);
    expect(sortedValues(a)).toEqual(['web', 'api', 'Zeta', 'ápi', 'db'].sort());
    expect(sortedValues(listOf(['web', 'api', 'Zeta', 'ápi', 'db']))).toBe(sortedValues(a));
    expect(Object.isFrozen(sortedValues(a))).toBe(true);
    expect([...listValues(a)]).toEqual(['web', 'api', 'Zeta', 'ápi', 'db']); // the list itself unsorted
    const many = listOf(Array.from({ length: 12 }, (_, i) => `svc-${11 - i}`));
    const sorted = sortedValues(many);
    expect(sorted).toEqual([...listValues(many)].sort());
    expect(sortedValues(many)).not.toBe(sorted);
  });
  // Last: it fills the table of shared lists for the rest of this file.
  it('stays bounded when every trace has services of its own (a hostile input): lists stop being shared, answers stay right', () => {
    const lists: SharedList[] = [];
    for (let i = 0; i < 30_000; i++) lists.push(listOf([`only-${i}`, 'api']));
    expect([...listValues(lists[29_999]!)]).toEqual(['only-29999', 'api']);
    expect(listSize(lists[0]!)).toBe(2);
  });

});
