// Versioned schema migrations. The database's `user_version` says how many have
// run; opening an older database runs the rest in place, in order. Never edit a
// migration that has shipped: add a new one.

/** One step of the schema. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'papers',
    sql: `
      CREATE TABLE papers (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        arxiv_id TEXT,
        title TEXT NOT NULL,
        title_key TEXT NOT NULL,
        abstract TEXT NOT NULL,
        authors TEXT NOT NULL,
        links TEXT NOT NULL,
        upvotes INTEGER,
        published_at TEXT,
        source TEXT NOT NULL,
        origin TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX papers_title_key ON papers (title_key);
      CREATE INDEX papers_first_seen_at ON papers (first_seen_at);
    `,
  },
  {
    version: 2,
    name: 'keywords, editions, ledger, suppressions, locks, runs',
    sql: `
      ALTER TABLE papers ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE papers ADD COLUMN ai_summary TEXT;

      CREATE TABLE editions (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        previous_id TEXT REFERENCES editions (id),
        -- papers with seq above the previous edition's through_seq and up to this one belong here
        through_seq INTEGER NOT NULL,
        paper_count INTEGER NOT NULL
      );

      CREATE TABLE edition_papers (
        edition_id TEXT NOT NULL REFERENCES editions (id),
        rank INTEGER NOT NULL,
        paper_id TEXT NOT NULL,
        upvotes INTEGER,
        -- the whole StoredPaper as JSON at freeze time, so a resumed send renders the same email
        snapshot TEXT NOT NULL,
        PRIMARY KEY (edition_id, rank)
      );

      CREATE TABLE ledger (
        edition_id TEXT NOT NULL REFERENCES editions (id),
        email TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
        message_id TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        response TEXT,
        error TEXT,
        smtp_code INTEGER,
        enhanced_code TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        sent_at TEXT,
        PRIMARY KEY (edition_id, email)
      );
      CREATE INDEX ledger_email ON ledger (email);

      CREATE TABLE suppressions (
        email TEXT PRIMARY KEY,
        -- 'link' (unsubscribe endpoint), 'command' (paperwire unsubscribe), 'bounce' (5.1.x twice)
        via TEXT NOT NULL,
        reason TEXT NOT NULL,
        created_at TEXT NOT NULL
      );

      CREATE TABLE locks (
        name TEXT PRIMARY KEY,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        acquired_at TEXT NOT NULL
      );

      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        edition_id TEXT,
        status TEXT NOT NULL DEFAULT 'running',
        summary TEXT,
        error TEXT
      );
    `,
  },
  {
    version: 3,
    name: 'lease tokens and heartbeats',
    sql: `
      -- a lease releases its own row by token; long-running holders (the scheduler) beat
      ALTER TABLE locks ADD COLUMN token TEXT;
      ALTER TABLE locks ADD COLUMN beat_at TEXT;
    `,
  },
  {
    version: 4,
    name: 'featured day, upvote observation time, live source fetches',
    sql: `
      -- the day the paper's source features it on (YYYY-MM-DD), which editions select by
      ALTER TABLE papers ADD COLUMN featured_on TEXT;
      -- when the stored upvote count was observed: an older observation never overwrites it
      ALTER TABLE papers ADD COLUMN upvotes_observed_at TEXT;
      CREATE INDEX papers_featured_on ON papers (featured_on);
      -- where the stored date already is that day: arXiv's submission date, the papers page's date
      -- line, an entry's publishedAt (a Hugging Face row's date is the arXiv one, not its Daily Papers day)
      UPDATE papers SET featured_on = substr(published_at, 1, 10)
        WHERE published_at IS NOT NULL AND source IN ('arxiv-atom', 'papers-page-text', 'paperwire-json');

      -- the last fetch of each live source (hf, arxiv:QUERY) for each week
      CREATE TABLE live_fetches (
        source TEXT NOT NULL,
        week TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        pages INTEGER NOT NULL,
        items INTEGER NOT NULL,
        new INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        rejected INTEGER NOT NULL,
        other_weeks INTEGER NOT NULL,
        error TEXT,
        PRIMARY KEY (source, week)
      );
    `,
  },
  {
    version: 5,
    name: 'mailbox: processed messages, ledger rows by Message-ID',
    sql: `
      -- Every message paperwire read from its mailbox and acted on (or left alone), once each.
      CREATE TABLE mailbox_messages (
        -- the Message-ID without angle brackets, or sha256:<hex> of the message when it has none
        message_key TEXT PRIMARY KEY,
        -- 'bounce' (delivery report), 'complaint' (ARF), 'unsubscribe' (mailto:), 'other'
        class TEXT NOT NULL,
        -- what was done: 'suppressed', 'recorded', 'held', 'already suppressed', 'not on the list', 'left alone'
        outcome TEXT NOT NULL,
        -- the subscriber it is about (lower-cased); null when none, never a non-subscriber's address
        email TEXT,
        edition_id TEXT,
        -- a delivery report's status code (5.1.1, 4.2.2)
        status TEXT,
        detail TEXT,
        received_at TEXT,
        processed_at TEXT NOT NULL
      );
      CREATE INDEX mailbox_messages_email ON mailbox_messages (email);
      -- A report is matched to its delivery by the original's Message-ID.
      CREATE INDEX ledger_message_id ON ledger (message_id);
    `,
  },
  // There is no 6: this round's branches numbered their migrations apart, and the one of week
  // editions (9) was merged last; no database was ever at 6.
  {
    version: 7,
    name: 'web subscribers: sign-ups, their topics, confirmation mails',
    sql: `
      -- Readers who subscribed on the web (confirmed_at set), and topics chosen on the preferences
      -- page by readers of the config list (confirmed_at null: the list, not this row, makes them a subscriber).
      CREATE TABLE web_subscribers (
        -- the address key (lower-cased)
        email TEXT PRIMARY KEY,
        -- the address as the reader typed it (domain lower-cased)
        address TEXT NOT NULL,
        name TEXT,
        -- a JSON array of lower-cased topics
        topics TEXT NOT NULL DEFAULT '[]',
        confirmed_at TEXT,
        updated_at TEXT NOT NULL
      );
      -- When each address was last sent a confirmation email (at most one an hour).
      CREATE TABLE confirmation_mails (
        email TEXT PRIMARY KEY,
        sent_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 8,
    name: 'journal: how far this database has applied it',
    sql: `
      -- The journal beside the database (paperwire-journal.jsonl) repeats the facts a lost database
      -- must not forget; this row says which journal this database follows and up to which byte
      -- it holds every fact of it, so a restored backup replays only what came after.
      CREATE TABLE journal_state (
        one_row INTEGER PRIMARY KEY CHECK (one_row = 1),
        journal_id TEXT NOT NULL,
        applied_bytes INTEGER NOT NULL
      );
    `,
  },
  {
    version: 9,
    name: 'the edition that holds each paper',
    sql: `
      -- An edition is a week: it takes the papers featured in it plus late arrivals, so which papers an
      -- edition holds is no longer a range of seq (through_seq now only marks what was stored when it
      -- was frozen). Null while the paper waits for its edition.
      ALTER TABLE papers ADD COLUMN edition_id TEXT REFERENCES editions (id);
      -- Editions made before took every paper up to their through_seq.
      UPDATE papers SET edition_id = (
          SELECT e.id FROM editions e WHERE e.through_seq >= papers.seq ORDER BY e.through_seq, e.rowid LIMIT 1
        )
        WHERE seq <= (SELECT COALESCE(MAX(through_seq), 0) FROM editions);
      CREATE INDEX papers_edition_id ON papers (edition_id);
    `,
  },
  {
    version: 10,
    name: 'runs: what to do about the error that ended a run',
    sql: `
      -- The hint of a run's error (PaperwireError.hint), so \`paperwire status\` says what to do next.
      ALTER TABLE runs ADD COLUMN error_hint TEXT;
    `,
  },
];
