import { describe, expect, it } from 'vitest';
import { CONFIRM_AHEAD, TraceCompletion } from '../../src/model/trace-completion.js';
import { MAX_SPREAD } from '../../src/model/plausible-times.js';

// Times: the clock in ms, log times in µs. Every case moves a hand-held clock; none waits.
const S = 1_000_000;

describe('TraceCompletion', () => {
  it('completes a trace once no line of it has arrived for the idle time', () => {
    let now = 1_000;
    const c = new TraceCompletion({ clock: { now: () => now }, idleMs: 5_000 });
    c.note('a', undefined);
    now = 3_000;
    c.note('b', undefined);
    now = 5_999; // a: quiet 4,999 ms
    expect(c.due()).toEqual([]);
    now = 6_000; // a: quiet 5,000 ms; b: 3,000 ms
    expect(c.due()).toEqual(['a']);
    c.note('b', undefined); // b: a line at 6,000
    now = 10_999;
    expect(c.due()).toEqual([]);
    now = 11_000;
    expect(c.due()).toEqual(['b']);
    expect(c.openCount).toBe(0);
  });

  it("completes a trace once the input's log time is the timeout past its last line", () => {
    const c = new TraceCompletion({ timeoutUs: 5 * S });
    c.note('a', 0);
    c.note('a', 1 * S);
    c.note('b', 4 * S);
    c.note('c', 6 * S); // log time 6 s: a's last is 5 s behind, not more
    expect(c.due()).toEqual([]);
    c.note('c', 6 * S + 1); // a: 5 s + 1 µs behind
    expect(c.due()).toEqual(['a']);
    c.note('b', 2 * S); // an earlier time does not move b's last line back (4 s)
    c.note('c', 9 * S + 1);
    expect(c.due()).toEqual(['b']);
  });

  it('counts a line of a finished trace as late and keeps it out', () => {
    const c = new TraceCompletion({ timeoutUs: S });
    c.note('a', 0);
    c.note('b', 3 * S);
    expect(c.due()).toEqual(['a']);
    expect(c.note('a', 3 * S)).toBe(false);
    expect(c.late).toBe(1);
    expect(c.isOpen('a')).toBe(false);
    expect(c.all()).toEqual(['b']);
  });

  it('with reopen, counts every line of an update as late, not only the one that reopened it', () => {
    let now = 0;
    const c = new TraceCompletion({ clock: { now: () => now }, idleMs: 1_000, reopen: true });
    c.note('a', undefined);
    now = 2_000;
    expect(c.due()).toEqual(['a']);
    for (let i = 0; i < 3; i++) expect(c.note('a', undefined)).toBe(true);
    c.note('b', undefined);
    expect([c.late, c.reopened, c.reopens]).toEqual([3, 1, true]);
  });

  it('completes nothing before holdLines lines were noted, then what is due', () => {
    const c = new TraceCompletion({ timeoutUs: S, holdLines: 4 });
    c.note('x', 0);
    c.note('y', 10 * S);
    c.note('z', 20 * S); // x and y are due by log time, but only 3 lines were noted
    expect(c.due()).toEqual([]);
    expect(c.note('x', 0.5 * S)).toBe(true); // read whole: not late
    expect(c.due()).toEqual(['x', 'y']);
    expect(c.note('x', 21 * S)).toBe(false);
  });

  it('never completes a trace without a timed line by log time, and forgets the oldest finished ids past its bound', () => {
    const c = new TraceCompletion({ timeoutUs: S, finishedKept: 2 });
    c.note('untimed', undefined);
    c.note('x', 0);
    c.note('y', 0);
    c.note('z', 0);
    c.note('w', 10 * S);
    expect(c.due()).toEqual(['x', 'y', 'z']);
    // x was forgotten (two kept: y, z): its line opens a trace again; y's is late.
    expect(c.note('x', 10 * S)).toBe(true);
    expect(c.note('y', 10 * S)).toBe(false);
    expect(c.isOpen('untimed')).toBe(true);
  });

  // A far-off line (year 2200, or a zero timestamp read as 1970) is kept and counted by the model, but must
  // not finish other traces: the one trace model holds every command's numbers equal with it present.
  it('does not jump the log time to one far-future line: it takes CONFIRM_AHEAD lines, and the earliest of them', () => {
    const T0 = Date.UTC(2025, 2, 14) * 1000;
    const c = new TraceCompletion({ timeoutUs: 5 * S });
    c.note('a', T0);
    c.note('x', Date.UTC(2200, 0, 1) * 1000); // far off
    expect(c.due()).toEqual([]);
    c.note('a', T0 + 1 * S); // a's later line is not late
    expect(c.late).toBe(0);
    // A real jump (the input resumes two weeks later): once CONFIRM_AHEAD lines say so.
    const later = T0 + 2 * MAX_SPREAD;
    for (let i = 1; i < CONFIRM_AHEAD - 1; i++) c.note(`n${i}`, later + i * S);
    expect(c.due()).toEqual([]);
    c.note('n0', later);
    expect(c.due()).toEqual(['a']); // the log time moved to the earliest of them, not to 2200
    expect(c.logNow).toBe(later);
  });

  it("does not let a trace's first line at 1970 finish it before its real lines come", () => {
    const T0 = Date.UTC(2025, 2, 14) * 1000;
    const c = new TraceCompletion({ timeoutUs: 5 * S });
    c.note('a', T0);
    c.note('b', 0); // a zero timestamp: b stays open, its last time unknown
    expect(c.due()).toEqual([]);
    c.note('b', T0 + S); // its real line is not late
    expect(c.late).toBe(0);
    c.note('a', T0 + 7 * S);
    expect(c.due()).toEqual(['b']); // and it completes by its real time: 6 s behind
  });
});
