// `paperwire serve [--port 8080] [--host 127.0.0.1]`: the unsubscribe endpoint, with PUBLIC_URL
// the sign-up and preferences pages, and the web archive, until SIGINT/SIGTERM. Meant to sit
// behind a reverse proxy that terminates https for PUBLIC_URL.
import type { Command } from 'commander';
import { PaperwireError } from '../../errors.ts';
import type { Cli } from '../cli.ts';
import { displayPath, parsePort } from '../options.ts';
import { nextStopSignal } from '../process.ts';

/** Registers `paperwire serve`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('serve')
    .description(
      'serve the unsubscribe endpoint, the web archive and, with PUBLIC_URL, the sign-up and preferences pages until stopped',
    )
    .option('--port <port>', 'port to listen on (0: any free port)', '8080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .action(
      cli.action(async (options: { port: string; host: string }) => {
        const port = parsePort(options.port);
        const config = cli.config();
        const log = cli.log();
        if (!config.unsubscribeSecret) {
          throw new PaperwireError(
            'E_CONFIG',
            'serve needs UNSUBSCRIBE_SECRET: without it no link can be verified',
            {
              hint: 'Set UNSUBSCRIBE_SECRET (e.g. `openssl rand -hex 32`) and PUBLIC_URL, then send again so the links carry tokens.',
            },
          );
        }
        const { isInsecurePublicUrl, UNSUBSCRIBE_PATH } = await import('../../unsubscribe/index.ts');
        const { archiveMountPath, startPublicSite } = await import('../../app/serve.ts');
        const { SUBSCRIBE_PATH } = await import('../../signup/index.ts');
        if (!config.publicUrl) {
          log.warn(
            'PUBLIC_URL is not set: messages carry only a mailto: unsubscribe, so nothing links here, and there is no sign-up page',
          );
        } else if (isInsecurePublicUrl(config.publicUrl)) {
          log.warn(
            'PUBLIC_URL is plain http: mail providers expect an https one-click unsubscribe URL (RFC 8058)',
            {
              publicUrl: config.publicUrl,
            },
          );
        }
        return cli.withApp(async (ctx) => {
          const stopped = nextStopSignal();
          const server = await startPublicSite(ctx, { port, host: options.host });
          const target = config.publicUrl ? `${config.publicUrl}${UNSUBSCRIBE_PATH}` : 'no PUBLIC_URL set';
          cli.io.out(`listening on ${server.url} (unsubscribe endpoint for ${target})`);
          if (config.publicUrl) cli.io.out(`sign-up form at ${config.publicUrl}${SUBSCRIBE_PATH}`);
          const mount = archiveMountPath(config);
          if (mount)
            cli.io.out(
              `serving the archive ${displayPath(config.archiveDir, cli.io.cwd)} at ${config.archiveUrl}/`,
            );
          else if (config.archiveUrl) {
            log.info(
              `ARCHIVE_URL is not under PUBLIC_URL: publish ${displayPath(config.archiveDir, cli.io.cwd)} at ${config.archiveUrl}`,
            );
          }
          const signal = await stopped;
          log.info(`${signal}: stopping`);
          await server.close();
          return 0;
        });
      }),
    );
}
