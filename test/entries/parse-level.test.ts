import { describe, expect, it } from 'vitest';
import { levelFromName, levelFromOtelNumber, levelFromPinoNumber, levelFromSyslogNumber } from '../../src/entries/parse-level.js';

describe('levels', () => {
  it.each([
    ['trace', 'trace'], ['TRACE', 'trace'], ['Verbose', 'trace'],
    ['debug', 'debug'], ['DBG', 'debug'],
    ['info', 'info'], ['INFO', 'info'], ['Information', 'info'], ['notice', 'info'],
    ['warn', 'warn'], ['WARNING', 'warn'], ['Warning', 'warn'],
    ['error', 'error'], ['ERR', 'error'], ['eror', 'error'], ['SEVERE', 'error'],
    ['fatal', 'fatal'], ['CRITICAL', 'fatal'], ['panic', 'fatal'], ['dpanic', 'fatal'], ['EMERGENCY', 'fatal'], ['alert', 'fatal'],
    ['ERROR2', 'error'], ['INFO4', 'info'], // OTel severity texts
    ['loud', undefined], ['', undefined], ['info12', undefined],
    ['constructor', undefined], ['toString', undefined], ['__proto__', undefined], ['valueOf2', undefined], ['HasOwnProperty', undefined], // no Object.prototype member
  ])('name %j → %s', (s, level) => expect(levelFromName(s)).toBe(level));

  it.each([[10, 'trace'], [20, 'debug'], [30, 'info'], [35, 'info'], [40, 'warn'], [50, 'error'], [60, 'fatal'], [100, 'fatal'], [0, undefined], [-5, undefined]])(
    'pino/bunyan %d → %s',
    (n, level) => expect(levelFromPinoNumber(n)).toBe(level),
  );

  it.each([[1, 'trace'], [4, 'trace'], [5, 'debug'], [8, 'debug'], [9, 'info'], [12, 'info'], [13, 'warn'], [16, 'warn'], [17, 'error'], [20, 'error'], [21, 'fatal'], [24, 'fatal'], [0, undefined]])(
    'OTel severityNumber %d → %s',
    (n, level) => expect(levelFromOtelNumber(n)).toBe(level),
  );

  it.each([[0, 'fatal'], [2, 'fatal'], [3, 'error'], [4, 'warn'], [5, 'info'], [6, 'info'], [7, 'debug'], [8, undefined]])(
    'syslog %d → %s',
    (n, level) => expect(levelFromSyslogNumber(n)).toBe(level),
  );
});
