import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { PublicQuestion, Reveal } from '../../../protocol';
import RevealAnswer from './RevealAnswer.svelte';

const question: PublicQuestion = { id: 'q', type: 'true-false', text: 'Đúng không?', timeLimitSec: 20, points: 1000 };
const reveal = (url?: string): Reveal => ({
  correctOptions: [0],
  explanation: 'Vì.',
  source: { title: 'Luật An ninh mạng', url },
  distribution: [1, 0],
  answered: 1,
  correctCount: 1,
});

describe('RevealAnswer source link', () => {
  it('links an https source', () => {
    render(RevealAnswer, { question, reveal: reveal('https://chinhphu.vn/luat') });
    expect(screen.getByRole('link', { name: 'Luật An ninh mạng' }).getAttribute('href')).toBe(
      'https://chinhphu.vn/luat',
    );
  });

  // Defence in depth: a contest from before the schema refused such links must not put a script behind a tap.
  it.each(['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,<script>alert(1)</script>'])(
    'shows %s as plain text, not a link',
    (url) => {
      render(RevealAnswer, { question, reveal: reveal(url) });
      expect(screen.queryByRole('link')).toBeNull();
      expect(screen.getByText('Luật An ninh mạng', { exact: false })).toBeTruthy();
    },
  );
});
