#!/usr/bin/env node
// The CLI is TypeScript run by Node's own type stripping (Node 22.18 or newer).
await import('../src/cli/main.ts');
