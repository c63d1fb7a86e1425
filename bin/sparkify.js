#!/usr/bin/env node
// Thin launcher: all behaviour lives in the compiled library (dist/), built by `npm run build` (npm's prepare).

// The AWS SDK prints a multi-line notice about Node 20's end of life on every S3 run; sparkify supports
// Node 20, so the notice would only bury the summary. Set the variable yourself to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('../dist/cli/cli.js');
process.exitCode = await main(process.argv);
