// The bounce rule over an address's editions: a permanent failure counts when the edition
// before or after it (reports arrive in any order) failed for good too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failedNeighbour } from '../../src/mailbox/index.ts';
import type { AddressEdition } from '../../src/mailbox/records.ts';

const edition = (editionId: string, extra: Partial<AddressEdition> = {}): AddressEdition => ({
  editionId,
  sendFailure: null,
  reportStatuses: [],
  ...extra,
});

test('a report about the next edition that arrived first still counts', () => {
  const history = [
    edition('2026-W46'),
    edition('2026-W47'),
    edition('2026-W48', { reportStatuses: ['5.2.2'] }),
  ];
  assert.equal(failedNeighbour(history, '2026-W47'), '2026-W48');
});

test('the ledger\'s send-time "no such mailbox" reply counts; a 4.x.x report or a gap does not', () => {
  const refused = { enhancedCode: '5.1.1', smtpCode: 550, reason: '550 5.1.1 no such user' };
  assert.equal(
    failedNeighbour([edition('2026-W47', { sendFailure: refused }), edition('2026-W48')], '2026-W48'),
    '2026-W47',
  );
  assert.equal(
    failedNeighbour([edition('2026-W47', { reportStatuses: ['4.4.7'] }), edition('2026-W48')], '2026-W48'),
    null,
  );
  const fine = [edition('2026-W46', { reportStatuses: ['5.2.2'] }), edition('2026-W47'), edition('2026-W48')];
  assert.equal(failedNeighbour(fine, '2026-W48'), null, 'W46 failed, but W47 in between did not');
  assert.equal(failedNeighbour([], '2026-W48'), null);
});

test('a send-time refusal of the sender (553 5.1.8 "Sender address rejected") never counts as the neighbour’s bounce', () => {
  const sender = {
    enhancedCode: '5.1.8',
    smtpCode: 553,
    reason: '553 5.1.8 <digest@news.example.org>: Sender address rejected: Domain not found',
  };
  assert.equal(
    failedNeighbour([edition('2026-W47', { sendFailure: sender }), edition('2026-W48')], '2026-W48'),
    null,
  );
});
