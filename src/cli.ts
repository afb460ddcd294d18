#!/usr/bin/env node
// React's development build checks and logs on every render, costing CPU and memory the console
// should not spend (bench:tui). Set production before React loads, then run the real entry point.
process.env.NODE_ENV ??= 'production';
await import('./main.js');
