// The subscriber list the whole-run benchmarks mail: a quarter bare addresses, the rest
// with a name and one topic each (cycling through `topics`), as people write them.

/** A subscribers.yaml of `count` readers s0@example.org … with topics from `topics`. */
export function benchSubscribersYaml(count: number, topics: readonly string[]): string {
  const lines = ['subscribers:'];
  for (let i = 0; i < count; i++) {
    if (i % 4 === 0) lines.push(`  - s${i}@example.org`);
    else
      lines.push(
        `  - email: s${i}@example.org`,
        `    name: Reader ${i}`,
        `    topics: [${topics[i % topics.length]}]`,
      );
  }
  return `${lines.join('\n')}\n`;
}
