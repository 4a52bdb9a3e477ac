// The command table: every `paperwire` command, registered from its own file.
import { Command } from 'commander';
import { DEMO_STATE_DIR, DEMO_WEEK } from '../config/demo.ts';
import { VERSION } from '../paths.ts';
import type { Cli } from './cli.ts';
import { register as archiveCommand } from './commands/archive.ts';
import { register as backupCommand } from './commands/backup.ts';
import { register as editionCommand } from './commands/edition.ts';
import { register as ingestCommand } from './commands/ingest.ts';
import { register as initCommand } from './commands/init.ts';
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
    .option(
      '--demo',
      `the demo: the bundled sample papers (week ${DEMO_WEEK}) and subscribers, state in ${DEMO_STATE_DIR}, messages to the outbox only`,
    )
    .showHelpAfterError('(run `paperwire --help` for the list of commands)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.io.out(text.replace(/\n$/, '')),
      writeErr: (text) => cli.io.err(text.replace(/\n$/, '')),
    });
  program.hook('preAction', () => {
    if (program.opts<{ demo?: boolean }>().demo && !cli.demo) {
      cli.useDemo();
      cli.io.err(
        `demo: the sample papers of week ${DEMO_WEEK} and the sample subscribers; state in ${DEMO_STATE_DIR}, messages to its outbox only (\`paperwire init\` starts a real setup)`,
      );
    }
  });
  // Order here is the order `--help` lists them in: setting up, the pipeline, then operations.
  for (const register of [
    initCommand,
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
