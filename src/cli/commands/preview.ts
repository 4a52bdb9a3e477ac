// `paperwire preview`: render the edition `send` would send, for one reader, to files
// or on a live preview server.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { parsePort, weekOption } from '../options.ts';
import { nextStopSignal } from '../process.ts';

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
    .option('--week <week>', 'preview this edition, e.g. 2026-W48 (default: the one `send` would send now)')
    .option('--out <dir>', 'write the files here (default: STATE_DIR/preview)')
    .option('--serve', 'start a live preview server that reloads on template and subscriber-list edits')
    .option('--port <port>', 'port for --serve (0 picks a free one)', '4000')
    .option('--host <host>', 'address for --serve to listen on', '127.0.0.1')
    .action(
      cli.action(async (flags: PreviewFlags) => {
        if (flags.serve && flags.out !== undefined) {
          throw new PaperwireError('E_USAGE', '--out cannot be combined with --serve', {
            hint: 'The preview server renders on request and writes no files; leave out one of them.',
          });
        }
        const week = weekOption(flags.week);
        const port = parsePort(flags.port);
        const config = cli.config();
        const { previewSource, writePreview } = await import('../../app/preview.ts');
        const { describeHtmlSize, startPreviewServer } = await import('../../preview/index.ts');
        return cli.withApp(async (ctx) => {
          if (flags.serve) {
            const stopped = nextStopSignal();
            const server = await startPreviewServer(previewSource(ctx, week), {
              port,
              host: flags.host,
              watch: { templatesDir: config.templatesDir, subscribersFile: config.subscribersFile },
              log: ctx.log,
            });
            const start = flags.subscriber
              ? `${server.url}s/${encodeURIComponent(flags.subscriber)}`
              : server.url;
            cli.io.out(`Preview server: ${start}`);
            cli.io.out(`Watching ${config.templatesDir} and ${config.subscribersFile}; Ctrl+C stops.`);
            await stopped;
            await server.close();
            return 0;
          }
          const result = await writePreview(ctx, {
            subscriberEmail: flags.subscriber,
            week,
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
        });
      }),
    );
}
