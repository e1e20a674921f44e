import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { PhaseView } from '../../../protocol';
import { base, me } from '../test/fixtures';
import FinalView from './FinalView.svelte';

const ended = { ...base, seq: 9, phase: 'ended', top: [] } as unknown as Extract<
  PhaseView,
  { phase: 'podium' | 'ended' }
>;

describe('FinalView', () => {
  it('shows each prize with its claim code in two readable halves, and nothing when there is none', () => {
    const { unmount } = render(FinalView, {
      me: { ...me, rank: 1, score: 2000 },
      view: ended,
      claims: [{ code: 'ABCD2345', label: 'Giải Nhất', scope: 'individual' }],
    });
    expect(screen.getByText('ABCD 2345')).toBeTruthy();
    expect(screen.getByText(/Giải Nhất/)).toBeTruthy();
    unmount();
    render(FinalView, { me, view: ended });
    expect(screen.queryByText(/ABCD/)).toBeNull();
  });
});

describe('FinalView claim notice', () => {
  it('puts the prize code above the scores and reads out a code that just arrived', () => {
    const claim = { code: 'ABCD2345', label: 'Giải Nhì', scope: 'individual' as const };
    const { container } = render(FinalView, { me, view: ended, claims: [claim], justWon: claim });
    const claimEl = screen.getByTestId('claim');
    const summary = container.querySelector('.summary')!;
    expect(claimEl.compareDocumentPosition(summary) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    const live = container.querySelector('[aria-live="assertive"]')!;
    expect(live.textContent).toContain('Giải Nhì');
    expect(live.textContent).toContain('A B C D 2 3 4 5');
  });
});
