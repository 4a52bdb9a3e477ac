// `paperwire preview`: render an edition for one reader to files, or serve a live preview.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import { describeHtmlSize, startPreviewServer, writePreview } from '../../preview/index.ts';
import { openStore } from '../../store/index.ts';
import type { Cli } from '../cli.ts';
import { nextStopSignal, parsePort } from '../process.ts';

interface PreviewFlags {
  subscriber?: string;
  week?: string;
  out?: string;
  serve?: boolean;
  port: string;
  host: string;
}

/** Registers `paperwire preview`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('preview')
    .description('render the next (or a given) edition for one subscriber without sending it')
    .option('--subscriber <email>', 'preview for this subscriber (default: the first active one)')
    .option(
      '--week <week>',
      'preview this stored edition, e.g. 2026-W48 (default: the one `send` would send now)',
    )
    .option('--out <dir>', 'write the files here (default: STATE_DIR/preview)')
    .option('--serve', 'start a live preview server that reloads on template and subscriber-list edits')
    .option('--port <port>', 'port for --serve (0 picks a free one)', '4000')
    .option('--host <host>', 'address for --serve to listen on', '127.0.0.1')
    .action(
      cli.action(async (flags: PreviewFlags) => {
        const config = cli.config();
        if (flags.serve && flags.out !== undefined) {
          throw new PaperwireError('E_USAGE', '--out cannot be combined with --serve', {
            hint: 'The preview server renders on request and writes no files; leave out one of them.',
          });
        }
        const port = parsePort(flags.port);
        const store = openStore(config.dbPath);
        try {
          if (flags.serve) {
            const server = await startPreviewServer(store, config, {
              port,
              host: flags.host,
              week: flags.week,
              log: cli.log(),
            });
            const start = flags.subscriber
              ? `${server.url}s/${encodeURIComponent(flags.subscriber)}`
              : server.url;
            cli.io.out(`Preview server: ${start}`);
            cli.io.out(`Watching ${config.templatesDir} and ${config.subscribersFile}; Ctrl+C stops.`);
            await nextStopSignal();
            await server.close();
            return 0;
          }
          const result = await writePreview(store, config, {
            subscriberEmail: flags.subscriber,
            week: flags.week,
            outDir: flags.out,
          });
          const what = result.editionStored
            ? `edition ${result.editionId}`
            : `the next edition (${result.editionId}, not frozen yet)`;
          cli.io.out(`Preview of ${what} for ${result.subscriber.email}:`);
          cli.io.out(`  ${result.htmlPath}`);
          cli.io.out(`  ${result.textPath}`);
          cli.io.out(describeHtmlSize(result.htmlBytes));
          return result.marginBytes < 0 ? 1 : 0;
        } finally {
          store.close();
        }
      }),
    );
}
