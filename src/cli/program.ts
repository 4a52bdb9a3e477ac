// The command table: every `paperwire` command, registered from its own file.
import { Command } from 'commander';
import { VERSION } from '../paths.ts';
import type { Cli } from './cli.ts';
import { register as archiveCommand } from './commands/archive.ts';
import { register as backupCommand } from './commands/backup.ts';
import { register as editionCommand } from './commands/edition.ts';
import { register as ingestCommand } from './commands/ingest.ts';
import { register as initTemplatesCommand } from './commands/init-templates.ts';
import { register as mailboxCommand } from './commands/mailbox.ts';
import { register as papersCommand } from './commands/papers.ts';
import { register as previewCommand } from './commands/preview.ts';
import { register as restoreCommand } from './commands/restore.ts';
import { register as runCommand } from './commands/run.ts';
import { register as scheduleCommand } from './commands/schedule.ts';
import { register as sendCommand } from './commands/send.ts';
import { register as serveCommand } from './commands/serve.ts';
import { register as statusCommand } from './commands/status.ts';
import { register as subscribersCommand } from './commands/subscribers.ts';

/** Builds the `paperwire` program with every command registered on `cli`. */
export function buildProgram(cli: Cli): Command {
  const program = new Command('paperwire')
    .description('Trending research papers in your inbox, every week.')
    .version(VERSION, '-V, --version', 'print the version')
    .showHelpAfterError('(run `paperwire --help` for the list of commands)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => cli.io.err(text.replace(/\n$/, '')),
    });
  // Order here is the order `--help` lists them in: the pipeline, then operations.
  for (const register of [
    ingestCommand,
    papersCommand,
    editionCommand,
    previewCommand,
    initTemplatesCommand,
    subscribersCommand,
    sendCommand,
    serveCommand,
    archiveCommand,
    mailboxCommand,
    runCommand,
    scheduleCommand,
    statusCommand,
    backupCommand,
    restoreCommand,
  ]) {
    register(program, cli);
  }
  return program;
}
