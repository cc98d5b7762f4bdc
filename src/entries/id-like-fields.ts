/**
 * Top-level keys of a record without a trace id that look like they hold a request's id under a name
 * the conventions do not know (`req_id`, `requestID`, `txnId`, `x_correlation`…): the report suggests
 * `--field traceId=KEY` when many such lines share one.
 */
const NAME = /(trace|request|req|correlation|corr|txn|transaction|operation|ctx|context)/i;
const ID_NAME = /(id|uuid|guid)$/i;
const VALUE = /^[0-9A-Za-z][0-9A-Za-z_.:-]{7,127}$/;
const MAX_KEYS = 64;

export function idLikeFields(record: Record<string, unknown>, out: (key: string) => void): void {
  let seen = 0;
  for (const key in record) {
    if (++seen > MAX_KEYS) return;
    if (key.length > 64 || !NAME.test(key) || !ID_NAME.test(key) || /span|parent/i.test(key)) continue;
    const v = record[key];
    if ((typeof v === 'string' && VALUE.test(v) && /\d/.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v) && v > 0)) out(key);
  }
}
