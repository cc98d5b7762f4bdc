#!/usr/bin/env node
// Shim: run the built CLI with the real process. All logic lives in src/cli (built to dist/cli).
import { runProcess } from '../dist/cli/process.js';

runProcess();
