#!/usr/bin/env node
// The `fashen` command: runs the TypeScript entry through tsx's loader, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('./cli.ts');
