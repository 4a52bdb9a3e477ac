// "For you": the edition's papers that match a subscriber's topics, as whole
// words in the title, abstract or keywords, case-insensitively (`agent` matches
// "an agent" and "Agent-based", not "agents" or "agentic").
import type { EditionPaper } from '../types.ts';
import { escapeRegExp } from './escape.ts';

/** One paper of a subscriber's "For you" part, with the topic it matched. */
export interface TopicMatch {
  paper: EditionPaper;
  topic: string;
}

/** The regular expression matching `topic` as whole words (spaces in it match any whitespace). */
export function topicPattern(topic: string): RegExp {
  const words = topic.trim().split(/\s+/).map(escapeRegExp);
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?![\\p{L}\\p{N}_])`, 'iu');
}

/** Matches topics against one edition's papers, remembering each topic's matches. */
export class TopicMatcher {
  private readonly haystacks: string[];
  private readonly byTopic = new Map<string, Set<number>>();

  constructor(private readonly papers: readonly EditionPaper[]) {
    this.haystacks = papers.map(({ paper }) => [paper.title, paper.abstract, ...paper.keywords].join('\n'));
  }

  private matching(topic: string): Set<number> {
    let found = this.byTopic.get(topic);
    if (!found) {
      const pattern = topicPattern(topic);
      found = new Set(this.haystacks.flatMap((text, index) => (pattern.test(text) ? [index] : [])));
      this.byTopic.set(topic, found);
    }
    return found;
  }

  /** The papers matching any of `topics`, by rank, each with the first of the subscriber's topics it matched. */
  match(topics: readonly string[]): TopicMatch[] {
    const clean = [...new Set(topics.map((topic) => topic.trim().toLowerCase()).filter(Boolean))];
    const matches: TopicMatch[] = [];
    this.papers.forEach((paper, index) => {
      const topic = clean.find((candidate) => this.matching(candidate).has(index));
      if (topic !== undefined) matches.push({ paper, topic });
    });
    return matches;
  }
}
