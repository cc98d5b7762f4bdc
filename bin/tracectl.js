#!/usr/bin/env node
// Shim: run the built CLI with the real process. All logic lives in src/cli, built to dist/cli and bundled
// into dist/tracectl.js (scripts/bundle.js).
import { runProcess } from '../dist/tracectl.js';

runProcess();
