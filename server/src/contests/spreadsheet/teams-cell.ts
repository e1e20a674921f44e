// A unit round's `teams` setting in one cell of the rounds sheet: "average; minPlayers=3" or "bestN=5; minPlayers=3".
import type { Round } from '../../../../protocol/contest';
import { parseNumber } from './cells';

/** The raw `teams` object for the schema to check, or undefined for an empty cell (a round played alone). */
export function teamsFromCell(text: string, fail: (message: string) => void): Record<string, unknown> | undefined {
  if (!text) return undefined;
  const teams: Record<string, unknown> = { by: 'unit' };
  for (const token of text.split(/[;,\s]+/).filter(Boolean)) {
    const [key, value] = token.split('=');
    if (key === 'average' && value === undefined) teams.score = 'average';
    else if (key === 'bestN' && value !== undefined) Object.assign(teams, { score: 'bestN', n: parseNumber(value) });
    else if (key === 'minPlayers' && value !== undefined) teams.minPlayers = parseNumber(value);
    else fail(`"${token}" không hợp lệ: ghi average hoặc bestN=5, và minPlayers=3 nếu cần`);
  }
  return teams;
}

export function teamsToCell(teams: Round['teams']): string {
  if (!teams) return '';
  return `${teams.score === 'bestN' ? `bestN=${teams.n}` : 'average'}; minPlayers=${teams.minPlayers}`;
}
