import fc from 'fast-check';

/**
 * Property tests draw a new seed on every run, so a developer's runs keep exploring. CI pins one
 * (TRACECTL_PROPERTY_SEED in .ci/run): a submission must not pass or fail by the luck of its seed. A
 * failure prints its seed and path; rerun with TRACECTL_PROPERTY_SEED=<seed> to reproduce it.
 */
const seed = process.env.TRACECTL_PROPERTY_SEED;
if (seed !== undefined && seed !== '') fc.configureGlobal({ seed: Number(seed) });
