// `paperwire init [DIR]`: start a real setup with a commented .env and an empty list.
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Cli } from '../cli.ts';
import { displayPath } from '../options.ts';

/** Registers `paperwire init`. */
export function register(program: Command, cli: Cli): void {
  program
    .command('init')
    .description(
      'start a real setup in DIR: a commented .env and an empty subscribers.yaml (never overwrites)',
    )
    .argument('[dir]', 'the folder of the setup', '.')
    .action(
      cli.action(async (dir: string) => {
        const { initProject, SETTINGS_TO_FILL } = await import('../../app/init.ts');
        const result = initProject(resolve(cli.io.cwd, dir));
        const show = (path: string) => displayPath(path, cli.io.cwd);
        for (const file of result.written) cli.io.out(`wrote ${show(file)}`);
        for (const file of result.kept) cli.io.out(`${show(file)} exists: left as it is`);
        cli.io.out(`Fill in these three settings in ${show(resolve(result.dir, '.env'))}:`);
        const width = Math.max(...SETTINGS_TO_FILL.map((setting) => setting.name.length));
        for (const { name, what } of SETTINGS_TO_FILL) cli.io.out(`  ${name.padEnd(width)}  ${what}`);
        cli.io.out(
          'then add your subscribers to subscribers.yaml, and run `paperwire send --dry-run` there to check (`paperwire run` sends).',
        );
        return 0;
      }),
    );
}
