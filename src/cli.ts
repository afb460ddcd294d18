#!/usr/bin/env -S node --max-semi-space-size=1
// The console's live heap is ~17 MB, but V8's default young generation (2 x 16 MB semi-spaces)
// alone costs ~25 MB of RSS; 1 MB semi-spaces keep it small for a program that allocates little
// (bench:tui). The flag has to be on the command line: V8 ignores it once the heap exists.
// React's development build checks and logs on every render, costing CPU and memory the console
// should not spend. Set production before React loads, then run the real entry point.
process.env.NODE_ENV ??= 'production';
await import('./main.js');
