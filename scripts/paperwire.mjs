#!/usr/bin/env node
// The `paperwire` command: runs the CLI compiled into dist/ (scripts/build.mjs makes
// it from src/ on first use and after every change), so it starts like plain Node.
import { pathToFileURL } from 'node:url';
import { builtCli } from './build.mjs';

// `paperwire papers | head` closes the pipe early: that is the reader being done, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const { runMain, processIO } = await import(pathToFileURL(await builtCli()).href);
process.exitCode = await runMain(process.argv, processIO());
