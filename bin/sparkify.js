#!/usr/bin/env node
// Thin launcher: all behaviour lives in the compiled library (dist/), built by `npm run build` (npm's prepare).
import { main } from '../dist/cli/cli.js';

process.exitCode = await main(process.argv);
