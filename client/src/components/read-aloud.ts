const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'];

/** What the read-aloud button reads: the question, then each option with its letter, as they are shown. */
export function readAloudText(text: string, options: readonly string[] = []): string {
  return [text, ...options.map((o, i) => `${LETTERS[i] ?? i + 1}. ${o}`)].join('. ');
}
