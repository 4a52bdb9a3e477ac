// SpamAssassin's local rules (`spamassassin -L -t`, no network tests) on real .eml files
// that `paperwire run` wrote to the outbox: the default message, and one with LIST_NAME,
// POSTAL_ADDRESS and one-click unsubscribe set, score at most 0.5. (MJML's mj-preview
// preheader alone cost 0.7: HTML_FONT_LOW_CONTRAST for its white text.) Skipped where
// SpamAssassin is not installed, except on CI (CI=true), where that is a failure.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import { runCli } from '../helpers/cli.ts';
import { skipUnlessCi } from '../helpers/system.ts';
import { tempDir } from '../helpers/temp.ts';
import { repoRoot } from '../schedule/helpers.ts';

/** The highest score a default message may have. */
const MAX_SCORE = 0.5;

const INSTALL_HINT = 'apt-get install -y spamassassin';

function spamassassinAvailable(t: TestContext): boolean {
  const probe = spawnSync('spamassassin', ['--version'], { encoding: 'utf8' });
  return probe.status === 0 || skipUnlessCi(t, `spamassassin is not installed: ${INSTALL_HINT}`);
}

/** SpamAssassin's local score of a raw message, with the rules that fired. */
function localScore(raw: Buffer): { score: number; rules: string[] } {
  const result = spawnSync('spamassassin', ['-L', '-t', '-x'], {
    input: raw,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(result.status, 0, result.stderr);
  const score = /Content analysis details:\s+\((-?[\d.]+) points/.exec(result.stdout)?.[1];
  assert.ok(score !== undefined, `a report in ${result.stdout.slice(-500)}`);
  const rules = [...result.stdout.matchAll(/^\s*(-?\d+\.\d+)\s+([A-Z0-9_]+)\s/gm)]
    .filter((match) => Number(match[1]) !== 0)
    .map((match) => `${match[2]} ${match[1]}`);
  return { score: Number(score), rules };
}

/** Runs the demo job (the bundled inbox and list) with `env` and returns the first .eml it wrote. */
async function demoMessage(t: TestContext, env: Record<string, string> = {}): Promise<Buffer> {
  const dir = tempDir(t);
  const run = await runCli(['run'], {
    cwd: dir,
    env: {
      INBOX_DIR: join(repoRoot, 'data', 'inbox'),
      SUBSCRIBERS_FILE: join(repoRoot, 'data', 'subscribers.yaml'),
      STATE_DIR: join(dir, 'var'),
      ...env,
    },
    clock: () => new Date('2026-11-23T08:00:00Z'),
  });
  assert.equal(run.status, 0, run.stderr);
  // A Monday run sends the week before: the bundled papers' 2026-W47.
  const outbox = join(dir, 'var', 'outbox', '2026-W47');
  const [first] = readdirSync(outbox)
    .filter((name) => name.endsWith('.eml'))
    .sort();
  assert.ok(first, 'the run wrote a message');
  return readFileSync(join(outbox, first));
}

test(`the default message scores at most ${MAX_SCORE} with SpamAssassin's local rules`, async (t) => {
  if (!spamassassinAvailable(t)) return;
  const { score, rules } = localScore(await demoMessage(t));
  t.diagnostic(
    `SpamAssassin -L score of the default message: ${score} (${rules.join(', ') || 'no scoring rule'})`,
  );
  assert.ok(score <= MAX_SCORE, `score ${score}: ${rules.join(', ')}`);
  assert.ok(!rules.some((rule) => rule.startsWith('HTML_FONT_LOW_CONTRAST')), 'no low-contrast preheader');
});

test(`with LIST_NAME, POSTAL_ADDRESS, MAIL_FROM and one-click unsubscribe it scores at most ${MAX_SCORE} too`, async (t) => {
  if (!spamassassinAvailable(t)) return;
  const raw = await demoMessage(t, {
    LIST_NAME: 'Lab Weekly',
    POSTAL_ADDRESS: 'Example Lab, 1 Main Street, Springfield',
    MAIL_FROM: 'Lab Weekly <papers@lab.example.org>',
    PUBLIC_URL: 'https://papers.example.org',
    UNSUBSCRIBE_SECRET: 'a-spamassassin-test-secret',
  });
  assert.match(raw.toString('utf8'), /^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r$/m);
  const { score, rules } = localScore(raw);
  t.diagnostic(
    `SpamAssassin -L score with the identity settings: ${score} (${rules.join(', ') || 'no scoring rule'})`,
  );
  assert.ok(score <= MAX_SCORE, `score ${score}: ${rules.join(', ')}`);
});
