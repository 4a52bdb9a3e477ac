// `paperwire init-templates DIR` copies the default templates into DIR, to customise.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Cli } from '../cli.ts';

/** Registers `paperwire init-templates`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('init-templates')
    .description('copy the default email templates into DIR to customise them (never overwrites)')
    .argument('<dir>', 'the folder to create or fill')
    .action(
      cli.action(async (dir: string) => {
        const { initTemplates } = await import('../../render/templates.ts');
        const target = resolve(cli.io.cwd, dir);
        for (const file of initTemplates(target)) cli.io.out(`wrote ${file}`);
        cli.io.out(`set TEMPLATES_DIR=${target} in .env to use them`);
        return 0;
      }),
    );
}
