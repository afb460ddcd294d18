#!/usr/bin/env -S node --max-semi-space-size=1 --
// The trailing "--" ends Node's own options: Node 20 would otherwise read --env-file from anywhere
// in argv and apply the file (NODE_OPTIONS included) before any line of ours runs.
// The console's live heap is ~17 MB, but V8's default young generation (2 x 16 MB semi-spaces)
// alone costs ~25 MB of RSS; 1 MB semi-spaces keep it small for a program that allocates little
// (bench:tui). The flag has to be on the command line: V8 ignores it once the heap exists.
// React's development build checks and logs on every render, costing CPU and memory the console
// should not spend. Set production before React loads, then run the real entry point.
process.env.NODE_ENV ??= 'production';
// Ink draws only the last frame when it sees CI=true (is-in-ci, read when Ink loads). A console on
// a real terminal wants live frames even inside a CI job (our tmux end-to-end tests run there).
if (process.stdout.isTTY && process.stdin.isTTY) delete process.env.CI;
await import('./main.js');
