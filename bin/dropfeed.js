#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { loadCli } from './cli-bundle.js';

// `dropfeed parse *.txt | head` closes the pipe early; that is the reader's choice, not a crash.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const args = process.argv.slice(2);
const cli = await loadCli(fileURLToPath(new URL('..', import.meta.url)), args[0]);
process.exitCode = await cli.main(args);
cli.finished();
